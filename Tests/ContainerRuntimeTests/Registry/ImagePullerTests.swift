import ContainerRuntime
import Foundation
import Logging
import Synchronization
import Testing

/// End to end against Debian's `docker-registry` on 127.0.0.1: an image the test builds and pushes with skopeo,
/// pulled into a temporary ``ImageStore``. Skips (with the reason printed) when the tools are missing.
@Suite struct ImagePullerTests {
    /// A registry with a pushed test image, a store, and a puller; everything is removed after `body`.
    private func withPushedImage(
        tokenAuth: Bool = false,
        _ body: (_ registry: LocalTestRegistry, _ image: RegistryTestImage, _ puller: ImagePuller, _ store: ImageStore,
                 _ auth: RegistryTokenAuth?) async throws -> Void
    ) async throws {
        let tools = tokenAuth ? ["docker-registry", "skopeo", "tar", "gzip", "openssl", "python3"]
                              : ["docker-registry", "skopeo", "tar", "gzip"]
        if let missing = RegistryTestSupport.missingTools(tools) {
            print("ImagePullerTests skipped: \(missing)")
            return
        }
        let directory = try RegistryTestSupport.makeDirectory()
        defer { RegistryTestSupport.removeDirectory(directory) }
        var auth: RegistryTokenAuth?
        var registry: LocalTestRegistry?
        do {
            if tokenAuth { auth = try await RegistryTokenAuth.start(in: directory, user: "puller", password: "s3cret") }
            registry = try await LocalTestRegistry.start(in: directory, tokenAuth: auth)
            let image = try await RegistryTestImage.build(in: directory)
            let credentials = auth.map { ($0.user, $0.password) }
            try await registry!.push(layout: image.layout, tag: "v1", repository: "local/bbx", as: "v1",
                                     credentials: credentials)
            try await registry!.push(layout: image.layout, tag: "multi", repository: "local/bbx", as: "multi", all: true,
                                     credentials: credentials)
            let store = try ImageStore(root: directory + "/store")
            let puller = ImagePuller(store: store, logger: Logger(label: "test.registry"))
            try await body(registry!, image, puller, store, auth)
        } catch {
            if let registry { print("docker-registry log:\n\(registry.process.output)") }
            if let auth { print("token server log:\n\(auth.server.output)") }
            await registry?.process.stop()
            await auth?.server.stop()
            throw error
        }
        await registry?.process.stop()
        await auth?.server.stop()
    }

