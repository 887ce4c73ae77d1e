import ContainerRuntime
import Foundation
import HostSystem
import Testing

@Suite(
    .enabled(if: TestImageBuilder.isAvailable, Comment(rawValue: TestImageBuilder.skipReason)),
    .enabled(if: ImageStoreTestSupport.isRoot, "mounting overlayfs needs root"))
struct RootfsMountTests {
    @Test func anOverlayOfTheLayersShowsTheMergedImage() async throws {
        try await TestImageBuilder.withTestImage { fixture in
            try await ImageStoreTestSupport.withStore { store, root in
                try await store.importArchive(at: fixture.ociArchivePath, defaultRepository: "local/bbx")
                let image = try #require(store.image(named: "local/bbx:v2"))
                let layers = try await store.unpackedLayerPaths(for: image)
                let container = root + "/containers/c1"
                let target = container + "/rootfs"
                try RootfsMount.mountOverlay(
                    lowerLayers: layers, upper: container + "/upper", work: container + "/work", target: target)
                defer { _ = try? RootfsMount.unmount(target, lazily: true) }

                let files = FileManager.default
                #expect(files.isExecutableFile(atPath: target + "/bin/busybox"))
                #expect(files.fileExists(atPath: target + "/bin/sh"))
                #expect(!files.fileExists(atPath: target + "/bin/grep"))
                #expect(try files.contentsOfDirectory(atPath: target + "/data") == ["new-file"])
                #expect(try String(contentsOfFile: target + "/etc/motd", encoding: .utf8) == "layer2 was here\n")
                #expect(try String(contentsOfFile: target + "/etc/passwd", encoding: .utf8).hasPrefix("root:x:0:0:"))

                // Writes land in the upper directory, never in the shared layers.
                try Data("hi\n".utf8).write(to: URL(fileURLWithPath: target + "/data/written"))
                #expect(files.fileExists(atPath: container + "/upper/data/written"))
                #expect(!files.fileExists(atPath: layers[1] + "/data/written"))

                // Lazily, as the kubelet's teardown falls back to: a process that a concurrent test starts
                // meanwhile (a container's new mount namespace, for one) can keep the mount busy, and a
                // plain unmount then fails with EBUSY (seen once in CI).
                #expect(try RootfsMount.unmount(target, lazily: true))
                #expect(!files.fileExists(atPath: target + "/bin/busybox"))
                // Unmounting again is not an error.
                #expect(try RootfsMount.unmount(target) == false)
            }
        }
    }

    @Test func badOverlayPathsAreRefusedBeforeMounting() throws {
        #expect(throws: ImageError.self) {
            try RootfsMount.mountOverlay(lowerLayers: [], upper: "/tmp/u", work: "/tmp/w", target: "/tmp/t")
        }
        #expect(throws: ImageError.self) {
            try RootfsMount.mountOverlay(lowerLayers: ["/tmp/a:b"], upper: "/tmp/u", work: "/tmp/w", target: "/tmp/t")
        }
    }
}
