import KubeCore

/// The label and field selectors of a list or watch, parsed and checked against what the resource
/// supports.
///
/// Value type; Sendable.
struct ListSelection: Sendable {
    var labels: LabelSelectorExpression
    var fields: FieldSelector

    init(query: QueryParameters, resource: ServedResource) throws {
        do {
            labels = try LabelSelectorExpression(parsing: query["labelSelector"] ?? "")
        } catch {
            throw APIError.badRequest("unable to parse requirement: \(error)")
        }
        do {
            fields = try FieldSelector(parsing: query["fieldSelector"] ?? "")
        } catch {
            throw APIError.badRequest("\(error)")
        }
        let supported = Set(resource.fields(of: .object([:])).keys)
        for term in fields.terms where !supported.contains(term.field) {
            throw APIError.badRequest("field label not supported: \(term.field)")
        }
    }

    var isEverything: Bool { labels.isEmpty && fields.isEmpty }

    func matches(_ object: JSONValue, resource: ServedResource) -> Bool {
        if isEverything { return true }
        return labels.matches(object.labels) && fields.matches(resource.fields(of: object))
    }
}
