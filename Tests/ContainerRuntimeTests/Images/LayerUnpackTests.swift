import ContainerRuntime
import Foundation
import HostSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.enabled(if: TestImageBuilder.isAvailable, Comment(rawValue: TestImageBuilder.skipReason)))
struct LayerUnpackTests {
    @Test func unpacksEachLayerWithOverlayWhiteouts() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, root in
                try await store.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
                let image = try #require(store.image(named: "local/bbx:v2"))
                let paths = try await store.unpackedLayerPaths(for: image)
                #expect(paths == fixture.layers.map { root + "/layers/" + TestImageBuilder.hex($0.diffID) })

                let bottom = paths[0]
                #expect(FileManager.default.isExecutableFile(atPath: bottom + "/bin/busybox"))
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bottom + "/bin/grep") == "busybox")
                #expect(try String(contentsOfFile: bottom + "/data/old-file", encoding: .utf8) == "old\n")

                let top = paths[1]
                var info = stat()
                #expect(lstat(top + "/bin/grep", &info) == 0)
                #expect(info.st_mode & S_IFMT == S_IFCHR)
                #expect(info.st_rdev == 0)
                #expect(!FileManager.default.fileExists(atPath: top + "/bin/.wh.grep"))
                #expect(!FileManager.default.fileExists(atPath: top + "/data/.wh..wh..opq"))
                #expect(try ExtendedAttributes.value("trusted.overlay.opaque", at: top + "/data") == Array("y".utf8))
                #expect(try ExtendedAttributes.value("trusted.overlay.opaque", at: top + "/etc") == nil)
                #expect(try String(contentsOfFile: top + "/data/new-file", encoding: .utf8) == "new\n")
                #expect(try String(contentsOfFile: top + "/etc/motd", encoding: .utf8) == "layer2 was here\n")
                #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)

                // v1 shares layer 1: nothing is extracted again.
                let v1 = try #require(store.image(named: "local/bbx:v1"))
                #expect(try await store.unpackedLayerPaths(for: v1) == [bottom])
            }
        }
    }

    @Test func unpacksDockerArchiveLayersStoredUncompressed() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, _ in
                try await store.importArchive(at: fixture.dockerArchivePath)
                let image = try #require(store.image(named: "local/bbx:v2"))
                let paths = try await store.unpackedLayerPaths(for: image)
                var info = stat()
                #expect(lstat(paths[1] + "/bin/grep", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
                #expect(FileManager.default.isExecutableFile(atPath: paths[0] + "/bin/busybox"))
            }
        }
    }

    @Test func concurrentCallersShareOneExtraction() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, root in
                try await store.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
                let image = try #require(store.image(named: "local/bbx:v2"))
                // A second extraction of the same layer would fail to rename onto the finished directory.
                let results = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<6 { group.addTask { try await store.unpackedLayerPaths(for: image) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.count == 6)
                #expect(Set(results).count == 1)
                #expect(ImageStoreTestSupport.entries(root + "/layers").count == 2)
                #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)
            }
        }
    }

    @Test func aTruncatedLayerBlobFailsAndLeavesNoHalfExtractedLayer() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, root in
                try await store.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
                let image = try #require(store.image(named: "local/bbx:v2"))
                // Damage the stored blob behind the store's back (as a disk error would).
                let blob = store.blobPath(image.layers[0].digest)
                let bytes = try Data(contentsOf: URL(fileURLWithPath: blob))
                try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: blob))

                do throws(ImageError) {
                    _ = try await store.unpackedLayerPaths(for: image)
                    Issue.record("a truncated layer was unpacked")
                } catch {
                    switch error {
                    case .layerExtractionFailed(let diffID, _), .digestMismatch(_, let diffID, _):
                        #expect(diffID == image.layers[0].diffID)
                    default:
                        Issue.record("unexpected error \(error)")
                    }
                }
                #expect(ImageStoreTestSupport.entries(root + "/layers").isEmpty)
                #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)
            }
        }
    }

    @Test func aLayerWhoseContentDoesNotMatchItsDiffIDIsRejected() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, root in
                try await store.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
                let image = try #require(store.image(named: "local/bbx:v2"))
                // A valid gzip of the wrong tar: decompression succeeds, the diff_id check must catch it.
                try FileManager.default.removeItem(atPath: store.blobPath(image.layers[1].digest))
                try FileManager.default.copyItem(
                    atPath: fixture.layers[0].gzipPath, toPath: store.blobPath(image.layers[1].digest))

                do throws(ImageError) {
                    _ = try await store.unpackedLayerPath(for: image.layers[1])
                    Issue.record("a mismatching layer was unpacked")
                } catch {
                    #expect(error == .digestMismatch(
                        what: "uncompressed layer \(image.layers[1].digest)", expected: image.layers[1].diffID,
                        actual: try ImageDigest(parsing: fixture.layers[0].diffID)))
                }
                #expect(ImageStoreTestSupport.entries(root + "/layers").isEmpty)
                #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)
            }
        }
    }
}