    @Test func pullsAPushedImageVerifiesBlobsAndSkipsThemTheSecondTime() async throws {
        try await withPushedImage { registry, image, puller, store, _ in
            let reference = try ImageReference(parsing: "\(registry.authority)/local/bbx:v1")
            let events = Mutex<[ImagePullProgress]>([])
            let options = ImagePullOptions(progress: { progress in events.withLock { $0.append(progress) } })

            let pulled = try await puller.pull(reference, options: options)
            #expect(pulled.names == ["\(registry.authority)/local/bbx:v1"])
            #expect(pulled.configDigest == image.configDigest)
            #expect(pulled.manifestDigest == image.manifestDigest)
            #expect(pulled.layers.map(\.digest) == image.layerDigests)
            #expect(pulled.configuration.env.contains("GREETING=hello"))
            #expect(store.image(named: "\(registry.authority)/local/bbx:v1")?.id == pulled.id)
            for digest in [image.configDigest] + image.layerDigests {
                #expect(store.hasBlob(digest))
                let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: store.blobPath(digest))))
                #expect(ImageDigest(of: bytes) == digest)
            }
            let firstPull = events.withLock { $0 }
            let downloaded = Set(firstPull.filter { $0.state == .downloaded }.map(\.digest))
            #expect(downloaded == Set([image.configDigest] + image.layerDigests))
            #expect(firstPull.first?.state == .waiting)
            #expect(firstPull.filter { $0.state == .downloaded }.allSatisfy { $0.completedBytes == $0.totalBytes })

            events.withLock { $0 = [] }
            let again = try await puller.pull(reference, options: options)
            #expect(again.id == pulled.id)
            let secondPull = events.withLock { $0 }
            #expect(secondPull.count == 3)
            #expect(secondPull.allSatisfy { $0.state == .alreadyExists })
        }
    }

    @Test func aMissingTagOrRepositoryIsNotFound() async throws {
        try await withPushedImage { registry, _, puller, _, _ in
            for name in ["\(registry.authority)/local/bbx:nosuch", "\(registry.authority)/local/nosuch:v1"] {
                let reference = try ImageReference(parsing: name)
                do {
                    _ = try await puller.pull(reference)
                    Issue.record("pulling \(name) should fail")
                } catch let error as RegistryError {
                    #expect(error.kind == .notFound)
                    #expect(error.description == "failed to pull and unpack image \"\(name)\": failed to resolve "
                        + "reference \"\(name)\": \(name): not found")
                }
            }
        }
    }

    @Test func anIndexResolvesToThisPlatformAndDigestsAreChecked() async throws {
        try await withPushedImage { registry, image, puller, store, _ in
            let multi = try await puller.pull(try ImageReference(parsing: "\(registry.authority)/local/bbx:multi"))
            #expect(multi.manifestDigest == image.manifestDigest)
            #expect(multi.configDigest == image.configDigest)

            let byDigest = "\(registry.authority)/local/bbx@\(image.indexDigest)"
            let pinned = try await puller.pull(try ImageReference(parsing: byDigest))
            #expect(pinned.manifestDigest == image.manifestDigest)
            #expect(pinned.names.contains(byDigest))

            let otherPlatform = ImagePlatform(os: "linux", architecture: "mips64le")
            do {
                _ = try await puller.pull(try ImageReference(parsing: "\(registry.authority)/local/bbx:multi"),
                                          options: ImagePullOptions(platform: otherPlatform))
                Issue.record("an index without this platform should fail")
            } catch let error as RegistryError {
                #expect(error.kind == .noMatchingPlatform)
                #expect(error.description.contains("no match for platform in manifest"))
            }

            let unknownDigest = ImageDigest(of: Array("no such manifest".utf8))
            do {
                _ = try await puller.pull(try ImageReference(parsing: "\(registry.authority)/local/bbx@\(unknownDigest)"))
                Issue.record("an unknown digest should fail")
            } catch let error as RegistryError {
                #expect(error.kind == .notFound)
            }
            #expect(store.images().count == 1)
        }
    }

    @Test func tokenAuthNeedsTheRightCredentials() async throws {
        try await withPushedImage(tokenAuth: true) { registry, image, puller, _, auth in
            let auth = try #require(auth)
            let reference = try ImageReference(parsing: "\(registry.authority)/local/bbx:v1")

            do {
                _ = try await puller.pull(reference)
                Issue.record("an anonymous pull should be refused")
            } catch let error as RegistryError {
                #expect(error.kind == .unauthorized)
                #expect(error.description.contains("pull access denied, repository does not exist or may require authorization"))
            }

            let wrong = RegistryCredentials(username: auth.user, password: "wrong")
            do {
                _ = try await puller.pull(reference, options: ImagePullOptions(credentials: [wrong]))
                Issue.record("a pull with a wrong password should be refused")
            } catch let error as RegistryError {
                #expect(error.kind == .unauthorized)
                #expect(error.description.contains("401 Unauthorized"))
            }

            let right = RegistryCredentials(username: auth.user, password: auth.password)
            let pulled = try await puller.pull(reference, options: ImagePullOptions(credentials: [wrong, right]))
            #expect(pulled.manifestDigest == image.manifestDigest)
            #expect(pulled.layers.map(\.digest) == image.layerDigests)

            // The index of the same repository, with the cached token.
            let multi = try await puller.pull(try ImageReference(parsing: "\(registry.authority)/local/bbx:multi"),
                                              options: ImagePullOptions(credentials: [right]))
            #expect(multi.manifestDigest == image.manifestDigest)
        }
    }
}
