@testable import APIServer
import Foundation
import KubeCore
import Testing

/// Deletion propagation in the API server (upstream generic registry store and namespace storage): the delete
/// options and each kind's default choose the garbage collector's finalizers, marked objects stay until an
/// update removes their last finalizer, and namespaces terminate through the finalize subresource.
@Suite struct GarbageCollectionDeletionPropagationTests {
    static let replicaSet = #"{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#
    static let replicaSetPath = "/apis/apps/v1/namespaces/default/replicasets/web"

    func apiWithReplicaSet() async throws -> InProcessAPI {
        let api = try await InProcessAPI()
        try await api.ok("POST", "/apis/apps/v1/namespaces/default/replicasets", json: Self.replicaSet)
        return api
    }

    static func finalizers(_ object: JSONValue) -> [String] {
        if case .array(let values)? = object["metadata"]?["finalizers"] { return values.compactMap(\.stringValue) }
        return []
    }

    @Test func backgroundIsTheDefaultForAppsKindsAndDeletesAtOnce() async throws {
        let api = try await apiWithReplicaSet()
        let reply = try await api.send("DELETE", Self.replicaSetPath)
        #expect(reply.status == 200)
        #expect(try await api.send("GET", Self.replicaSetPath).status == 404)
    }

    @Test func orphanMarksTheObjectWithTheOrphanFinalizer() async throws {
        let api = try await apiWithReplicaSet()
        let marked = try await api.ok("DELETE", Self.replicaSetPath, json: #"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Orphan"}"#)
        #expect(Self.finalizers(marked) == ["orphan"])
        #expect(marked["metadata"]?["deletionTimestamp"]?.stringValue != nil)
        #expect(marked["metadata"]?["deletionGracePeriodSeconds"] == .integer(0))
        #expect(marked["metadata"]?["generation"] == .integer(2))
        let stored = try await api.ok("GET", Self.replicaSetPath)
        #expect(Self.finalizers(stored) == ["orphan"])
        // Deleting again with Background switches the finalizers instead of removing the object... to none, so it goes.
        try await api.ok("DELETE", Self.replicaSetPath, query: "propagationPolicy=Background")
        #expect(try await api.send("GET", Self.replicaSetPath).status == 404)
    }

    @Test func foregroundFromTheQueryAndOrphanDependentsFalseWaitForDependents() async throws {
        let api = try await apiWithReplicaSet()
        let marked = try await api.ok("DELETE", Self.replicaSetPath, query: "propagationPolicy=Foreground")
        #expect(Self.finalizers(marked) == ["foregroundDeletion"])
        let again = try await api.ok("DELETE", Self.replicaSetPath, query: "propagationPolicy=Foreground")
        #expect(again["metadata"]?["deletionTimestamp"] == marked["metadata"]?["deletionTimestamp"])
        #expect(again["metadata"]?["resourceVersion"] == marked["metadata"]?["resourceVersion"])
        // The legacy orphanDependents=false asks for neither GC finalizer (upstream): nothing holds it any more.
        let legacy = try await api.send("DELETE", Self.replicaSetPath, json: #"{"orphanDependents":false}"#)
        #expect(legacy.status == 200)
        #expect(try await api.send("GET", Self.replicaSetPath).status == 404)
    }

    @Test func anObjectKeptByOtherFinalizersAnswers202ToOrphanDependentsFalse() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", "/api/v1/namespaces/default/configmaps", json: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/hold"]}}"#)
        let reply = try await api.send("DELETE", "/api/v1/namespaces/default/configmaps/held", json: #"{"orphanDependents":false}"#)
        #expect(reply.status == 202)
        #expect(Self.finalizers(reply.body) == ["example.com/hold"])
        #expect(reply.body["metadata"]?["deletionTimestamp"]?.stringValue != nil)
    }

    @Test func bothOrphanDependentsAndAPolicyAreRefused() async throws {
        let api = try await apiWithReplicaSet()
        let reply = try await api.send("DELETE", Self.replicaSetPath, json: #"{"orphanDependents":true,"propagationPolicy":"Background"}"#)
        #expect(reply.status == 422)
        #expect(reply.body["message"]?.stringValue?.contains("orphanDependents and deletionPropagation cannot be both set") == true)
    }

    @Test func replicationControllersAndJobsOrphanByDefault() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", "/api/v1/namespaces/default/replicationcontrollers", json: #"{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},"spec":{"replicas":0,"selector":{"app":"rc"},"template":{"metadata":{"labels":{"app":"rc"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#)
        let rc = try await api.ok("DELETE", "/api/v1/namespaces/default/replicationcontrollers/rc")
        #expect(Self.finalizers(rc) == ["orphan"])
        try await api.ok("POST", "/apis/batch/v1/namespaces/default/jobs", json: #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"job"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}"#)
        let job = try await api.ok("DELETE", "/apis/batch/v1/namespaces/default/jobs/job")
        #expect(Self.finalizers(job) == ["orphan"])
        try await api.ok("POST", "/api/v1/namespaces/default/configmaps", json: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}"#)
        try await api.ok("DELETE", "/api/v1/namespaces/default/configmaps/cm")
        #expect(try await api.send("GET", "/api/v1/namespaces/default/configmaps/cm").status == 404)
    }

    @Test func removingTheLastFinalizerByUpdateCompletesTheDelete() async throws {
        let api = try await apiWithReplicaSet()
        _ = try await api.ok("DELETE", Self.replicaSetPath, query: "propagationPolicy=Orphan")
        let patched = try await api.send("PATCH", Self.replicaSetPath, json: #"{"metadata":{"finalizers":null}}"#,
                                         contentType: "application/merge-patch+json")
        #expect(patched.status == 200)
        #expect(try await api.send("GET", Self.replicaSetPath).status == 404)
    }

    @Test func aNamespaceTerminatesUntilItsFinalizersAreGone() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", "/api/v1/namespaces", json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"gone"}}"#)
        try await api.ok("POST", "/api/v1/namespaces/gone/configmaps", json: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}"#)
        let marked = try await api.ok("DELETE", "/api/v1/namespaces/gone")
        #expect(marked["status"]?["phase"] == "Terminating")
        #expect(marked["metadata"]?["deletionTimestamp"]?.stringValue != nil)
        #expect(marked["spec"]?["finalizers"] == ["kubernetes"])
        // The content stays for the namespace controller; new content is refused.
        #expect(try await api.send("GET", "/api/v1/namespaces/gone/configmaps/cm").status == 200)
        let refused = try await api.send("POST", "/api/v1/namespaces/gone/configmaps", json: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"late"}}"#)
        #expect(refused.status == 403)
        // A second delete answers with the namespace, unchanged.
        let again = try await api.ok("DELETE", "/api/v1/namespaces/gone")
        #expect(again["metadata"]?["resourceVersion"] == marked["metadata"]?["resourceVersion"])
        // Finalizing with spec.finalizers emptied removes it.
        var finalize = again
        finalize.set(["spec", "finalizers"], .array([]))
        let finalized = try await api.send("PUT", "/api/v1/namespaces/gone/finalize", json: String(decoding: finalize.jsonBytes, as: UTF8.self))
        #expect(finalized.status == 200)
        #expect(try await api.send("GET", "/api/v1/namespaces/gone").status == 404)
    }

    @Test func aNamespaceWithAMetadataFinalizerStaysAfterFinalize() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", "/api/v1/namespaces", json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"held","finalizers":["example.com/hold"]}}"#)
        let marked = try await api.ok("DELETE", "/api/v1/namespaces/held", query: "propagationPolicy=Foreground")
        #expect(Self.finalizers(marked) == ["example.com/hold", "foregroundDeletion"])
        var finalize = marked
        finalize.set(["spec", "finalizers"], .array([]))
        let finalized = try await api.ok("PUT", "/api/v1/namespaces/held/finalize", json: String(decoding: finalize.jsonBytes, as: UTF8.self))
        #expect(finalized["spec"]?["finalizers"] == .array([]))
        #expect(finalized["status"]?["phase"] == "Terminating")
        // Removing the metadata finalizers by update completes the delete.
        let patched = try await api.send("PATCH", "/api/v1/namespaces/held", json: #"{"metadata":{"finalizers":[]}}"#,
                                         contentType: "application/merge-patch+json")
        #expect(patched.status == 200)
        #expect(try await api.send("GET", "/api/v1/namespaces/held").status == 404)
    }

    @Test func finalizeOnlyTakesPUT() async throws {
        let api = try await InProcessAPI()
        #expect(try await api.send("POST", "/api/v1/namespaces/default/finalize", json: "{}").status == 405)
    }
}
