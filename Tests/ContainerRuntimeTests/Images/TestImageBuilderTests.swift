import Foundation
import HostSystem
import Testing

@Suite(.enabled(if: TestImageBuilder.isAvailable, Comment(rawValue: TestImageBuilder.skipReason)))
struct TestImageBuilderTests {
    @Test func buildsReproducibleDigests() async throws {
        let first = try await TestImageBuilder.withTestImage { ($0.layers.map(\.diffID), $0.manifestDigests) }
        let second = try await TestImageBuilder.withTestImage { ($0.layers.map(\.diffID), $0.manifestDigests) }
        #expect(first.0 == second.0)
        #expect(first.1 == second.1)
        #expect(first.1.count == 2)
    }

    @Test func flattensTheRootfsWithWhiteoutsApplied() async throws {
        try await TestImageBuilder.withTestImage { image in
            let rootfs = image.directory + "/flat"
            try await TestImageBuilder.flattenRootfs(of: image, into: rootfs)
            let files = FileManager.default
            #expect(!files.fileExists(atPath: rootfs + "/bin/grep"))
            #expect(try files.contentsOfDirectory(atPath: rootfs + "/data") == ["new-file"])
            #expect(try String(contentsOfFile: rootfs + "/etc/motd", encoding: .utf8) == "layer2 was here\n")
            #expect(!files.fileExists(atPath: rootfs + "/bin/.wh.grep"))
            let output = try await HostCommand.runChecked(rootfs + "/bin/busybox", ["echo", "static busybox runs"])
            #expect(output.standardOutputText == "static busybox runs\n")

            let v1 = image.directory + "/flat-v1"
            try await TestImageBuilder.flattenRootfs(of: image, layerCount: 1, into: v1)
            #expect(files.fileExists(atPath: v1 + "/bin/grep"))
            #expect(try files.contentsOfDirectory(atPath: v1 + "/data") == ["old-file"])
        }
    }
}
