@testable import APIServer
import KubeCore
import Testing

/// The `scale`, `pods/binding` and `pods/eviction` subresources through the handler: Scale views, writes
/// through the parent, upstream-shaped errors, and disruption budgets consumed or refusing.
struct SubresourceTests {
    static let deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,
         "selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]}]},
         "template":{"metadata":{"labels":{"app":"web","tier":"a"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
        """
    static let deploymentsPath = "/apis/apps/v1/namespaces/default/deployments"

    static func pod(_ name: String, labels: String = #"{"app":"web"}"#) -> String {
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":\#(labels)},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#
    }
    static let podsPath = "/api/v1/namespaces/default/pods"

    @Test func scaleReadsAndWritesTheParentReplicas() async throws {
        let api = try await InProcessAPI()
        let created = try await api.ok("POST", Self.deploymentsPath, json: Self.deployment)
        let scale = try await api.ok("GET", Self.deploymentsPath + "/web/scale")
        #expect(scale["kind"]?.stringValue == "Scale")
        #expect(scale["apiVersion"]?.stringValue == "autoscaling/v1")
        #expect(scale["spec"]?["replicas"]?.integerValue == 2)
        #expect(scale["status"]?["selector"]?.stringValue == "app=web,tier in (a,b)")
        #expect(scale["metadata"]?["uid"] == created["metadata"]?["uid"])

        let patched = try await api.ok("PATCH", Self.deploymentsPath + "/web/scale", json: #"{"spec":{"replicas":5}}"#,
                                       contentType: "application/merge-patch+json")
        #expect(patched["spec"]?["replicas"]?.integerValue == 5)
        let parent = try await api.ok("GET", Self.deploymentsPath + "/web")
        #expect(parent["spec"]?["replicas"]?.integerValue == 5)
        #expect(parent["metadata"]?["generation"]?.integerValue == 2)

        let put = try await api.ok("PUT", Self.deploymentsPath + "/web/scale",
                                   json: #"{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web"},"spec":{"replicas":1}}"#)
        #expect(put["spec"]?["replicas"]?.integerValue == 1)
    }

    @Test func scaleRejectsNegativeReplicasStaleVersionsAndUnscalableKinds() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", Self.deploymentsPath, json: Self.deployment)
        let negative = try await api.send("PATCH", Self.deploymentsPath + "/web/scale", json: #"{"spec":{"replicas":-1}}"#,
                                          contentType: "application/merge-patch+json")
        #expect(negative.status == 422)
        #expect(negative.body["message"]?.stringValue
                == #"Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"#)
        let stale = try await api.send("PUT", Self.deploymentsPath + "/web/scale",
                                       json: #"{"metadata":{"name":"web","resourceVersion":"1"},"spec":{"replicas":3}}"#)
        #expect(stale.status == 409)
        #expect(stale.body["reason"]?.stringValue == "Conflict")
        let missing = try await api.send("GET", Self.deploymentsPath + "/nope/scale")
        #expect(missing.status == 404)
        let unscalable = try await api.send("GET", "/api/v1/namespaces/default/configmaps/x/scale")
        #expect(unscalable.status == 404)
        let parent = try await api.ok("GET", Self.deploymentsPath + "/web")
        #expect(parent["spec"]?["replicas"]?.integerValue == 2)
    }

    @Test func scaleOfAReplicationControllerUsesItsMapSelector() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", "/api/v1/namespaces/default/replicationcontrollers", json: """
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},"spec":{"replicas":1,
             "selector":{"tier":"f","app":"x"},"template":{"metadata":{"labels":{"app":"x","tier":"f"}},
             "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """)
        let scale = try await api.ok("GET", "/api/v1/namespaces/default/replicationcontrollers/rc/scale")
        #expect(scale["status"]?["selector"]?.stringValue == "app=x,tier=f")
    }

    @Test func bindingAssignsANodeOnceAndMarksThePodScheduled() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", Self.podsPath, json: Self.pod("p"))
        let bound = try await api.send("POST", Self.podsPath + "/p/binding", json: """
            {"apiVersion":"v1","kind":"Binding","metadata":{"name":"p","annotations":{"note":"x"}},"target":{"kind":"Node","name":"n1"}}
            """)
        #expect(bound.status == 201)
        #expect(bound.body["status"]?.stringValue == "Success")
        let pod = try await api.ok("GET", Self.podsPath + "/p")
        #expect(pod["spec"]?["nodeName"]?.stringValue == "n1")
        #expect(pod["metadata"]?["annotations"]?["note"]?.stringValue == "x")
        guard case .array(let conditions)? = pod["status"]?["conditions"] else {
            Issue.record("no conditions: \(pod)")
            return
        }
        #expect(conditions.contains { $0["type"]?.stringValue == "PodScheduled" && $0["status"]?.stringValue == "True" })

        let again = try await api.send("POST", Self.podsPath + "/p/binding",
                                       json: #"{"metadata":{"name":"p"},"target":{"name":"n2"}}"#)
        #expect(again.status == 409)
        #expect(again.body["message"]?.stringValue
                == #"Operation cannot be fulfilled on pods "p": pod p is already assigned to node "n1""#)
        let invalid = try await api.send("POST", Self.podsPath + "/p/binding",
                                         json: #"{"metadata":{"name":"p"},"target":{"kind":"Pod"}}"#)
        #expect(invalid.status == 422)
        #expect(invalid.body["message"]?.stringValue == #"Binding "p" is invalid: [target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]"#)
        let wrongName = try await api.send("POST", Self.podsPath + "/p/binding",
                                           json: #"{"metadata":{"name":"q"},"target":{"name":"n2"}}"#)
        #expect(wrongName.status == 400)
        let garbage = try await api.send("POST", Self.podsPath + "/p/binding", json: "{nope")
        #expect(garbage.status == 400)
        #expect(try await api.ok("GET", Self.podsPath + "/p")["spec"]?["nodeName"]?.stringValue == "n1")
    }

    static let budget = """
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},
         "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}}
        """
    static let budgetsPath = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"

    /// Marks a pod Running and Ready, as the kubelet would.
    static func markRunning(_ api: InProcessAPI, _ name: String) async throws {
        try await api.ok("PATCH", podsPath + "/\(name)/status", json: """
            {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}
            """, contentType: "application/merge-patch+json")
    }

    /// Sets a budget's status, as the disruption controller would.
    static func setBudgetStatus(_ api: InProcessAPI, allowed: Int, healthy: Int, desired: Int) async throws {
        try await api.ok("PATCH", budgetsPath + "/pdb/status", json: """
            {"status":{"observedGeneration":1,"disruptionsAllowed":\(allowed),"currentHealthy":\(healthy),
             "desiredHealthy":\(desired),"expectedPods":2}}
            """, contentType: "application/merge-patch+json")
    }

    static let eviction = #"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"a"}}"#

    @Test func evictionConsumesTheBudgetThenRefuses() async throws {
        let api = try await InProcessAPI()
        for name in ["a", "b"] {
            try await api.ok("POST", Self.podsPath, json: Self.pod(name))
            try await Self.markRunning(api, name)
        }
        try await api.ok("POST", Self.budgetsPath, json: Self.budget)
        try await Self.setBudgetStatus(api, allowed: 1, healthy: 2, desired: 1)

        let evicted = try await api.send("POST", Self.podsPath + "/a/eviction", json: Self.eviction)
        #expect(evicted.status == 201, "\(evicted.text)")
        #expect(try await api.send("GET", Self.podsPath + "/a").status == 404)
        let budget = try await api.ok("GET", Self.budgetsPath + "/pdb")
        #expect(budget["status"]?["disruptionsAllowed"]?.integerValue == 0)
        #expect(budget["status"]?["disruptedPods"]?["a"] != nil)

        let refused = try await api.send("POST", Self.podsPath + "/b/eviction",
                                         json: #"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"b"}}"#)
        #expect(refused.status == 429)
        #expect(refused.body["reason"]?.stringValue == "TooManyRequests")
        #expect(refused.body["message"]?.stringValue == "Cannot evict pod as it would violate the pod's disruption budget.")
        #expect(refused.body["details"]?["causes"]?[0]?["reason"]?.stringValue == "DisruptionBudget")
        #expect(refused.body["details"]?["causes"]?[0]?["message"]?.stringValue
                == "The disruption budget pdb needs 1 healthy pods and has 2 currently")
        #expect(try await api.send("GET", Self.podsPath + "/b").status == 200)
    }

    @Test func evictionWithoutABudgetOrOfAPendingPodDeletes() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", Self.podsPath, json: Self.pod("a", labels: #"{"app":"other"}"#))
        try await Self.markRunning(api, "a")
        try await api.ok("POST", Self.budgetsPath, json: Self.budget)
        try await Self.setBudgetStatus(api, allowed: 0, healthy: 0, desired: 1)
        #expect(try await api.send("POST", Self.podsPath + "/a/eviction", json: Self.eviction).status == 201)
        try await api.ok("POST", Self.podsPath, json: Self.pod("p"))  // matches the budget but is Pending
        let pending = try await api.send("POST", Self.podsPath + "/p/eviction",
                                         json: #"{"metadata":{"name":"p"}}"#)
        #expect(pending.status == 201)
        #expect(try await api.send("GET", Self.podsPath + "/p").status == 404)
        let missing = try await api.send("POST", Self.podsPath + "/gone/eviction", json: #"{"metadata":{"name":"gone"}}"#)
        #expect(missing.status == 404)
    }

    @Test func evictionWaitsForTheBudgetToBeObserved() async throws {
        let api = try await InProcessAPI()
        try await api.ok("POST", Self.podsPath, json: Self.pod("a"))
        try await Self.markRunning(api, "a")
        try await api.ok("POST", Self.budgetsPath, json: Self.budget)
        let refused = try await api.send("POST", Self.podsPath + "/a/eviction", json: Self.eviction)
        #expect(refused.status == 429)
        #expect(refused.body["details"]?["causes"]?[0]?["message"]?.stringValue
                == "The disruption budget pdb is still being processed by the server.")
    }
}
