import ContainerRuntime
import Foundation
import HostSystem
import Testing

@Suite(.enabled(if: TestImageBuilder.isAvailable, Comment(rawValue: TestImageBuilder.skipReason)))
struct ImageArchiveImportTests {
    @Test func importsAnOCIArchiveWithTagsUnderTheDefaultRepository() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, _ in
                let imported = try await store.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
                #expect(imported.count == 2)
                #expect(store.images().map(\.names) == [["docker.io/local/bbx:v1"], ["docker.io/local/bbx:v2"]])

                let v2 = try #require(store.image(named: "local/bbx:v2"))
                #expect(v2.id == fixture.configDigests[1])
                #expect(v2.manifestDigest.description == fixture.manifestDigests[1])
                #expect(v2.layerDiffIDs.map(\.description) == fixture.layers.map(\.diffID))
                #expect(v2.layers.map(\.digest.description) == fixture.layers.map(\.digest))
                #expect(v2.repoDigests == ["docker.io/local/bbx@" + fixture.manifestDigests[1]])
                #expect(v2.configuration.env
                    == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=hello"])
                #expect(v2.configuration.entrypoint == ["/bin/sh", "-c"])
                #expect(v2.configuration.cmd == ["echo $GREETING from $(hostname) in $(pwd); id"])
                #expect(v2.configuration.workingDir == "/data")
                #expect(v2.configuration.user == "0:0")
                #expect(v2.configuration.architecture == "amd64")

