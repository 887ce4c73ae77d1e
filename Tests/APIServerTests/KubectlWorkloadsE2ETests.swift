import Foundation
import Testing

/// The real kubectl against `swiftlet server` with the typed workload kinds: apply a Deployment, Service,
/// Pod and Job; read back server defaults; strict field validation; the `all` category; event field selectors.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlWorkloadsE2ETests {
    static let manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - port: 80
            targetPort: 8080
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: solo
        spec:
          containers:
          - name: busybox
            image: busybox
            command: ["sleep", "3600"]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: once
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: busybox
                image: busybox
                command: ["true"]
        """

    @Test func applyWorkloadsAndReadTheirDefaults() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let applied = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.manifests)
            for line in ["deployment.apps/web created", "service/web created", "pod/solo created", "job.batch/once created"] {
                #expect(applied.contains(line), "\(applied)")
            }
            let listed = try await kubectl.ok(["get", "deploy,svc,po,job"])
            for name in ["deployment.apps/web", "service/web", "pod/solo", "job.batch/once"] {
                #expect(listed.contains(name), "\(listed)")
            }
            #expect(try await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.strategy.rollingUpdate.maxSurge}"]) == "25%")
            #expect(try await kubectl.ok(["get", "svc", "web", "-o", "jsonpath={.spec.ports[0].protocol}"]) == "TCP")
            let selector = try await kubectl.ok(["get", "job", "once", "-o", "jsonpath={.spec.selector.matchLabels}"])
            #expect(selector.contains("batch.kubernetes.io/controller-uid"), "\(selector)")
            // Applying the same manifests again changes nothing.
            let again = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.manifests)
            #expect(again.contains("deployment.apps/web unchanged"), "\(again)")
        }
    }

    @Test func strictCreateRejectsUnknownFields() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: typo
                spec:
                  containers:
                  - name: c
                    image: busybox
                    imagePullPolicyy: Always
                """
            let result = try await kubectl.run(["create", "-f", "-"], stdin: manifest)
            #expect(result.status != 0)
            #expect(result.stderr.contains("unknown field"), "\(result.stderr)")
            #expect(result.stderr.contains("spec.containers[0].imagePullPolicyy"), "\(result.stderr)")
            #expect(try await kubectl.run(["get", "pod", "typo"]).status != 0)
        }
    }

    @Test func getAllListsTheAllCategory() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.manifests)
            let all = try await kubectl.ok(["get", "all"])
            for name in ["pod/solo", "service/web", "deployment.apps/web", "job.batch/once"] {
                #expect(all.contains(name), "\(all)")
            }
        }
    }

    @Test func eventsSelectByInvolvedObject() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let event = """
                apiVersion: v1
                kind: Event
                metadata:
                  name: x.1
                involvedObject:
                  kind: Pod
                  name: x
                  namespace: default
                reason: Testing
                message: hello
                type: Normal
                source:
                  component: e2e
                """
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: event)
            let selected = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=x", "-o", "name"])
            #expect(selected.contains("event/x.1"), "\(selected)")
            let none = try await kubectl.run(["get", "events", "--field-selector", "involvedObject.name=nobody"])
            #expect(none.status == 0, "\(none.stderr)")
            #expect(!none.stdout.contains("x.1"))
            let bad = try await kubectl.run(["get", "events", "--field-selector", "involvedObject.colour=red"])
            #expect(bad.status != 0)
        }
    }
}
