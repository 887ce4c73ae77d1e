@testable import ContainerRuntime
import Foundation
import Testing

/// Pure decisions of a pull: which index entry, which kind of manifest, which blobs.
@Suite struct ManifestSelectionTests {
    private func digest(_ seed: String) -> ImageDigest { ImageDigest(of: Array(seed.utf8)) }

    private func entry(_ seed: String, os: String, architecture: String, variant: String? = nil) -> OCIDescriptor {
        var descriptor = OCIDescriptor(mediaType: OCIMediaType.ociManifest, digest: digest(seed), size: 100)
        descriptor.platform = OCIPlatform(architecture: architecture, os: os, variant: variant)
        return descriptor
    }

    @Test func selectsTheRunningPlatformFromAnIndex() {
        let attestation = entry("att", os: "unknown", architecture: "unknown")
        let index = [
            entry("arm", os: "linux", architecture: "arm", variant: "v7"),
            entry("arm64", os: "linux", architecture: "arm64", variant: "v8"),
            attestation,
            entry("amd64", os: "linux", architecture: "amd64"),
            entry("win", os: "windows", architecture: "amd64"),
        ]
        let amd64 = PlatformManifestSelector.select(from: index, for: ImagePlatform(os: "linux", architecture: "amd64"))
        #expect(amd64?.digest == digest("amd64"))
        let arm64 = PlatformManifestSelector.select(
            from: index, for: ImagePlatform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(arm64?.digest == digest("arm64"))
        #expect(PlatformManifestSelector.select(from: index, for: ImagePlatform(os: "linux", architecture: "s390x")) == nil)
        #expect(PlatformManifestSelector.select(from: [attestation], for: .current) == nil)
    }

    @Test func prefersTheWantedVariantAndSkipsOthers() {
        let index = [
            entry("plain", os: "linux", architecture: "arm64"),
            entry("v8", os: "linux", architecture: "arm64", variant: "v8"),
        ]
        let wanted = ImagePlatform(os: "linux", architecture: "arm64", variant: "v8")
        #expect(PlatformManifestSelector.select(from: index, for: wanted)?.digest == digest("v8"))
        let amd64v3 = [entry("v3", os: "linux", architecture: "amd64", variant: "v3"),
                       entry("v1", os: "linux", architecture: "amd64", variant: "v1")]
        #expect(PlatformManifestSelector.select(from: amd64v3, for: ImagePlatform(os: "linux", architecture: "amd64"))?.digest
            == digest("v1"))
    }

    @Test func theCurrentPlatformIsLinux() {
        #expect(ImagePlatform.current.os == "linux")
        #expect(ImagePlatform.current.description.hasPrefix("linux/"))
    }

    @Test func classifiesManifestsByContentTypeThenBody() {
        #expect(ManifestKind.classify(mediaType: OCIMediaType.dockerManifestList, bytes: []) == .index)
        #expect(ManifestKind.classify(mediaType: OCIMediaType.ociManifest, bytes: []) == .manifest)
        #expect(ManifestKind.classify(mediaType: OCIMediaType.dockerSchema1Signed, bytes: []) == .schema1)
        #expect(ManifestKind.classify(mediaType: "application/json", bytes: Array(#"{"schemaVersion":1,"name":"x"}"#.utf8))
            == .schema1)
        #expect(ManifestKind.classify(mediaType: nil, bytes: Array(#"{"schemaVersion":2,"manifests":[]}"#.utf8)) == .index)
        #expect(ManifestKind.classify(mediaType: "text/plain", bytes: Array(
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#.utf8)) == .manifest)
        #expect(ManifestKind.classify(mediaType: "application/vnd.oci.artifact.manifest.v1+json", bytes: Array("{}".utf8))
            == .other("application/vnd.oci.artifact.manifest.v1+json"))
    }

    private func manifest(config: String = OCIMediaType.ociConfig, layers: [(String, String)]) -> OCIManifest {
        OCIManifest(
            schemaVersion: 2, mediaType: OCIMediaType.ociManifest,
            config: OCIDescriptor(mediaType: config, digest: digest("config"), size: 10),
            layers: layers.map { OCIDescriptor(mediaType: $0.1, digest: digest($0.0), size: 20) })
    }

    @Test func plansConfigThenLayersOnceSkippingForeignLayers() throws {
        let plan = try PullPlan(manifest: manifest(layers: [
            ("a", OCIMediaType.ociLayerGzip), ("foreign", OCIMediaType.dockerForeignLayer),
            ("b", OCIMediaType.dockerLayerGzip), ("a", OCIMediaType.ociLayerGzip), ("c", OCIMediaType.ociLayer),
        ]))
        #expect(plan.blobs.map(\.descriptor.digest) == [digest("config"), digest("a"), digest("b"), digest("c")])
        #expect(plan.blobs.map(\.kind) == [.config, .layer, .layer, .layer])
    }

    @Test func rejectsZstdLayersAndArtifactsClearly() {
        do {
            _ = try PullPlan(manifest: manifest(layers: [("z", OCIMediaType.ociLayerZstd)]))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unsupportedLayer)
            #expect(error.description.contains("zstd"))
        }
        do {
            _ = try PullPlan(manifest: manifest(config: "application/vnd.cncf.helm.config.v1+json", layers: []))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unsupportedManifest)
            #expect(error.description.contains("not a container image"))
        }
    }
}
