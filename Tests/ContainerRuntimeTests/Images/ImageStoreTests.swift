import ContainerRuntime
import Foundation
import HostSystem
import Testing

@Suite struct ImageStoreTests {
    /// A tiny image made of JSON blobs only: config + one (fake) uncompressed layer.
    struct TinyImage {
        let layer: [UInt8]
        let config: [UInt8]
        let manifest: [UInt8]

        init(_ marker: String) {
            layer = Array("layer \(marker)".utf8)
            let diffID = ImageDigest(of: layer)
            config = Array("""
                {"architecture":"amd64","os":"linux","config":{"Env":["A=\(marker)"],"Cmd":["/bin/\(marker)"]},\
                "rootfs":{"type":"layers","diff_ids":["\(diffID)"]}}
                """.utf8)
            manifest = Array("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(ImageDigest(of: config))",\
                "size":\(config.count)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar",\
                "digest":"\(diffID)","size":\(layer.count)}]}
                """.utf8)
        }

        func ingest(into store: ImageStore) throws {
            try store.ingestBlob(bytes: layer)
            try store.ingestBlob(bytes: config)
        }
    }

    @Test func ingestVerifiesTheDigestAndConsumesTheFile() async throws {
        try await ImageStoreTestSupport.withStore { store, root in
            let bytes = Array("some blob".utf8)
            let digest = ImageDigest(of: bytes)
            #expect(!store.hasBlob(digest))

            let wrong = store.makeTemporaryPath()
            try Data("other bytes".utf8).write(to: URL(fileURLWithPath: wrong))
            await #expect(throws: ImageError.self) { try await store.ingestBlob(from: wrong, expectedDigest: digest) }
            #expect(!FileManager.default.fileExists(atPath: wrong))
            #expect(!store.hasBlob(digest))

            let download = store.makeTemporaryPath()
            try Data(bytes).write(to: URL(fileURLWithPath: download))
            await #expect(throws: ImageError.sizeMismatch(what: "blob \(digest)", expected: 3, actual: bytes.count)) {
                try await store.ingestBlob(from: download, expectedDigest: digest, expectedSize: 3)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: download))
            try await store.ingestBlob(from: download, expectedDigest: digest, expectedSize: bytes.count)
            #expect(store.hasBlob(digest))
            #expect(try store.readBlob(digest) == bytes)
            #expect(store.blobPath(digest) == root + "/blobs/sha256/" + digest.hex)
            // Ingested for a pull that has not recorded its image yet: garbage collection keeps it.
            try await store.collectGarbage()
            #expect(try store.readBlob(digest) == bytes)
            #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)

            // A file outside the store's file system path works too (copied, then the original is removed).
            let outside = try TestImageBuilder.makeTemporaryDirectory(prefix: "swiftlet-test-outside")
            defer { try? FileManager.default.removeItem(atPath: outside) }
            let other = Array("outside".utf8)
            try Data(other).write(to: URL(fileURLWithPath: outside + "/blob"))
            try await store.ingestBlob(from: outside + "/blob", expectedDigest: ImageDigest(of: other))
            #expect(store.hasBlob(ImageDigest(of: other)))
        }
    }

    @Test func recordImageNeedsItsBlobsAndMovesNames() async throws {
        try await ImageStoreTestSupport.withStore { store, _ in
            let first = TinyImage("one")
            #expect(throws: ImageError.blobNotFound(ImageDigest(of: first.layer))) {
                try store.ingestBlob(bytes: first.config)
                try store.recordImage(name: try ImageReference(parsing: "app"), manifestBytes: first.manifest)
            }
            try first.ingest(into: store)
            let recorded = try store.recordImage(name: try ImageReference(parsing: "app"), manifestBytes: first.manifest)
            #expect(recorded.names == ["docker.io/library/app:latest"])
            #expect(recorded.configuration.cmd == ["/bin/one"])
            #expect(recorded.size == first.config.count + first.layer.count)

            // A second name for the same image.
            try store.recordImage(name: "example.com/app:1", manifestBytes: first.manifest)
            #expect(store.image(named: "app")?.names == ["docker.io/library/app:latest", "example.com/app:1"])

            // The name moves to a newer image; the old one stays, without that name.
            let second = TinyImage("two")
            try second.ingest(into: store)
            try store.recordImage(name: try ImageReference(parsing: "app"), manifestBytes: second.manifest)
            #expect(store.image(named: "app")?.configuration.cmd == ["/bin/two"])
            #expect(store.image(named: recorded.id)?.names == ["example.com/app:1"])

            // An index is not an image manifest.
            let index = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#.utf8)
            #expect(throws: ImageError.self) { try store.recordImage(name: "x", manifestBytes: index) }
        }
    }

    @Test func removeDropsNamesThenImagesAndCollectsGarbage() async throws {
        try await ImageStoreTestSupport.withStore { store, root in
            let first = TinyImage("one")
            let second = TinyImage("two")
            try first.ingest(into: store)
            try second.ingest(into: store)
            let one = try store.recordImage(name: "app:1", manifestBytes: first.manifest)
            try store.recordImage(name: "app:latest", manifestBytes: first.manifest)
            let two = try store.recordImage(name: "app:2", manifestBytes: second.manifest)
            #expect(ImageStoreTestSupport.entries(root + "/blobs/sha256").count == 6)

            // Dropping one of two names keeps the image and its blobs.
            let untag = try await store.remove("app:latest")
            #expect(untag == .init(untaggedNames: ["docker.io/library/app:latest"], deletedImageIDs: []))
            #expect(store.image(named: "app:1")?.id == one.id)
            #expect(ImageStoreTestSupport.entries(root + "/blobs/sha256").count == 6)

            // Dropping the last name deletes the image and exactly its blobs.
            let removal = try await store.remove("app:1")
            #expect(removal.deletedImageIDs == [one.id])
            #expect(store.image(named: one.id) == nil)
            #expect(ImageStoreTestSupport.entries(root + "/blobs/sha256")
                == [two.manifestDigest, two.configDigest, two.layers[0].digest].map(\.hex).sorted())

            // By id prefix: all names go.
            try store.recordImage(name: "other:x", manifestBytes: second.manifest)
            let byID = try await store.remove(two.shortID)
            #expect(byID.untaggedNames == ["docker.io/library/app:2", "docker.io/library/other:x"])
            #expect(store.images().isEmpty)
            #expect(ImageStoreTestSupport.entries(root + "/blobs/sha256").isEmpty)
            #expect(try ImageIndexContents.read(root).isEmpty)

            await #expect(throws: ImageError.imageNotFound("app:1")) { try await store.remove("app:1") }
        }
    }

    @Test(.enabled(if: TestImageBuilder.isAvailable, Comment(rawValue: TestImageBuilder.skipReason)))
    func removingAnImageDeletesItsUnpackedLayersButKeepsSharedOnes() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, root in
                try await store.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
                let v2 = try #require(store.image(named: "local/bbx:v2"))
                let paths = try await store.unpackedLayerPaths(for: v2)
                #expect(ImageStoreTestSupport.entries(root + "/layers").count == 2)

                try await store.remove("local/bbx:v2")
                #expect(FileManager.default.fileExists(atPath: paths[0]))      // v1 still uses layer 1
                #expect(!FileManager.default.fileExists(atPath: paths[1]))
                // (Checked on disk: `hasBlob` would pin the blob for a pull in progress.)
                #expect(!FileManager.default.fileExists(atPath: store.blobPath(v2.layers[1].digest)))
                #expect(FileManager.default.fileExists(atPath: store.blobPath(v2.layers[0].digest)))

                try await store.remove("local/bbx:v1")
                #expect(ImageStoreTestSupport.entries(root + "/layers").isEmpty)
                #expect(ImageStoreTestSupport.entries(root + "/blobs/sha256").isEmpty)
                #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)
            }
        }
    }

    @Test func ambiguousIDPrefixesAreReported() async throws {
        try await ImageStoreTestSupport.withStore { store, _ in
            // Find two tiny images whose ids share a first hex digit.
            var byFirstDigit: [Character: TinyImage] = [:]
            var pair: (TinyImage, TinyImage)?
            for marker in 0..<64 {
                let image = TinyImage("m\(marker)")
                let first = ImageDigest(of: image.config).hex.first!
                if let other = byFirstDigit[first] { pair = (other, image); break }
                byFirstDigit[first] = image
            }
            let (a, b) = try #require(pair)
            for (position, image) in [a, b].enumerated() {
                try image.ingest(into: store)
                try store.recordImage(name: "app:\(position)", manifestBytes: image.manifest)
            }
            let prefix = String(ImageDigest(of: a.config).hex.prefix(1))
            #expect(throws: ImageError.ambiguousImageID(prefix)) { try store.resolve(prefix) }
            #expect(store.image(named: prefix) == nil)
        }
    }
}

/// The image entries of a store's images.json, read without opening the store.
enum ImageIndexContents {
    static func read(_ root: String) throws -> [Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/images.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["images"] as? [Any] ?? []
    }
}
