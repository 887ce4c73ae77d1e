@testable import APIServer
import KubeAPI
import KubeCore
import Testing

/// The create fast path of `managedFields` against the general path on generated objects of every served
/// kind: objects with fields present or absent, nulls, empty and filled lists (keyed, set and atomic) and
/// maps, nested to a bounded depth, from a fixed seed per case.
@Suite struct CreatedManagedFieldsGeneratedTests {
    static let catalog = BuiltinResources.catalog()
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6]

    static var kinds: [String] {
        var seen = Set<String>()
        return catalog.resources.compactMap { resource in
            let key = "\(resource.group)/\(resource.version)/\(resource.plural)"
            guard KindSchemas.schema(for: resource) != nil, seen.insert(key).inserted else { return nil }
            return key
        }
    }

    @Test(arguments: kinds)
    func generatedObjectsMatch(_ kind: String) throws {
        let parts = kind.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let resource = try #require(Self.catalog.resource(group: parts[0], version: parts[1], plural: parts[2]))
        let schema = try #require(KindSchemas.schema(for: resource))
        let profile = ApplyResourceProfile.profile(for: resource, subresource: nil)
        let identity = ManagerIdentity(manager: "gen", operation: ManagerIdentity.update, apiVersion: resource.apiVersion)
        var owned = 0
        for seed in Self.seeds {
            var generator = ObjectGenerator(seed: seed)
            var object = generator.object(schema)
            object.set(["apiVersion"], .string(resource.apiVersion))
            object.set(["kind"], .string(resource.kind))
            object.set(["metadata", "managedFields"], nil)
            let outcome = CreatedFieldsV1.fieldsV1(zero: profile.zero, new: object, schema: profile.createSchema,
                                                   filter: profile.createFilter)
            let fast = profile.createdManagedFields(object, identity: identity, time: "t")
            let general = profile.manager.update(old: profile.zero, new: object, managed: ManagedFieldsState(),
                                                 manager: identity, time: "t").encoded
            #expect(outcome != .unsupported, "seed \(seed)")
            #expect(fast == general, "seed \(seed): \(kind)")
            if fast != nil { owned += 1 }
        }
        #expect(owned > 0)
    }
}

/// Builds JSON objects from KubeAPI type schemas with pseudo-random choices (xorshift from a seed).
///
/// Value type; not shared.
struct ObjectGenerator {
    private var state: UInt64
    let maxDepth = 5

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }

    mutating func object(_ schema: TypeSchema, depth: Int = 0) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for field in schema.fields where next(4) != 0 {
            if next(12) == 0 {
                members[field.name] = .null
                continue
            }
            if let value = value(field.type, field: field, depth: depth, index: next(3)) {
                members[field.name] = value
            }
        }
        return .object(members)
    }

    private mutating func value(_ type: FieldType, field: FieldSchema?, depth: Int, index: Int) -> JSONValue? {
        switch type {
        case .string: return .string(field?.enumValues.first ?? "s\(index)")
        case .int32, .int64: return .integer(Int64(index + 1))
        case .bool: return .bool(index % 2 == 0)
        case .double: return .number(Double(index) + 0.5)
        case .bytes: return "AAEC"
        case .quantity: return .string("\(index + 1)00m")
        case .intOrString: return index % 2 == 0 ? .integer(Int64(index + 8080)) : .string("port\(index)")
        case .time, .microTime: return .string("2026-11-28T19:00:0\(index)Z")
        case .json: return next(2) == 0 ? ["a": [1, ["b": true]], "c": nil] : [.string("x\(index)"), 2]
        case .object(let name):
            guard let nested = APIRegistry.schema(named: name) else { return .object([:]) }
            guard depth < maxDepth else { return .object([:]) }
            return object(nested, depth: depth + 1)
        case .map(let valueType):
            var members: [String: JSONValue] = [:]
            for entry in 0..<next(3) {
                if let value = value(valueType, field: nil, depth: depth + 1, index: entry) { members["m\(entry)"] = value }
            }
            return .object(members)
        case .array(let element):
            let count = next(4)
            var items: [JSONValue] = []
            for entry in 0..<count {
                guard var item = value(element, field: nil, depth: depth + 1, index: entry) else { continue }
                if case .object(var members) = item, let field {
                    // Distinct key values per entry (and now and then a duplicate, which makes the list atomic).
                    let keys = field.listMapKeys.isEmpty ? field.patchMergeKey.map { [$0] } ?? [] : field.listMapKeys
                    let tag = next(10) == 0 ? 0 : entry
                    for key in keys where next(8) != 0 || key != "protocol" {
                        members[key] = key == "protocol" ? "TCP"
                            : (key.lowercased().contains("port") ? .integer(Int64(tag + 1)) : .string("key\(tag)"))
                    }
                    item = .object(members)
                } else if case .string = item {
                    item = .string("v\(entry)")
                } else if case .integer = item {
                    item = .integer(Int64(entry))
                }
                items.append(item)
            }
            return .array(items)
        }
    }
}
