import Foundation
import KubeCore
import Testing

@Suite struct ObjectMetaTests {
    @Test func emptyObjectMetaEncodesLikeGo() throws {
        // Go's ObjectMeta has a non-pointer creationTimestamp, so the zero value renders as null.
        #expect(try encodedJSON(ObjectMeta()) == #"{"creationTimestamp":null}"#)
    }

    @Test func fullObjectMetaRoundTrips() throws {
        let text = """
            {"annotations":{"note":"x"},"creationTimestamp":"2024-01-02T03:04:05Z",\
            "deletionGracePeriodSeconds":30,"deletionTimestamp":"2024-01-02T03:05:05Z",\
            "finalizers":["kubernetes.io/pv-protection"],"generateName":"web-","generation":3,\
            "labels":{"app":"web","tier":"front"},\
            "managedFields":[{"apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}}},\
            "manager":"kubectl","operation":"Apply","time":"2024-01-02T03:04:05Z"}],\
            "name":"web-abc","namespace":"default",\
            "ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"web","uid":"u-1"}],\
            "resourceVersion":"42","selfLink":"/api/v1/namespaces/default/pods/web-abc","uid":"6f1c"}
            """
        let meta = try decodeJSON(ObjectMeta.self, text)
        #expect(meta.name == "web-abc")
        #expect(meta.generateName == "web-")
        #expect(meta.namespace == "default")
        #expect(meta.uid == "6f1c")
        #expect(meta.resourceVersion == "42")
        #expect(meta.generation == 3)
        #expect(meta.creationTimestamp == (try RFC3339Time(parsing: "2024-01-02T03:04:05Z")))
        #expect(meta.deletionGracePeriodSeconds == 30)
        #expect(meta.labels == ["app": "web", "tier": "front"])
        #expect(meta.ownerReferences.first?.controller == true)
        #expect(meta.managedFields.first?.operation == .apply)
        #expect(meta.managedFields.first?.fieldsV1?["f:metadata"]?["f:labels"]?["f:app"] == .object([:]))
        #expect(try encodedJSON(meta) == text)
    }

    @Test func decodingToleratesNullsAndUnknownFields() throws {
        let meta = try decodeJSON(
            ObjectMeta.self,
            #"{"name":"a","labels":null,"finalizers":null,"creationTimestamp":null,"somethingNew":{"x":1}}"#
        )
        #expect(meta == ObjectMeta(name: "a"))
    }

    @Test func zeroGenerationAndEmptyCollectionsAreOmitted() throws {
        let meta = ObjectMeta(name: "n", generation: 0, creationTimestamp: RFC3339Time(secondsSince1970: 0), labels: [:], finalizers: [])
        #expect(try encodedJSON(meta) == #"{"creationTimestamp":"1970-01-01T00:00:00Z","name":"n"}"#)
    }

    @Test func typeMetaOmitsEmptyFields() throws {
        #expect(try encodedJSON(TypeMeta()) == "{}")
        #expect(try encodedJSON(TypeMeta(kind: "Pod", apiVersion: "v1")) == #"{"apiVersion":"v1","kind":"Pod"}"#)
        #expect(try TypeMeta(kind: "Deployment", apiVersion: "apps/v1").groupVersionKind() == GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"))
        #expect(throws: GroupVersionParseError.self) { try TypeMeta(kind: "X", apiVersion: "a/b/c").groupVersionKind() }
    }

    @Test func ownerReferenceAlwaysWritesRequiredFields() throws {
        let reference = OwnerReference(apiVersion: "", kind: "", name: "", uid: "")
        #expect(try encodedJSON(reference) == #"{"apiVersion":"","kind":"","name":"","uid":""}"#)
        let controller = OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "1", controller: false)
        #expect(try encodedJSON(controller) == #"{"apiVersion":"apps/v1","controller":false,"kind":"ReplicaSet","name":"rs","uid":"1"}"#)
    }

    @Test func managedFieldsEntryOmitsEmptyMembers() throws {
        #expect(try encodedJSON(ManagedFieldsEntry()) == "{}")
        let entry = ManagedFieldsEntry(manager: "m", operation: .update, subresource: "status")
        #expect(try encodedJSON(entry) == #"{"manager":"m","operation":"Update","subresource":"status"}"#)
        #expect(try decodeJSON(ManagedFieldsEntry.self, #"{"fieldsV1":null}"#).fieldsV1 == nil)
    }

    @Test func listMetaUsesContinueKey() throws {
        #expect(try encodedJSON(ListMeta()) == "{}")
        let meta = ListMeta(resourceVersion: "7", continueToken: "abc", remainingItemCount: 0)
        #expect(try encodedJSON(meta) == #"{"continue":"abc","remainingItemCount":0,"resourceVersion":"7"}"#)
        #expect(try decodeJSON(ListMeta.self, #"{"continue":"tok"}"#).continueToken == "tok")
    }
}
