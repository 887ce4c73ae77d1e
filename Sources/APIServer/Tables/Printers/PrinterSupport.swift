import Foundation
import KubeCore

/// A read-only, nil-tolerant view of one node of an object's JSON tree, as the printers read it: a missing
/// member reads as empty (`""`, `0`, no items), like a Go zero value.
///
/// Value type; Sendable.
struct TableField: Sendable {
    let value: JSONValue?

    init(_ value: JSONValue?) {
        self.value = value
    }

    /// The node at a path of object keys.
    subscript(_ keys: String...) -> TableField {
        var current = value
        for key in keys { current = current?[key] }
        return TableField(current)
    }

    /// Whether the member is present and not `null` (a Go pointer that is set).
    var exists: Bool {
        guard let value else { return false }
        return value != .null
    }

    var string: String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// The string, or `""`.
    var text: String { string ?? "" }

    /// The string when present and not empty.
    var nonEmpty: String? {
        guard let text = string, !text.isEmpty else { return nil }
        return text
    }

    var int: Int64? {
        switch value {
        case .integer(let number)?: return number
        case .number(let number)? where number == number.rounded(): return Int64(exactly: number)
        default: return nil
        }
    }

    /// The integer, or 0.
    var integer: Int64 { int ?? 0 }

    var bool: Bool? {
        if case .bool(let flag)? = value { return flag }
        return nil
    }

    /// The elements of an array (empty for anything else).
    var items: [TableField] {
        if case .array(let elements)? = value { return elements.map(TableField.init) }
        return []
    }

    /// The members of an object (empty for anything else).
    var members: [String: JSONValue] {
        if case .object(let members)? = value { return members }
        return [:]
    }

    /// The number of elements of an array or members of an object.
    var count: Int {
        switch value {
        case .array(let elements)?: return elements.count
        case .object(let members)?: return members.count
        default: return 0
        }
    }

    /// The string members of an object (labels, annotations, selectors).
    var stringMap: [String: String] {
        members.compactMapValues { value in
            if case .string(let text) = value { return text }
            return nil
        }
    }

    /// An `IntOrString` rendered as upstream `String()`.
    var intOrString: String? {
        if let number = int { return String(number) }
        return string
    }

    /// A resource quantity in canonical form (upstream `Quantity.String()`); "0" when missing.
    var quantity: String {
        let text: String
        if let number = int {
            text = String(number)
        } else if let string {
            text = string
        } else {
            return "0"
        }
        return Quantity(text)?.description ?? text
    }

    /// A `metav1.Time` or `metav1.MicroTime`, when set and parseable.
    var date: Date? {
        guard let text = nonEmpty, let time = try? MicroTime(parsing: text) else { return nil }
        return time.date
    }
}

/// Shared cell formatting, as upstream printers format them.
enum PrintFormat {
    /// Upstream `translateTimestampSince`: the human age of a timestamp, `<unknown>` when unset.
    static func since(_ field: TableField, now: Date) -> String {
        guard let date = field.date else { return "<unknown>" }
        return Age.human(now.timeIntervalSince(date))
    }

    /// Upstream `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty.
    static func labels(_ field: TableField) -> String {
        let text = field.stringMap.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
        return text.isEmpty ? "<none>" : text
    }

    /// Upstream `LabelSelectorAsSelector(...).String()`: `""` for a missing or empty selector, nil when invalid.
    static func selector(_ field: TableField) -> String? {
        guard field.exists else { return "" }
        var requirements: [(key: String, text: String)] = []
        for (key, value) in field["matchLabels"].stringMap {
            requirements.append((key, "\(key)=\(value)"))
        }
        for expression in field["matchExpressions"].items {
            let key = expression["key"].text
            let values = expression["values"].items.compactMap(\.string).sorted()
            switch expression["operator"].text {
            case "In", "NotIn":
                guard !values.isEmpty else { return nil }
                let op = expression["operator"].text == "In" ? "in" : "notin"
                requirements.append((key, "\(key) \(op) (\(values.joined(separator: ",")))"))
            case "Exists":
                guard values.isEmpty else { return nil }
                requirements.append((key, key))
            case "DoesNotExist":
                guard values.isEmpty else { return nil }
                requirements.append((key, "!\(key)"))
            default:
                return nil
            }
        }
        let sorted = requirements.enumerated().sorted { lhs, rhs in
            lhs.element.key == rhs.element.key ? lhs.offset < rhs.offset : lhs.element.key < rhs.element.key
        }
        return sorted.map(\.element.text).joined(separator: ",")
    }

