public import KubeAPI
public import KubeCore

/// Values of `resourceFieldRef` selectors (upstream `ExtractContainerResourceValue` after
/// `MergeContainerResourceLimits`): a limit that is unset or zero for cpu, memory or ephemeral-storage is
/// the node's allocatable amount; the value is divided by the divisor (default 1) and rounded up, cpu in
/// millicores (`ceil(milli / divisor.milli)`), everything else in whole units.
///
/// Stateless; pure functions.
public enum ContainerResourceValue {
    public static func value(_ selector: ResourceFieldSelector, container: Container,
                             nodeAllocatable: [String: Quantity]) throws(EnvironmentError) -> String
    {
        let divisor = selector.divisor.isZero ? Quantity(1) : selector.divisor
        let resource = selector.resource
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "limits" || parts[0] == "requests" else {
            throw .unsupportedContainerResource(resource)
        }
        let name = parts[1]
        guard name == "cpu" || name == "memory" || name == "ephemeral-storage" || name.hasPrefix("hugepages-") else {
            throw .unsupportedContainerResource(resource)
        }
        let amount: Quantity
        if parts[0] == "limits" {
            amount = mergedLimits(container.resources.limits, nodeAllocatable: nodeAllocatable)[name] ?? Quantity(0)
        } else {
            amount = container.resources.requests[name] ?? Quantity(0)
        }
        if name == "cpu" {
            return String(ceilingDivision(amount.milliValue, max(divisor.milliValue, 1)))
        }
        return String(ceilingDivision(amount.value, max(divisor.value, 1)))
    }

    /// Upstream `MergeContainerResourceLimits`: unset or zero cpu, memory and ephemeral-storage limits
    /// become the node's allocatable amounts.
    public static func mergedLimits(_ limits: [String: Quantity], nodeAllocatable: [String: Quantity])
        -> [String: Quantity]
    {
        var merged = limits
        for name in ["cpu", "memory", "ephemeral-storage"] where merged[name]?.isZero ?? true {
            if let allocatable = nodeAllocatable[name] { merged[name] = allocatable }
        }
        return merged
    }

    /// `ceil(numerator / denominator)` for a positive denominator (upstream divides as float64 and rounds up).
    static func ceilingDivision(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return remainder > 0 ? quotient + 1 : quotient
    }
}
