@testable import APIServer
import KubeAPI
import KubeCore
import Testing

/// Server-side apply's building blocks against KubeAPI's schemas: the FieldsV1 encoding of field sets,
/// field sets of configurations, ownership after updates, the apply merge, pruning and conflicts.
@Suite struct FieldOwnershipTests {
    static func schema(_ kind: String) -> ApplySchema {
        .root(APIRegistry.schema(named: kind)!)
    }

    static func json(_ text: String) -> JSONValue {
        try! JSONValueParser.parse(Array(text.utf8))
    }

    // MARK: FieldsV1 encoding

    struct EncodingCase: Sendable, CustomTestStringConvertible {
        var name: String
        var paths: [FieldSetPath]
        var fieldsV1: String
        var testDescription: String { name }
    }

    static let encodingCases: [EncodingCase] = [
        EncodingCase(name: "a map that is a member and has members gets \".\"",
                     paths: [.fields("data"), .fields("data", "key")],
                     fieldsV1: #"{"f:data":{".":{},"f:key":{}}}"#),
        EncodingCase(name: "a parent that is not a member has no \".\"",
                     paths: [.fields("metadata", "labels", "app")],
                     fieldsV1: #"{"f:metadata":{"f:labels":{"f:app":{}}}}"#),
        EncodingCase(name: "map-list entries by key",
                     paths: [FieldSetPath([.field("spec"), .field("containers"), .keyed([.init(name: "name", value: "x")])]),
                             FieldSetPath([.field("spec"), .field("containers"), .keyed([.init(name: "name", value: "x")]),
                                           .field("image")])],
                     fieldsV1: #"{"f:spec":{"f:containers":{"k:{\"name\":\"x\"}":{".":{},"f:image":{}}}}}"#),
        EncodingCase(name: "keys sorted by field name",
                     paths: [FieldSetPath([.field("ports"), .keyed([.init(name: "protocol", value: "TCP"),
                                                                    .init(name: "containerPort", value: 80)])])],
                     fieldsV1: #"{"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{}}}"#),
        EncodingCase(name: "set entries by value",
                     paths: [FieldSetPath([.field("metadata"), .field("finalizers"), .value("example.com/x")])],
                     fieldsV1: #"{"f:metadata":{"f:finalizers":{"v:\"example.com/x\"":{}}}}"#),
    ]

    @Test(arguments: encodingCases)
    func fieldsV1Encoding(_ row: EncodingCase) throws {
        let set = FieldSet(row.paths)
        #expect(set.fieldsV1 == Self.json(row.fieldsV1))
        #expect(try FieldSet(fieldsV1: Self.json(row.fieldsV1)) == set)
    }

    @Test func malformedFieldsV1IsRejected() {
        #expect(throws: FieldSetDecodingError.self) { try FieldSet(fieldsV1: Self.json(#"{"x:data":{}}"#)) }
        #expect(throws: FieldSetDecodingError.self) { try FieldSet(fieldsV1: Self.json(#"{"f:data":1}"#)) }
        #expect(throws: FieldSetDecodingError.self) { try FieldSet(fieldsV1: Self.json(#"{"k:notjson":{}}"#)) }
    }

    @Test func pathDescriptionsAreUpstreams() {
        let path = FieldSetPath([.field("spec"), .field("containers"), .keyed([.init(name: "name", value: "app")]),
                                 .field("ports"), .keyed([.init(name: "protocol", value: "TCP"),
                                                          .init(name: "containerPort", value: 80)])])
        #expect(path.description == #".spec.containers[name="app"].ports[containerPort=80,protocol="TCP"]"#)
        #expect(FieldSetPath([.field("finalizers"), .value("a")]).description == #".finalizers[="a"]"#)
    }

    // MARK: Field sets of configurations

    @Test func deploymentConfigurationFieldSet() {
        let config = Self.json(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},
               "spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}]}]}}}}
            """#)
        let set = FieldSetExtraction.fieldSet(of: config, schema: Self.schema("Deployment"))
            .subtracting(FieldManager.serverMetadata)
        // The selector is an atomic struct; the port's protocol key takes its default.
        #expect(set.fieldsV1 == Self.json(#"""
            {"f:metadata":{"f:labels":{"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:selector":{},
              "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
               "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},
                "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}
            """#))
    }

    @Test func configurationsWithoutUniqueKeysAreRejected() {
        let schema = Self.schema("Deployment")
        let duplicate = Self.json(#"{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"a"}]}}}}"#)
        #expect(throws: ApplyValueError.self) { try ApplyConfigurationCheck.check(duplicate, schema: schema) }
        let missingKey = Self.json(#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#)
        do {
            try ApplyConfigurationCheck.check(missingKey, schema: schema)
            Issue.record("a container without a name was accepted")
        } catch {
            #expect(error.description == #".spec.template.spec.containers: associative list with keys has an element that omits key field "name" (and doesn't have default value)"#)
        }
    }

    // MARK: Updates

    static let configMaps = FieldManager(schema: schema("ConfigMap"), apiVersion: "v1", ignored: [])

    static func update(_ managed: ManagedFieldsState, _ old: String, _ new: String, by manager: String)
        -> ManagedFieldsState
    {
        configMaps.update(old: json(old), new: json(new), managed: managed,
                          manager: ManagerIdentity(manager: manager, operation: "Update", apiVersion: "v1"),
                          time: "2024-01-01T00:00:00Z")
    }

    static func owned(_ state: ManagedFieldsState, _ manager: String, operation: String = "Update") -> JSONValue? {
        state.entries[ManagerIdentity(manager: manager, operation: operation, apiVersion: "v1")]?.set.fieldsV1
    }

    @Test func createOwnsEverythingItSetAndUpdatesTakeOwnership() {
        let created = Self.update(ManagedFieldsState(), #"{}"#,
                                  #"{"metadata":{"name":"c","labels":{"x":"1"}},"data":{"a":"1","b":"2"}}"#,
                                  by: "creator")
        #expect(Self.owned(created, "creator") == Self.json(
            #"{"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{".":{},"f:x":{}}}}"#))

        let edited = Self.update(created, #"{"metadata":{"name":"c","labels":{"x":"1"}},"data":{"a":"1","b":"2"}}"#,
                                 #"{"metadata":{"name":"c","labels":{"x":"1"}},"data":{"a":"9","c":"3"}}"#, by: "editor")
        #expect(Self.owned(edited, "editor") == Self.json(#"{"f:data":{"f:a":{},"f:c":{}}}"#))
        // The creator lost the changed field and the removed one.
        #expect(Self.owned(edited, "creator") == Self.json(#"{"f:data":{},"f:metadata":{"f:labels":{".":{},"f:x":{}}}}"#))

        // A second update by the same manager merges into its entry.
        let again = Self.update(edited, #"{"metadata":{"name":"c"},"data":{"a":"9","c":"3"}}"#,
                                #"{"metadata":{"name":"c"},"data":{"a":"9","c":"3","d":"4"}}"#, by: "editor")
        #expect(Self.owned(again, "editor") == Self.json(#"{"f:data":{"f:a":{},"f:c":{},"f:d":{}}}"#))
        #expect(again.entries.count == 2)
    }

    @Test func anEntryLeftWithNothingIsDropped() {
        let created = Self.update(ManagedFieldsState(), #"{}"#, #"{"metadata":{"name":"c"},"data":{"a":"1"}}"#,
                                  by: "creator")
        let taken = Self.update(created, #"{"metadata":{"name":"c"},"data":{"a":"1"}}"#, #"{"metadata":{"name":"c"}}"#,
                                by: "cleaner")
        #expect(taken.entries.isEmpty)
    }

    @Test func updateEntriesBeyondTenMergeIntoAncientChanges() {
        var state = ManagedFieldsState()
        for index in 0..<12 {
            let identity = ManagerIdentity(manager: "m\(index)", operation: "Update", apiVersion: "v1")
            state.entries[identity] = ManagedFieldsState.Entry(
                set: [.fields("data", "k\(index)")], apiVersion: "v1", time: "2024-01-01T00:00:\(10 + index)Z")
        }
        let capped = FieldManager.capUpdateManagers(state)
        #expect(capped.entries.count == 10)
        #expect(Self.owned(capped, "ancient-changes") == Self.json(#"{"f:data":{"f:k0":{},"f:k1":{},"f:k2":{}}}"#))
        #expect(Self.owned(capped, "m2") == nil)
        #expect(Self.owned(capped, "m3") != nil)
    }

    @Test func serverMetadataIsNeverOwned() {
        let created = Self.update(ManagedFieldsState(), #"{}"#,
                                  #"{"metadata":{"name":"c","uid":"u","resourceVersion":"1","generation":1}}"#, by: "m")
        #expect(created.entries.isEmpty)
    }

    // MARK: Apply

    struct MergeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: String
        var live: String
        var config: String
        var expected: String
        var testDescription: String { name }
    }

    static let mergeCases: [MergeCase] = [
        MergeCase(name: "maps merge by member", kind: "ConfigMap",
                  live: #"{"data":{"a":"1","b":"2"}}"#, config: #"{"data":{"b":"3","c":"4"}}"#,
                  expected: #"{"data":{"a":"1","b":"3","c":"4"}}"#),
        MergeCase(name: "map lists merge by key, entries merging recursively", kind: "Deployment",
                  live: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x","args":["1"]},{"name":"b","image":"y"}]}}}}"#,
                  config: #"{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"z"},{"name":"c","image":"w"}]}}}}"#,
                  expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x","args":["1"]},{"name":"b","image":"z"},{"name":"c","image":"w"}]}}}}"#),
        MergeCase(name: "atomic lists are replaced", kind: "Deployment",
                  live: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","args":["1","2"]}]}}}}"#,
                  config: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","args":["3"]}]}}}}"#,
                  expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","args":["3"]}]}}}}"#),
        MergeCase(name: "set lists take the union", kind: "ConfigMap",
                  live: #"{"metadata":{"finalizers":["a","b"]}}"#, config: #"{"metadata":{"finalizers":["b","c"]}}"#,
                  expected: #"{"metadata":{"finalizers":["a","b","c"]}}"#),
        MergeCase(name: "atomic structs are replaced", kind: "Deployment",
                  live: #"{"spec":{"selector":{"matchLabels":{"a":"1","b":"2"}}}}"#,
                  config: #"{"spec":{"selector":{"matchLabels":{"c":"3"}}}}"#,
                  expected: #"{"spec":{"selector":{"matchLabels":{"c":"3"}}}}"#),
    ]

    @Test(arguments: mergeCases)
    func applyMerge(_ row: MergeCase) {
        let merged = ApplyMerge.merge(Self.json(row.live), Self.json(row.config), schema: Self.schema(row.kind))
        #expect(merged == Self.json(row.expected))
    }

    static let applier = ManagerIdentity(manager: "applier", operation: "Apply", apiVersion: "v1")

    static func apply(_ live: String, _ config: String, _ managed: ManagedFieldsState, force: Bool = false)
        throws(ApplyConflicts) -> (object: JSONValue, managed: ManagedFieldsState)
    {
        try configMaps.apply(live: json(live), config: json(config), managed: managed, manager: applier, force: force,
                             time: "2024-01-01T00:00:00Z")
    }

    @Test func applyingWithoutAFieldRemovesItUnlessSomeoneElseOwnsIt() throws {
        let first = try Self.apply(#"{"metadata":{"name":"c"}}"#, #"{"metadata":{"name":"c"},"data":{"a":"1","b":"2"}}"#,
                                   ManagedFieldsState())
        #expect(Self.owned(first.managed, "applier", operation: "Apply") == Self.json(#"{"f:data":{"f:a":{},"f:b":{}}}"#))
        let second = try Self.apply(first.object.jsonText, #"{"metadata":{"name":"c"},"data":{"a":"1"}}"#, first.managed)
        #expect(second.object == Self.json(#"{"metadata":{"name":"c"},"data":{"a":"1"}}"#))
        // Dropping every key removes the map.
        let third = try Self.apply(second.object.jsonText, #"{"metadata":{"name":"c"}}"#, second.managed)
        #expect(third.object == Self.json(#"{"metadata":{"name":"c"}}"#))
        #expect(third.managed.entries.isEmpty)

        // b is shared with an updater that set the same value: it stays when the applier drops it.
        let shared = Self.update(first.managed, #"{"metadata":{"name":"c"},"data":{"a":"1","b":"2"}}"#,
                                 #"{"metadata":{"name":"c"},"data":{"a":"1","b":"2","z":"9"}}"#, by: "other")
        var sharedState = shared
        sharedState.entries[ManagerIdentity(manager: "other", operation: "Update", apiVersion: "v1")]?.set
            .insert(.fields("data", "b"))
        let kept = try Self.apply(#"{"metadata":{"name":"c"},"data":{"a":"1","b":"2","z":"9"}}"#,
                                  #"{"metadata":{"name":"c"},"data":{"a":"1"}}"#, sharedState)
        #expect(kept.object == Self.json(#"{"metadata":{"name":"c"},"data":{"a":"1","b":"2","z":"9"}}"#))
    }

    @Test func conflictsNameTheManagerAndFieldAndForceTakesOwnership() throws {
        let created = Self.update(ManagedFieldsState(), #"{}"#, #"{"metadata":{"name":"c"},"data":{"key":"old"}}"#,
                                  by: "kubectl-client-side-apply")
        let live = #"{"metadata":{"name":"c"},"data":{"key":"old"}}"#
        do {
            _ = try Self.apply(live, #"{"metadata":{"name":"c"},"data":{"key":"new"}}"#, created)
            Issue.record("the apply did not conflict")
        } catch {
            #expect(error.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key"#)
            let status = ErrorMapping.apiError(error).status
            #expect(status.code == 409)
            #expect(status.reason == .conflict)
            #expect(status.details?.causes == [StatusCause(type: .fieldManagerConflict,
                                                           message: #"conflict with "kubectl-client-side-apply" using v1"#,
                                                           field: ".data.key")])
        }
        // The same value is shared, not a conflict.
        let same = try Self.apply(live, #"{"metadata":{"name":"c"},"data":{"key":"old"}}"#, created)
        #expect(Self.owned(same.managed, "applier", operation: "Apply") == Self.json(#"{"f:data":{"f:key":{}}}"#))
        #expect(Self.owned(same.managed, "kubectl-client-side-apply") == Self.json(#"{"f:data":{".":{},"f:key":{}}}"#))
        // Forced, the field changes hands.
        let forced = try Self.apply(live, #"{"metadata":{"name":"c"},"data":{"key":"new"}}"#, created, force: true)
        #expect(forced.object["data"]?["key"] == "new")
        #expect(Self.owned(forced.managed, "kubectl-client-side-apply") == Self.json(#"{"f:data":{}}"#))
    }

    @Test func severalConflictsAreListedByManager() {
        let conflicts = ApplyConflicts(conflicts: [
            .init(manager: ManagerIdentity(manager: "a", operation: "Update", apiVersion: "v1"), path: .fields("data", "x")),
            .init(manager: ManagerIdentity(manager: "b", operation: "Apply", apiVersion: "v1"), path: .fields("data", "y")),
        ])
        #expect(conflicts.message == "Apply failed with 2 conflicts: conflicts with \"a\" using v1:\n- .data.x\n"
            + "conflicts with \"b\":\n- .data.y")
    }

    @Test func managedFieldsRoundTripSortedApplyFirst() throws {
        let encoded = Self.json(#"""
            [{"manager":"z","operation":"Update","apiVersion":"v1","time":"2024-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:b":{}}}},
             {"manager":"s","operation":"Update","apiVersion":"v1","time":"2024-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:x":{}}},"subresource":"status"},
             {"manager":"a","operation":"Apply","apiVersion":"v1","time":"2024-01-02T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}]
            """#)
        let state = try ManagedFieldsState(decoding: encoded)
        #expect(state.entries.count == 3)
        guard case .array(let items)? = state.encoded else { Issue.record("no managedFields"); return }
        #expect(items.compactMap { $0["manager"]?.stringValue } == ["a", "s", "z"])
        #expect(items[1]["subresource"] == "status")
        #expect(ManagedFieldsState.isResetRequest(Self.json("[{}]")))
        #expect(!ManagedFieldsState.isResetRequest(Self.json("[]")))
        #expect(throws: FieldSetDecodingError.self) {
            try ManagedFieldsState(decoding: Self.json(#"[{"manager":"m","fieldsType":"FieldsV2","fieldsV1":{}}]"#))
        }
    }
}

extension JSONValue {
    fileprivate var jsonText: String { String(decoding: JSONValueWriter.bytes(self), as: UTF8.self) }
}
