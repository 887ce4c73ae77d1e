public import KubeCore
public import Foundation

/// The columns `kubectl get` shows for one resource and how to fill them from an object. kubectl has no
/// printers of its own: it prints exactly these cells.
///
/// Value type; Sendable.
public struct TablePrinter: Sendable {
    public var columns: [TableColumn]
    public var cells: @Sendable (_ object: JSONValue, _ now: Date) -> [JSONValue]

    public init(columns: [TableColumn], cells: @escaping @Sendable (JSONValue, Date) -> [JSONValue]) {
        self.columns = columns
        self.cells = cells
    }

    /// The API server's default for kinds without a printer: NAME and CREATED AT.
    public static let `default` = TablePrinter(
        columns: [
            .name,
            TableColumn(name: "Created At", type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        cells: { object, _ in [.string(object.name), object["metadata"]?["creationTimestamp"] ?? .null] })

    /// NAME, then `columns`, then AGE: the shape of most built-in printers.
    public static func named(_ columns: [TableColumn], cells: @escaping @Sendable (JSONValue, Date) -> [JSONValue])
        -> TablePrinter
    {
        TablePrinter(columns: [.name] + columns + [.age]) { object, now in
            [.string(object.name)] + cells(object, now) + [.string(Age.of(object, now: now))]
        }
    }
}

/// One column of a Table.
///
/// Value type; Sendable.
public struct TableColumn: Sendable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    /// 0 = shown by default; 1 = only with `-o wide`.
    public var priority: Int

    public init(name: String, type: String = "string", format: String = "", description: String = "", priority: Int = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    public static let name = TableColumn(
        name: "Name", format: "name",
        description: "Name must be unique within a namespace. Cannot be updated.")
    public static let age = TableColumn(
        name: "Age", description: "CreationTimestamp is a timestamp representing the server time when this object was created.")

    var json: JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format),
         "description": .string(description), "priority": .integer(Int64(priority))]
    }
}

/// `kubectl`'s human durations ("5m10s", "3d"), as the API server's printers compute them.
public enum Age {
    public static func of(_ object: JSONValue, now: Date) -> String {
        guard let text = object["metadata"]?["creationTimestamp"]?.stringValue,
              let created = try? RFC3339Time(parsing: text) else { return "<unknown>" }
        return human(now.timeIntervalSince(created.date))
    }

    public static func human(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
