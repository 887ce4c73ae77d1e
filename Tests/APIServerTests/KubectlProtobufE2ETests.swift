import Foundation
import Testing

/// kubectl's typed `create` commands send protobuf bodies (`application/vnd.kubernetes.protobuf`); the
/// server decodes them into the same objects the JSON path would produce.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlProtobufE2ETests {
    @Test func createConfigMapFromLiteralAndFile() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let file = server.dataDirectory.appendingPathComponent("settings.conf")
            try Data("line one\nline two\n".utf8).write(to: file)
            let created = try await kubectl.ok(["create", "configmap", "x", "--from-literal=a=b", "--from-file=\(file.path)"])
            #expect(created.contains("configmap/x created"), "\(created)")
            #expect(try await kubectl.ok(["get", "configmap", "x", "-o", "jsonpath={.data.a}"]) == "b")
            let contents = try await kubectl.ok(["get", "configmap", "x", "-o", #"jsonpath={.data.settings\.conf}"#])
            #expect(contents == "line one\nline two\n")
            #expect(try await kubectl.ok(["get", "configmap", "x", "-o", "jsonpath={.metadata.namespace}"]) == "default")
        }
    }

    @Test func createSecretGenericFromLiteral() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            #expect(try await kubectl.ok(["create", "secret", "generic", "s", "--from-literal=p=q"]).contains("secret/s created"))
            #expect(try await kubectl.ok(["get", "secret", "s", "-o", "jsonpath={.data.p}"]) == Data("q".utf8).base64EncodedString())
            #expect(try await kubectl.ok(["get", "secret", "s", "-o", "jsonpath={.type}"]) == "Opaque")
        }
    }

    @Test func createNamespace() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            #expect(try await kubectl.ok(["create", "namespace", "team"]).contains("namespace/team created"))
            let table = try await kubectl.ok(["get", "ns", "team"])
            #expect(table.contains("team") && table.contains("Active"), "\(table)")
        }
    }

    @Test func createDeploymentJobAndCronJob() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80"])
            let deployment = try await kubectl.ok([
                "get", "deployment", "web", "-o",
                "jsonpath={.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} "
                    + "{.spec.template.spec.containers[0].ports[0].containerPort} {.spec.strategy.type}",
            ])
            #expect(deployment == "2 web nginx:1.27 80 RollingUpdate")
            _ = try await kubectl.ok(["create", "job", "once", "--image=busybox", "--", "echo", "hi"])
            #expect(try await kubectl.ok(["get", "job", "once", "-o", "jsonpath={.spec.template.spec.containers[0].command}"])
                == #"["echo","hi"]"#)
            _ = try await kubectl.ok(["create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"])
            #expect(try await kubectl.ok(["get", "cronjob", "tick", "-o", "jsonpath={.spec.schedule}"]) == "*/5 * * * *")
        }
    }

    @Test func createServiceServiceAccountQuotaAndPDB() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "service", "clusterip", "svc", "--tcp=80:8080"])
            #expect(try await kubectl.ok(["get", "service", "svc", "-o", "jsonpath={.spec.ports[0].port}:{.spec.ports[0].targetPort}"])
                == "80:8080")
            _ = try await kubectl.ok(["create", "serviceaccount", "robot"])
            #expect(try await kubectl.ok(["get", "serviceaccount", "robot", "-o", "jsonpath={.metadata.name}"]) == "robot")
            _ = try await kubectl.ok(["create", "quota", "q", "--hard=pods=3,cpu=2"])
            #expect(try await kubectl.ok(["get", "quota", "q", "-o", "jsonpath={.spec.hard.pods} {.spec.hard.cpu}"]) == "3 2")
            _ = try await kubectl.ok(["create", "pdb", "budget", "--selector=app=web", "--min-available=50%"])
            #expect(try await kubectl.ok(["get", "pdb", "budget", "-o", "jsonpath={.spec.minAvailable}"]) == "50%")
        }
    }
}
