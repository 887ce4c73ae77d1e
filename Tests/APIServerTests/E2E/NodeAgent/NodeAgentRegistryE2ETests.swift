import Foundation
import Testing

/// Pods whose images come from a token-auth `docker-registry` on 127.0.0.1, driven by the real kubectl:
/// an `imagePullSecrets` secret made with `kubectl create secret docker-registry` lets the pod pull and run;
/// without it the pod shows `ErrImagePull`/`ImagePullBackOff` and the auth failure; `imagePullPolicy: Always`
/// pulls a retagged image again; a corrupted or truncated layer in the registry's storage fails with the
/// layer's digest, leaves nothing in the node's image store, and the node agent keeps running pods.
/// Events (`Pulling`, `Pulled`, `Failed`, `BackOff`) carry upstream's message shapes
/// (kubernetes pkg/kubelet/images/image_manager.go).
@Suite(.serialized, .enabled(if: NodeAgentRegistrySupport.isAvailable,
                             "needs root, runc, busybox-static, kubectl, docker-registry, skopeo, openssl, python3"))
struct NodeAgentRegistryE2ETests {
    static func pod(_ name: String, image: String, pullPolicy: String, secret: String? = nil,
                    command: String = "cat /etc/marker") -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
        spec:
          terminationGracePeriodSeconds: 1
          restartPolicy: Never
        \(secret.map { "  imagePullSecrets:\n  - name: \($0)" } ?? "")
          containers:
          - name: main
            image: \(image)
            imagePullPolicy: \(pullPolicy)
            command: ["sh", "-c", "\(command)"]
        """
    }

    /// A registry, an image layout to push from and a server with its node agent; all removed afterwards.
    static func withRegistryAndNode(
        _ body: (TokenAuthTestRegistry, inout RegistryE2EImageLayout, SwiftletServerProcess, Kubectl) async throws -> Void
    ) async throws {
        let directory = try NodeAgentRegistrySupport.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try await TokenAuthTestRegistry.start(in: directory)
        defer { registry.stop() }
        var images = try RegistryE2EImageLayout(directory: directory + "/images")
        try await withNodeAgentServer { server, kubectl, _ in
            try await body(registry, &images, server, kubectl)
        }
    }

    static func createPullSecret(_ kubectl: Kubectl, _ registry: TokenAuthTestRegistry, name: String = "regcred")
        async throws
    {
        _ = try await kubectl.ok([
            "create", "secret", "docker-registry", name, "--docker-server=\(registry.authority)",
            "--docker-username=\(registry.username)", "--docker-password=\(registry.secret)",
        ])
    }

    static func waitForPhase(_ kubectl: Kubectl, _ pod: String, _ phase: String) async throws {
        _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=" + phase, "pod/" + pod, "--timeout=90s"])
    }

    static func waitForWaitingReason(_ kubectl: Kubectl, _ pod: String, _ reason: String) async throws {
        _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=" + reason,
                                  "pod/" + pod, "--timeout=90s"])
    }

    /// Waits (through a watch on the pod's events) for a kubelet event of `type` and `reason` whose message
    /// starts with `prefix`, and returns that message; nil (and a recorded issue) when none came.
    static func event(_ kubectl: Kubectl, _ pod: String, _ type: String, _ reason: String, _ prefix: String,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> String? {
        let stream = try KubectlStream(kubectl, [
            "get", "events", "-w", "--field-selector", "involvedObject.name=" + pod, "-o",
            "jsonpath={\"\\n\"}{.type}|{.reason}|{.source.component}|{.message}{\"\\n\"}",
        ])
        defer { stream.stop() }
        let head = "\(type)|\(reason)|kubelet|"
        let found = await stream.waitFor("\n" + head + prefix, timeout: 90)
        #expect(found, "no \(type) \(reason) event \"\(prefix)…\" about \(pod); events:\n\(stream.text)",
                sourceLocation: sourceLocation)
        guard found else { return nil }
        return stream.text.split(separator: "\n").first { $0.hasPrefix(head + prefix) }
            .map { String($0.dropFirst(head.count)) }
    }

    /// How many kubelet events of `reason` about `pod` exist now.
    static func eventCount(_ kubectl: Kubectl, _ pod: String, _ reason: String) async throws -> Int {
        let reasons = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=" + pod, "-o",
                                            "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}"])
        return reasons.split(separator: "\n").filter { $0 == reason }.count
    }

    // MARK: Cases

    @Test func pullSecretLetsThePodPullAndRunAndAlwaysPullsARetaggedImageAgain() async throws {
        try await Self.withRegistryAndNode { registry, images, _, kubectl in
            let first = try images.addVariant(tag: "first", marker: "first image " + UUID().uuidString.prefix(6))
            let second = try images.addVariant(tag: "second", marker: "second image " + UUID().uuidString.prefix(6))
            try registry.push(layout: images.layout, tag: first.tag, repository: "swiftlet-e2e/app", as: "latest")
            let image = "\(registry.authority)/swiftlet-e2e/app:latest"
            try await Self.createPullSecret(kubectl, registry)
            #expect(try await kubectl.ok(["get", "secret", "regcred", "-o", "jsonpath={.type}"])
                == "kubernetes.io/dockerconfigjson")

            // (1) The secret lets the pod pull; the container runs and logs.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("private-1", image: image, pullPolicy: "Always",
                                                                          secret: "regcred"))
            try await Self.waitForPhase(kubectl, "private-1", "Succeeded")
            #expect(try await kubectl.ok(["logs", "private-1"]).hasPrefix("first image "))
            _ = try await Self.event(kubectl, "private-1", "Normal", "Pulling", "Pulling image \"\(image)\"")
            let pulled = try await Self.event(kubectl, "private-1", "Normal", "Pulled",
                                              "Successfully pulled image \"\(image)\" in ")
            // Go's Duration.String of the pull time truncated to milliseconds: "734ms", "1.5s", never "0.734s".
            let goDuration = #"(0s|[0-9]+ms|([0-9]+h)?([0-9]+m)?[0-9]+(\.[0-9]+)?s)"#
            let shape = #"^Successfully pulled image ".*" in "# + goDuration + " \\(" + goDuration
                + #" including waiting\)\. Image size: [0-9]+ bytes\.$"#
            #expect(pulled?.range(of: shape, options: .regularExpression) != nil, "\(pulled ?? "")")
            #expect(pulled?.contains(" in 0.") == false, "\(pulled ?? "")")
            let imageID = try await kubectl.ok(["get", "pod", "private-1", "-o",
                                                "jsonpath={.status.containerStatuses[0].imageID}"])
            #expect(imageID == "\(registry.authority)/swiftlet-e2e/app@\(first.manifestDigest)")

            // (3) The tag moves to another image: Always pulls again and runs the new one.
            try registry.push(layout: images.layout, tag: second.tag, repository: "swiftlet-e2e/app", as: "latest")
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("private-2", image: image, pullPolicy: "Always",
                                                                          secret: "regcred"))
            try await Self.waitForPhase(kubectl, "private-2", "Succeeded")
            #expect(try await kubectl.ok(["logs", "private-2"]).hasPrefix("second image "))
            _ = try await Self.event(kubectl, "private-2", "Normal", "Pulling", "Pulling image \"\(image)\"")
            _ = try await Self.event(kubectl, "private-2", "Normal", "Pulled", "Successfully pulled image \"\(image)\" in ")

            // By digest: the first image, although the tag has moved on; the manifest is checked against it.
            let byDigest = "\(registry.authority)/swiftlet-e2e/app@\(first.manifestDigest)"
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("by-digest", image: byDigest,
                                                                          pullPolicy: "IfNotPresent", secret: "regcred"))
            try await Self.waitForPhase(kubectl, "by-digest", "Succeeded")
            #expect(try await kubectl.ok(["logs", "by-digest"]).hasPrefix("first image "))
            _ = try await Self.event(kubectl, "by-digest", "Normal", "Pulled", "Successfully pulled image \"\(byDigest)\" in ")

            // IfNotPresent keeps the image now on the node without asking the registry.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("private-3", image: image,
                                                                          pullPolicy: "IfNotPresent"))
            try await Self.waitForPhase(kubectl, "private-3", "Succeeded")
            #expect(try await kubectl.ok(["logs", "private-3"]).hasPrefix("second image "))
            _ = try await Self.event(kubectl, "private-3", "Normal", "Pulled",
                                     "Container image \"\(image)\" already present on machine")
            #expect(try await Self.eventCount(kubectl, "private-3", "Pulling") == 0)
        }
    }

    @Test func aManifestListRunsThisNodesPlatform() async throws {
        try await Self.withRegistryAndNode { registry, images, _, kubectl in
            let other = try images.addVariant(tag: "s390x", marker: "wrong platform", architecture: "s390x")
            let here = try images.addVariant(tag: "here", marker: "this platform")
            // The other platform first, so taking the first entry would be wrong.
            let index = try images.addIndex(tag: "multi", variants: [other, here])
            try registry.push(layout: images.layout, tag: "multi", repository: "swiftlet-e2e/multi", as: "v1", all: true)
            try await Self.createPullSecret(kubectl, registry)
            let image = "\(registry.authority)/swiftlet-e2e/multi:v1"
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("multi", image: image,
                                                                          pullPolicy: "IfNotPresent", secret: "regcred"))
            try await Self.waitForPhase(kubectl, "multi", "Succeeded")
            #expect(try await kubectl.ok(["logs", "multi"]) == "this platform\n")
            _ = try await Self.event(kubectl, "multi", "Normal", "Pulled", "Successfully pulled image \"\(image)\" in ")
            let imageID = try await kubectl.ok(["get", "pod", "multi", "-o", "jsonpath={.status.containerStatuses[0].imageID}"])
            #expect(imageID.hasPrefix("\(registry.authority)/swiftlet-e2e/multi@sha256:"), "\(imageID)")
            #expect(!imageID.contains(other.manifestDigest), "\(imageID) is the other platform's image (index \(index))")
        }
    }

    @Test func withoutThePullSecretThePodShowsImagePullBackOffAndTheAuthFailure() async throws {
        try await Self.withRegistryAndNode { registry, images, _, kubectl in
            let variant = try images.addVariant(tag: "private", marker: "private image")
            try registry.push(layout: images.layout, tag: variant.tag, repository: "swiftlet-e2e/private", as: "v1")
            let image = "\(registry.authority)/swiftlet-e2e/private:v1"
            let watch = try KubectlStream(kubectl, [
                "get", "pods", "-w", "-o",
                "jsonpath={.metadata.name} {.status.containerStatuses[0].state.waiting.reason}{\"\\n\"}",
            ])
            defer { watch.stop() }

            // (2) No secret: the token service hands out a token without access; the registry refuses.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("no-secret", image: image,
                                                                          pullPolicy: "IfNotPresent"))
            try await Self.waitForWaitingReason(kubectl, "no-secret", "ImagePullBackOff")
            #expect(await watch.waitFor("no-secret ErrImagePull\n"))
            #expect(await watch.waitFor("no-secret ImagePullBackOff\n"))
            #expect(try await kubectl.ok(["get", "pod", "no-secret", "-o",
                                          "jsonpath={.status.containerStatuses[0].state.waiting.message}"])
                .hasPrefix("Back-off pulling image \"\(image)\""))
            _ = try await Self.event(kubectl, "no-secret", "Normal", "Pulling", "Pulling image \"\(image)\"")
            let failed = try await Self.event(kubectl, "no-secret", "Warning", "Failed",
                                              "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = ")
            #expect(failed?.contains("failed to pull and unpack image \"\(image)\": failed to resolve reference "
                + "\"\(image)\": pull access denied, repository does not exist or may require authorization") == true,
                "\(failed ?? "")")
            _ = try await Self.event(kubectl, "no-secret", "Warning", "Failed", "Error: ErrImagePull")
            _ = try await Self.event(kubectl, "no-secret", "Normal", "BackOff", "Back-off pulling image \"\(image)\"")
            #expect(try await kubectl.ok(["get", "pod", "no-secret", "-o", "jsonpath={.status.phase}"]) == "Pending")

            // A secret with the wrong password: the token service refuses the credentials.
            _ = try await kubectl.ok([
                "create", "secret", "docker-registry", "wrongcred", "--docker-server=\(registry.authority)",
                "--docker-username=\(registry.username)", "--docker-password=not-the-password",
            ])
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("wrong-secret", image: image,
                                                                          pullPolicy: "IfNotPresent", secret: "wrongcred"))
            let refused = try await Self.event(kubectl, "wrong-secret", "Warning", "Failed",
                                               "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = ")
            #expect(refused?.contains("failed to authorize: failed to fetch oauth token: unexpected status from GET "
                + "request to http://127.0.0.1:") == true, "\(refused ?? "")")
            #expect(refused?.contains(": 401 ") == true, "\(refused ?? "")")
        }
    }

    @Test func corruptAndTruncatedLayersFailWithTheirDigestAndLeaveNothingBehind() async throws {
        try await Self.withRegistryAndNode { registry, images, server, kubectl in
            let corrupt = try images.addVariant(tag: "corrupt", marker: "corrupt layer " + UUID().uuidString)
            let truncated = try images.addVariant(tag: "truncated", marker: "truncated layer " + UUID().uuidString)
            let good = try images.addVariant(tag: "good", marker: "good image")
            for variant in [corrupt, truncated, good] {
                try registry.push(layout: images.layout, tag: variant.tag, repository: "swiftlet-e2e/layers",
                                  as: variant.tag)
            }
            // (4) Same size, other bytes. (5) Half of the bytes.
            let corruptPath = registry.blobDataPath(corrupt.layerDigest)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: corruptPath))
            for index in bytes.indices { bytes[index] ^= 0x5a }
            try bytes.write(to: URL(fileURLWithPath: corruptPath))
            let truncatedPath = registry.blobDataPath(truncated.layerDigest)
            let whole = try Data(contentsOf: URL(fileURLWithPath: truncatedPath))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: truncatedPath))
            try await Self.createPullSecret(kubectl, registry)

            let corruptImage = "\(registry.authority)/swiftlet-e2e/layers:corrupt"
            let truncatedImage = "\(registry.authority)/swiftlet-e2e/layers:truncated"
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("corrupt", image: corruptImage,
                                                                          pullPolicy: "IfNotPresent", secret: "regcred"))
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("truncated", image: truncatedImage,
                                                                          pullPolicy: "IfNotPresent", secret: "regcred"))
            try await Self.waitForWaitingReason(kubectl, "corrupt", "ImagePullBackOff")
            try await Self.waitForWaitingReason(kubectl, "truncated", "ImagePullBackOff")

            let corruptFailure = try await Self.event(kubectl, "corrupt", "Warning", "Failed",
                                                      "Failed to pull image \"\(corruptImage)\": ")
            #expect(corruptFailure?.contains("failed to copy: blob \(corrupt.layerDigest): unexpected commit digest sha256:")
                == true, "\(corruptFailure ?? "")")
            #expect(corruptFailure?.contains("expected \(corrupt.layerDigest): failed precondition") == true,
                    "\(corruptFailure ?? "")")
            let truncatedFailure = try await Self.event(kubectl, "truncated", "Warning", "Failed",
                                                        "Failed to pull image \"\(truncatedImage)\": ")
            #expect(truncatedFailure?.contains("failed to copy: blob \(truncated.layerDigest): unexpected commit size "
                + "\(truncated.layerSize / 2), expected \(truncated.layerSize): failed precondition") == true,
                "\(truncatedFailure ?? "")")
            _ = try await Self.event(kubectl, "corrupt", "Warning", "Failed", "Error: ErrImagePull")
            _ = try await Self.event(kubectl, "truncated", "Normal", "BackOff",
                                     "Back-off pulling image \"\(truncatedImage)\"")

            // The store kept neither layer, no image under either name, and no partial download.
            _ = try await kubectl.ok(["delete", "pod", "corrupt", "truncated", "--timeout=60s"])
            let store = server.dataDirectory.appendingPathComponent("images").path
            for digest in [corrupt.layerDigest, truncated.layerDigest] {
                let path = store + "/blobs/sha256/" + digest.dropFirst("sha256:".count)
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) is in the image store")
            }
            let index = (try? String(contentsOfFile: store + "/images.json", encoding: .utf8)) ?? ""
            #expect(!index.contains("swiftlet-e2e/layers:corrupt") && !index.contains("swiftlet-e2e/layers:truncated"))
            let scratch = (try? FileManager.default.contentsOfDirectory(atPath: store + "/tmp")) ?? []
            #expect(scratch.isEmpty, "left in the store's scratch directory: \(scratch)")

            // The node agent still pulls and runs pods.
            let goodImage = "\(registry.authority)/swiftlet-e2e/layers:good"
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("after-corruption", image: goodImage,
                                                                          pullPolicy: "IfNotPresent", secret: "regcred"))
            try await Self.waitForPhase(kubectl, "after-corruption", "Succeeded")
            #expect(try await kubectl.ok(["logs", "after-corruption"]) == "good image\n")
            #expect(try await kubectl.ok(["get", "nodes", "-o",
                                          "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}"]) == "True")
        }
    }
}