                let v1 = try #require(store.image(named: "docker.io/local/bbx:v1"))
                #expect(v1.layers.count == 1)
                // By full id, by id without the algorithm, by short id, by manifest digest reference.
                #expect(store.image(named: v2.id)?.manifestDigest == v2.manifestDigest)
                #expect(store.image(named: v2.configDigest.hex)?.id == v2.id)
                #expect(store.image(named: v2.shortID)?.id == v2.id)
                #expect(store.image(named: "local/bbx@" + fixture.manifestDigests[1])?.id == v2.id)
                #expect(store.image(named: "other/bbx@" + fixture.manifestDigests[1]) == nil)
                #expect(store.image(named: "local/bbx:v3") == nil)
                #expect(throws: ImageError.imageNotFound("busybox")) { try store.resolve("busybox") }
            }
        }
    }

    @Test func importsAnOCIArchiveWithoutRepositoryAsUnnamedImages() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, _ in
                try await store.importArchive(at: fixture.ociArchivePath)
                let images = store.images()
                #expect(images.count == 2)
                #expect(images.allSatisfy { $0.names.isEmpty })
                #expect(Set(images.map(\.id)) == Set(fixture.configDigests))
                #expect(ImageListing.table(images).contains("<none>"))
            }
        }
    }

    @Test func importsADockerSaveArchive() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, root in
                let imported = try await store.importArchive(at: fixture.dockerArchivePath)
                #expect(imported.map(\.names) == [["docker.io/local/bbx:v2"]])
                let image = try #require(store.image(named: "local/bbx:v2"))
                #expect(image.id == fixture.configDigests[1])
                #expect(image.configuration.cmd == ["echo $GREETING from $(hostname) in $(pwd); id"])
                // Layers are stored uncompressed, as they came: blob digest == diff_id.
                #expect(image.layers.map(\.digest) == image.layerDiffIDs)
                #expect(image.layers.allSatisfy { $0.mediaType == "application/vnd.oci.image.layer.v1.tar" })
                #expect(image.layerDiffIDs.map(\.description) == fixture.layers.map(\.diffID))
                for layer in image.layers { #expect(store.hasBlob(layer.digest)) }
                #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)

                // Importing again changes nothing (Swiftlet's manifest for the archive is deterministic).
                let again = try await store.importArchive(at: fixture.dockerArchivePath)
                #expect(again.map(\.manifestDigest) == [image.manifestDigest])
                #expect(store.images().count == 1)
            }
        }
    }

    @Test func importsADocker25ArchiveByItsOCIIndex() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, _ in
                try await store.importArchive(at: fixture.dockerModernArchivePath)
                let image = try #require(store.image(named: "local/bbx:v2"))
                #expect(image.names == ["docker.io/local/bbx:v2"])
                #expect(image.manifestDigest.description == fixture.manifestDigests[1])
                #expect(image.layers.map(\.digest.description) == fixture.layers.map(\.digest))
            }
        }
    }

    @Test func theIndexSurvivesReopeningTheStoreWhichOnlyOneOwnerMayHaveOpen() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            let root = try TestImageBuilder.makeTemporaryDirectory(prefix: "swiftlet-test-store")
            defer { try? FileManager.default.removeItem(atPath: root) }
            var store: ImageStore? = try ImageStore(root: root)
            try await store?.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
            let before = store?.images() ?? []
            #expect(before.count == 2)
            do throws(ImageError) {
                _ = try ImageStore(root: root)
                Issue.record("a second store opened the same root")
            } catch {
                #expect(error == .storeInUse(root: root, holder: "process \(getpid())"))
            }
            store = nil
            let reopened = try ImageStore(root: root)
            #expect(reopened.images() == before)
            #expect(reopened.image(named: "local/bbx:v2")?.configuration.workingDir == "/data")
        }
    }

    @Test func aCorruptLayerFailsTheImportAndLeavesNothing() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            // Overwrite layer 2's blob in the layout with other bytes, then archive it.
            let blob = fixture.layoutDirectory + "/blobs/sha256/" + TestImageBuilder.hex(fixture.layers[1].digest)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: blob))
            bytes[bytes.count / 2] ^= 0xff
            try bytes.write(to: URL(fileURLWithPath: blob))
            let archive = fixture.directory + "/corrupt.tar"
            try await TestImageBuilder.run("tar", ["-C", fixture.layoutDirectory, "-cf", archive, "."])

            try await ImageStoreTestSupport.withStore { store, root in
                do throws(ImageError) {
                    try await store.importArchive(at: archive, defaultRepository: "local/bbx")
                    Issue.record("a corrupt archive was imported")
                } catch {
                    guard case .digestMismatch(_, let expected, _) = error else {
                        Issue.record("unexpected error \(error)")
                        return
                    }
                    #expect(expected.description == fixture.layers[1].digest)
                    #expect(error.description.contains("corrupt"))
                }
                #expect(store.images().isEmpty)
                #expect(ImageStoreTestSupport.entries(root + "/blobs/sha256").isEmpty)
                #expect(ImageStoreTestSupport.entries(root + "/tmp").isEmpty)
            }
        }
    }

    @Test func aDockerArchiveLayerThatDoesNotMatchItsDiffIDIsRejected() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            // Swap the two layer tars of the docker-save directory.
            let directory = fixture.directory + "/docker-save"
            let first = directory + "/" + TestImageBuilder.hex(fixture.layers[0].diffID) + ".tar"
            let second = directory + "/" + TestImageBuilder.hex(fixture.layers[1].diffID) + ".tar"
            try FileManager.default.removeItem(atPath: first)
            try FileManager.default.copyItem(atPath: second, toPath: first)
            let archive = fixture.directory + "/swapped.tar"
            try await TestImageBuilder.run("tar", ["-C", directory, "-cf", archive, "."])

            try await ImageStoreTestSupport.withStore { store, root in
                await #expect(throws: ImageError.self) { try await store.importArchive(at: archive) }
                #expect(store.images().isEmpty)
                #expect(ImageStoreTestSupport.entries(root + "/blobs/sha256").isEmpty)
            }
        }
    }

    @Test func aFileThatIsNoImageArchiveIsAClearError() async throws {
        try await ImageStoreTestSupport.withStore { store, root in
            let directory = root + "/not-an-image"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data("hello".utf8).write(to: URL(fileURLWithPath: directory + "/hello.txt"))
            try await TestImageBuilder.run("tar", ["-C", directory, "-cf", root + "/plain.tar", "."])
            do throws(ImageError) {
                try await store.importArchive(at: root + "/plain.tar")
                Issue.record("imported a plain tar")
            } catch {
                guard case .unsupportedArchive = error else { Issue.record("unexpected error \(error)"); return }
                #expect(error.description.contains("neither oci-layout nor manifest.json"))
            }
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: root + "/garbage.tar"))
            await #expect(throws: ImageError.self) { try await store.importArchive(at: root + "/garbage.tar") }
        }
    }
}
