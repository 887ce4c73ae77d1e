import Foundation
import KubeCore

/// Builds `meta.k8s.io/v1` Table responses (lists, single objects and watch events).
///
/// Value type; Sendable.
struct TableBuilder: Sendable {
    let resource: ServedResource
    let now: Date

    var printer: TablePrinter { resource.printer ?? .default }

    func table(_ objects: [JSONValue], listRevision: String, includeObject: String?, includeHeaders: Bool = true)
        -> JSONValue
    {
        let printer = self.printer
        let rows: [JSONValue] = objects.map { object in
            var row: [String: JSONValue] = ["cells": .array(printer.cells(object, now))]
            switch includeObject ?? "Metadata" {
            case "None": break
            case "Object": row["object"] = object
            default: row["object"] = partialMetadata(object)
            }
            return .object(row)
        }
        return [
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": ["resourceVersion": .string(listRevision)],
            "columnDefinitions": .array(includeHeaders ? printer.columns.map(\.json) : []),
            "rows": .array(rows),
        ]
    }

    private func partialMetadata(_ object: JSONValue) -> JSONValue {
        [
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": object["metadata"] ?? .object([:]),
        ]
    }
}
