import Foundation
import Testing

/// The real kubectl against `swiftlet server`: version dispatch, discovery, namespaces, CRUD on ConfigMaps,
/// selectors, apply twice with a removed field, errors. Runs with the dispatcher and fixed minors.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlBasicsE2ETests {
    @Test func versionReportsMinor32SoTheDispatcherPicks132() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let json = try await kubectl.ok(["version", "-o", "json"])
            let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let serverVersion = document?["serverVersion"] as? [String: Any]
            #expect(serverVersion?["major"] as? String == "1")
            #expect(serverVersion?["minor"] as? String == "32")
        }
    }

    @Test(arguments: ["kubectl", "kubectl.1.32", "kubectl.1.27", "kubectl.1.33"])
    func defaultNamespacesExist(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            let output = try await kubectl.ok(["get", "namespaces"])
            for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
                #expect(output.contains(name), "\(kubectlName): \(name) missing in\n\(output)")
            }
            #expect(output.contains("STATUS"))
            #expect(output.contains("Active"))
        }
    }

    @Test func apiResourcesShowsShortNames() async throws {
        try await withSwiftletServer { server in
            let output = try await Kubectl(server: server).ok(["api-resources"])
            let configMaps = output.split(separator: "\n").first { $0.hasPrefix("configmaps") }
            #expect(configMaps?.contains("cm") == true, "\(output)")
            #expect(configMaps?.contains("ConfigMap") == true)
        }
    }

    static let manifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          labels:
            app: web
        data:
          color: blue
          size: large
        """

    @Test(arguments: ["kubectl", "kubectl.1.32"])
    func applyTwiceWithARemovedFieldRemovesIt(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            #expect(try await kubectl.ok(["apply", "-f", "-"], stdin: Self.manifest).contains("configmap/settings created"))
            #expect(try await kubectl.ok(["get", "cm", "settings", "-o", "jsonpath={.data.size}"]) == "large")
            let trimmed = Self.manifest.replacingOccurrences(of: "  size: large", with: "")
            #expect(try await kubectl.ok(["apply", "-f", "-"], stdin: trimmed).contains("configured"))
            let data = try await kubectl.ok(["get", "configmap", "settings", "-o", "jsonpath={.data}"])
            #expect(data.contains("blue"))
            #expect(!data.contains("large"), "the removed key survived: \(data)")
            #expect(try await kubectl.ok(["apply", "-f", "-"], stdin: trimmed).contains("unchanged"))
        }
    }

    @Test func createGetLabelSelectDelete() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.manifest)
            let second = Self.manifest.replacingOccurrences(of: "settings", with: "other")
                .replacingOccurrences(of: "app: web", with: "app: db")
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: second)

            let table = try await kubectl.ok(["get", "cm"])
            #expect(table.contains("NAME") && table.contains("DATA") && table.contains("AGE"))
            #expect(table.contains("settings") && table.contains("other"))

            _ = try await kubectl.ok(["label", "cm", "settings", "tier=front"])
            let selected = try await kubectl.ok(["get", "cm", "-l", "app in (web),tier", "-o", "name"])
            #expect(selected.trimmingCharacters(in: .whitespacesAndNewlines) == "configmap/settings")
            let byField = try await kubectl.ok(["get", "cm", "--field-selector", "metadata.name=other", "-o", "name"])
            #expect(byField.trimmingCharacters(in: .whitespacesAndNewlines) == "configmap/other")
            let allNamespaces = try await kubectl.ok(["get", "cm", "-A"])
            #expect(allNamespaces.contains("NAMESPACE") && allNamespaces.contains("default"))
            let labels = try await kubectl.ok(["get", "cm", "settings", "--show-labels"])
            #expect(labels.contains("tier=front"))

            _ = try await kubectl.ok(["annotate", "cm", "other", "note=hello"])
            #expect(try await kubectl.ok(["get", "cm", "other", "-o", "jsonpath={.metadata.annotations.note}"]) == "hello")

            #expect(try await kubectl.ok(["delete", "cm", "settings"]).contains("deleted"))
            let missing = try await kubectl.run(["get", "cm", "settings"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("Error from server (NotFound): configmaps \"settings\" not found"))
        }
    }

    @Test func createExistingIsAlreadyExistsAndBadNamesAreInvalid() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.manifest)
            let again = try await kubectl.run(["create", "-f", "-"], stdin: Self.manifest)
            #expect(again.status != 0)
            #expect(again.stderr.contains("AlreadyExists"), "\(again.stderr)")
            let bad = try await kubectl.run(["create", "-f", "-"],
                                      stdin: Self.manifest.replacingOccurrences(of: "name: settings", with: "name: Bad_Name"))
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("is invalid") && bad.stderr.contains("metadata.name"), "\(bad.stderr)")
            let missingNamespace = try await kubectl.run(["create", "-n", "nope", "-f", "-"], stdin: Self.manifest)
            #expect(missingNamespace.stderr.contains("namespaces \"nope\" not found"), "\(missingNamespace.stderr)")
        }
    }

    @Test func patchTypesAndEdit() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.manifest)
            _ = try await kubectl.ok(["patch", "cm", "settings", "--type=merge", "-p", #"{"data":{"color":"red"}}"#])
            _ = try await kubectl.ok(["patch", "cm", "settings", "--type=json", "-p", #"[{"op":"remove","path":"/data/size"}]"#])
            _ = try await kubectl.ok(["patch", "cm", "settings", "-p", #"{"data":{"shape":"round"}}"#])
            let data = try await kubectl.ok(["get", "cm", "settings", "-o", "jsonpath={.data}"])
            #expect(data.contains("red") && data.contains("round") && !data.contains("large"), "\(data)")
            let editor = server.dataDirectory.appendingPathComponent("editor.sh").path
            try "#!/bin/sh\nsed -i 's/color: red/color: green/' \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
            chmod(editor, 0o755)
            let edited = try await kubectl.run(["edit", "cm", "settings"], environment: ["KUBE_EDITOR": editor, "EDITOR": editor])
            #expect(edited.status == 0, "\(edited.stderr)")
            #expect(try await kubectl.ok(["get", "cm", "settings", "-o", "jsonpath={.data.color}"]) == "green")
        }
    }
}