    /// Upstream `metav1.FormatLabelSelector`: `<none>` when empty, `<error>` when invalid.
    static func labelSelector(_ field: TableField) -> String {
        guard let text = selector(field) else { return "<error>" }
        return text.isEmpty ? "<none>" : text
    }

    /// Upstream `layoutContainerCells`: container names and images, comma-separated.
    static func containers(_ podSpec: TableField) -> (names: String, images: String) {
        let containers = podSpec["containers"].items
        return (containers.map { $0["name"].text }.joined(separator: ","),
                containers.map { $0["image"].text }.joined(separator: ","))
    }

    /// Upstream `GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, deduplicated.
    static func accessModes(_ field: TableField) -> String {
        let modes = Set(field.items.compactMap(\.string))
        let order = [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                     ("ReadWriteOncePod", "RWOP")]
        return order.filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// Upstream `listWithMoreString` over the first three entries: `a,b,c + 2 more...`, `<unset>` when empty.
    static func listWithMore(_ entries: [String], max: Int = 3) -> String {
        let shown = entries.prefix(max).joined(separator: ",")
        if entries.count > max { return "\(shown) + \(entries.count - max) more..." }
        return shown.isEmpty ? "<unset>" : shown
    }

    /// Upstream `printBoolPtr`: `True`, `False` or `<unset>`.
    static func boolPointer(_ field: TableField) -> String {
        guard let flag = field.bool else { return "<unset>" }
        return flag ? "True" : "False"
    }

    /// `net.JoinHostPort`: brackets around IPv6 hosts.
    static func hostPort(_ host: String, _ port: Int64) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Sorted, deduplicated load-balancer ingress points (IP, else hostname), comma-separated. The server prints
    /// tables in wide mode, so nothing is clipped.
    static func loadBalancerIngress(_ status: TableField) -> String {
        var points = Set<String>()
        for ingress in status["ingress"].items {
            if let ip = ingress["ip"].nonEmpty {
                points.insert(ip)
            } else if let hostname = ingress["hostname"].nonEmpty {
                points.insert(hostname)
            }
        }
        return points.sorted().joined(separator: ",")
    }

    /// Go's `strings.TrimSpace`.
    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Column definitions shared by several printers.
enum PrinterColumns {
    static func text(_ name: String, _ description: String, priority: Int = 0) -> TableColumn {
        TableColumn(name: name, type: "string", description: description, priority: priority)
    }

    static func integer(_ name: String, _ description: String, priority: Int = 0) -> TableColumn {
        TableColumn(name: name, type: "integer", description: description, priority: priority)
    }

    static func boolean(_ name: String, _ description: String, priority: Int = 0) -> TableColumn {
        TableColumn(name: name, type: "boolean", description: description, priority: priority)
    }

    static let containers = text("Containers", "Names of the containers in the pod template.", priority: 1)
    static let images = text("Images", "Images of the containers in the pod template.", priority: 1)
    static func selector(_ description: String = "Label query selecting the managed pods.") -> TableColumn {
        text("Selector", description, priority: 1)
    }
}

extension TablePrinter {
    /// A printer whose cells closure reads the object through a ``TableField``.
    static func fields(
        _ columns: [TableColumn], cells: @escaping @Sendable (TableField, JSONValue, Date) -> [JSONValue]
    ) -> TablePrinter
    {
        TablePrinter(columns: columns) { object, now in cells(TableField(object), object, now) }
    }
}
