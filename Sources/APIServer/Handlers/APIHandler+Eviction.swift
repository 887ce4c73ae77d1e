import Foundation
import KubeCore
import KubeStorage

/// The `pods/eviction` subresource: deletes a pod unless that would break its PodDisruptionBudget, like
/// upstream `EvictionREST`. Pods that are not running (Pending, Succeeded, Failed) or already being deleted
/// are removed without a budget check; otherwise the one matching budget must allow a disruption, which the
/// eviction consumes (`disruptionsAllowed` − 1, the pod recorded in `disruptedPods`) before the pod goes.
extension APIHandler {
    /// Upstream's cap on `status.disruptedPods` entries awaiting the disruption controller.
    static let maxDisruptedPods = 2000

    func evictPod(_ context: RequestContext) async throws -> APIResponse {
        let eviction = try decodeSubresourceBody(context, kind: "Eviction")
        let podName = context.name!
        let evictionName = eviction["metadata"]?["name"]?.stringValue ?? ""
        if !evictionName.isEmpty, evictionName != podName {
            throw APIError.badRequest("name in URL does not match name in Eviction object")
        }
        let options = try DeleteOptions(body: eviction["deleteOptions"] ?? .object([:]), context: context)
        let pod = try await objects.get(context.resource, namespace: context.namespace, name: podName).object
        if !Self.canSkipBudget(pod), let budgetsResource = catalog.resource(
            group: "policy", version: "v1", plural: "poddisruptionbudgets")
        {
            try await consumeDisruption(for: pod, context: context, budgets: budgetsResource, dryRun: options.dryRun)
        }
        _ = try await deleteObject(context, name: podName, options: options)
        return .json(Self.successStatus(code: 201), status: 201)
    }

    private static func canSkipBudget(_ pod: JSONValue) -> Bool {
        let phase = pod["status"]?["phase"]?.stringValue ?? ""
        return pod.isBeingDeleted || ["Pending", "Succeeded", "Failed"].contains(phase)
    }

    private static func isReady(_ pod: JSONValue) -> Bool {
        guard case .array(let conditions)? = pod["status"]?["conditions"] else { return false }
        return conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
    }

    /// Finds the pod's budget and, when it allows, records the disruption; throws 429 when it does not.
    private func consumeDisruption(for pod: JSONValue, context: RequestContext, budgets: ServedResource, dryRun: Bool)
        async throws
    {
        var budgetContext = context
        budgetContext.resource = budgets
        budgetContext.subresource = "status"
        for _ in 0..<16 {
            let all = try await objects.store.range(.prefix(budgets.keyPrefix(namespace: context.namespace)))
            var matching: [(object: JSONValue, revision: Int64)] = []
            for kv in all.kvs {
                let budget = try ObjectStore.decode(kv)
                if try Self.selects(budget, pod) { matching.append((budget, kv.modRevision)) }
            }
            if matching.isEmpty { return }
            if matching.count > 1 {
                throw APIError.internalError(
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
            }
            let (budget, revision) = matching[0]
            let status = budget["status"] ?? .object([:])
            let healthy = status["currentHealthy"]?.integerValue ?? 0
            let desired = status["desiredHealthy"]?.integerValue ?? 0
            let policy = budget["spec"]?["unhealthyPodEvictionPolicy"]?.stringValue ?? "IfHealthyBudget"
            if !Self.isReady(pod), policy == "AlwaysAllow" || (desired > 0 && healthy >= desired) { return }
            let generation = budget["metadata"]?["generation"]?.integerValue ?? 0
            if (status["observedGeneration"]?.integerValue ?? 0) < generation {
                throw Self.budgetRefusal("The disruption budget \(budget.name) is still being processed by the server.")
            }
            let allowed = status["disruptionsAllowed"]?.integerValue ?? 0
            if allowed < 0 {
                throw APIError.forbidden(budgets.groupResource, name: budget.name, reason: "pdb disruptions allowed is negative")
            }
            var disrupted: [String: JSONValue] = [:]
            if case .object(let members)? = status["disruptedPods"] { disrupted = members }
            if disrupted.count > Self.maxDisruptedPods {
                throw APIError.forbidden(budgets.groupResource, name: budget.name,
                                         reason: "DisruptedPods map too big - too many evictions not confirmed by PDB controller")
            }
            if allowed == 0 {
                throw Self.budgetRefusal(
                    "The disruption budget \(budget.name) needs \(desired) healthy pods and has \(healthy) currently")
            }
            if dryRun { return }
            var updated = budget
            updated.set(["status", "disruptionsAllowed"], .integer(allowed - 1))
            disrupted[pod.name] = .string(RFC3339Time(clock()).description)
            updated.set(["status", "disruptedPods"], .object(disrupted))
            if try await objects.update(budgets, object: updated, expectedRevision: revision) != nil { return }
        }
        throw APIError.conflict(budgets.groupResource, name: "", message: "too many concurrent updates; try again")
    }

    /// Whether a policy/v1 budget's selector selects the pod (an empty selector selects every pod; none selects none).
    private static func selects(_ budget: JSONValue, _ pod: JSONValue) throws -> Bool {
        guard let selector = budget["spec"]?["selector"], selector != .null else { return false }
        let decoded = try KubeJSON.decode(LabelSelector.self, from: Data(selector.jsonBytes))
        return try LabelSelectorExpression(decoded).matches(pod.labels)
    }

    private static func budgetRefusal(_ cause: String) -> APIError {
        var error = APIError.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.",
                                             retryAfterSeconds: 0)
        var details = error.status.details ?? StatusDetails()
        details.causes.append(StatusCause(type: CauseType(rawValue: "DisruptionBudget"), message: cause))
        error.status.details = details
        return error
    }
}
