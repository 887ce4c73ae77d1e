import Foundation
import KubeCore

/// Event printers for core/v1 and events.k8s.io/v1 (upstream prints both with `printEvent`, after converting
/// an events.k8s.io Event to the internal core shape). No NAME column first: LAST SEEN leads.
enum EventPrinters {
    static let columns: [TableColumn] = [
        PrinterColumns.text("Last Seen", "Time since the event was last observed."),
        PrinterColumns.text("Type", "Normal or Warning."),
        PrinterColumns.text("Reason", "Short machine-readable cause."),
        PrinterColumns.text("Object", "The object the event is about, as kind/name."),
        PrinterColumns.text("Subobject", "The part of the object, such as a container.", priority: 1),
        PrinterColumns.text("Source", "The component (and host) that reported the event.", priority: 1),
        PrinterColumns.text("Message", "Human-readable description."),
        PrinterColumns.text("First Seen", "Time since the event was first observed.", priority: 1),
        PrinterColumns.text("Count", "How many times the event occurred.", priority: 1),
        TableColumn(name: "Name", format: "name", description: TableColumn.name.description, priority: 1),
    ]

    /// The fields of an event, under their core/v1 names.
    struct Fields {
        var firstTimestamp: TableField
        var lastTimestamp: TableField
        var eventTime: TableField
        var series: TableField
        var count: Int64
        var type: String
        var reason: String
        var involvedObject: TableField
        var sourceComponent: String
        var sourceHost: String
        var reportingController: String
        var reportingInstance: String
        var message: String
    }

    static let core = TablePrinter.fields(columns) { event, object, now in
        cells(Fields(
            firstTimestamp: event["firstTimestamp"], lastTimestamp: event["lastTimestamp"],
            eventTime: event["eventTime"], series: event["series"], count: event["count"].integer,
            type: event["type"].text, reason: event["reason"].text, involvedObject: event["involvedObject"],
            sourceComponent: event["source", "component"].text, sourceHost: event["source", "host"].text,
            reportingController: event["reportingComponent"].text, reportingInstance: event["reportingInstance"].text,
            message: event["message"].text), name: object.name, now: now)
    }

    static let eventsV1 = TablePrinter.fields(columns) { event, object, now in
        cells(Fields(
            firstTimestamp: event["deprecatedFirstTimestamp"], lastTimestamp: event["deprecatedLastTimestamp"],
            eventTime: event["eventTime"], series: event["series"], count: event["deprecatedCount"].integer,
            type: event["type"].text, reason: event["reason"].text, involvedObject: event["regarding"],
            sourceComponent: event["deprecatedSource", "component"].text,
            sourceHost: event["deprecatedSource", "host"].text,
            reportingController: event["reportingController"].text, reportingInstance: event["reportingInstance"].text,
            message: event["note"].text), name: object.name, now: now)
    }

    static func cells(_ event: Fields, name: String, now: Date) -> [JSONValue] {
        let firstSeen = event.firstTimestamp.date != nil
            ? PrintFormat.since(event.firstTimestamp, now: now) : PrintFormat.since(event.eventTime, now: now)
        var lastSeen = event.lastTimestamp.date != nil ? PrintFormat.since(event.lastTimestamp, now: now) : firstSeen
        var count = event.count
        if event.series.exists {
            lastSeen = PrintFormat.since(event.series["lastObservedTime"], now: now)
            count = event.series["count"].integer
        } else if count == 0 {
            count = 1
        }
        let kind = event.involvedObject["kind"].text.lowercased()
        let target = event.involvedObject["name"].nonEmpty.map { "\(kind)/\($0)" } ?? kind
        let component = event.sourceComponent.isEmpty ? event.reportingController : event.sourceComponent
        let instance = event.sourceHost.isEmpty ? event.reportingInstance : event.sourceHost
        return [
            .string(lastSeen),
            .string(event.type),
            .string(event.reason),
            .string(target),
            .string(event.involvedObject["fieldPath"].text),
            .string(instance.isEmpty ? component : "\(component), \(instance)"),
            .string(PrintFormat.trimmed(event.message)),
            .string(firstSeen),
            .integer(count),
            .string(name),
        ]
    }
}
