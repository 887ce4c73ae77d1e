@testable import KubeAPI
import KubeCore
import Testing

/// Consistency of the generated tables: every resource has a schema starting with metadata, every
/// referenced type has a schema, names and proto numbers are unique, lookups work.
@Suite struct APIRegistryTests {
    @Test func everyResourceHasASchemaStartingWithMetadata() throws {
        #expect(APIRegistry.resources.count == APIRegistry.resourceTypes.count)
        for type in APIRegistry.resourceTypes {
            let schema = try #require(APIRegistry.schema(named: type.typeSchema.name), "\(type): no schema in the registry")
            #expect(schema.fields.first?.name == "metadata", "\(type): first field is not metadata")
            #expect(schema.fields.first?.type == .object("ObjectMeta"))
            #expect(schema.goName == type.resource.kind)
            #expect(schema.group == type.resource.group && schema.version == type.resource.version)
        }
    }

    @Test func everyReferencedTypeHasASchema() {
        for schema in APIRegistry.schemas.values {
            for field in schema.fields {
                if let name = field.type.referencedTypeName {
                    #expect(APIRegistry.schema(named: name) != nil, "\(schema.name).\(field.name): no schema for \(name)")
                }
            }
        }
    }

    @Test func listKeysNameFieldsOfTheElementType() throws {
        for schema in APIRegistry.schemas.values {
            for field in schema.fields {
                guard case .array(.object(let element)) = field.type else { continue }
                let elementSchema = try #require(APIRegistry.schema(named: element))
                for key in field.listMapKeys + (field.patchMergeKey.map { [$0] } ?? []) {
                    #expect(elementSchema.field(named: key) != nil, "\(schema.name).\(field.name): no field \(key) in \(element)")
                }
            }
        }
    }

    @Test func namesAndProtoNumbersAreUnique() {
        #expect(Set(APIRegistry.types.map { $0.typeSchema.name }).count == APIRegistry.types.count)
        #expect(Set(APIRegistry.resources.map(\.groupVersionResource)).count == APIRegistry.resources.count)
        #expect(Set(APIRegistry.resources.map(\.groupVersionKind)).count == APIRegistry.resources.count)
        for schema in APIRegistry.schemas.values {
            let numbers = schema.fields.compactMap(\.protoNumber)
            #expect(Set(numbers).count == numbers.count, "\(schema.name): duplicate proto numbers")
            #expect(Set(schema.fields.map(\.name)).count == schema.fields.count, "\(schema.name): duplicate fields")
        }
    }

    @Test func lookups() throws {
        let configMap = try #require(APIRegistry.resource(group: "", version: "v1", plural: "configmaps"))
        #expect(configMap.kind == "ConfigMap" && configMap.apiVersion == "v1" && configMap.namespaced)
        #expect(configMap.shortNames.contains("cm"))
        #expect(APIRegistry.resource(forKind: "ConfigMap", group: "", version: "v1")?.plural == "configmaps")
        #expect(APIRegistry.resourceType(group: "", version: "v1", plural: "configmaps") == ConfigMap.self)
        #expect(APIRegistry.resource(group: "", version: "v1", plural: "nonexistent") == nil)
        #expect(APIRegistry.schema(named: "ConfigMap")?.openAPIName == "io.k8s.api.core.v1.ConfigMap")
        #expect(APIRegistry.schema(named: "ObjectMeta")?.openAPIName == "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
        #expect(APIRegistry.schema(named: "ObjectMeta")?.field(named: "ownerReferences")?.patchMergeKey == "uid")
        for resource in APIRegistry.resources {
            #expect(APIRegistry.resource(forKind: resource.kind, group: resource.group, version: resource.version) == resource)
        }
    }

    @Test func resourcesAreSortedByGroupVersionPlural() {
        let keys = APIRegistry.resources.map { [$0.group, $0.version, $0.plural] }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
