@testable import ContainerRuntime
import Testing

@Suite struct ImagePullProgressRendererTests {
    private let layer = ImageDigest(of: Array("layer".utf8))
    private let config = ImageDigest(of: Array("config".utf8))

    private func step(_ state: ImagePullProgress.State, _ done: Int, kind: ImagePullProgress.BlobKind = .layer)
        -> ImagePullProgress
    {
        ImagePullProgress(digest: kind == .layer ? layer : config, kind: kind, state: state, completedBytes: done,
                          totalBytes: 3_400_000)
    }

    @Test func plainOutputPrintsOneLinePerStateChange() {
        var renderer = ImagePullProgressRenderer(interactive: false)
        let start = ContinuousClock.now
        var output = ""
        for (index, progress) in [
            step(.waiting, 0, kind: .config), step(.waiting, 0), step(.downloading, 0), step(.downloading, 1_000_000),
            step(.downloading, 3_400_000), step(.verifying, 3_400_000), step(.downloaded, 3_400_000),
        ].enumerated() {
            output += renderer.render(progress, now: start + .seconds(index))
        }
        let id = layer.shortHex
        #expect(output == "\(id): Pulling fs layer\n\(id): Downloading\n\(id): Verifying Checksum\n\(id): Pull complete\n")
    }

    @Test func terminalOutputRedrawsTheLayersLineInPlace() {
        var renderer = ImagePullProgressRenderer(interactive: true)
        let start = ContinuousClock.now
        #expect(renderer.render(step(.waiting, 0), now: start) == "\(layer.shortHex): Pulling fs layer\n")
        let redraw = renderer.render(step(.downloading, 1_700_000), now: start + .seconds(1))
        #expect(redraw.hasPrefix("\u{1B}[1A\r\u{1B}[2K\(layer.shortHex): Downloading ["))
        #expect(redraw.contains("1.7MB/3.4MB"))
        #expect(redraw.hasSuffix("\r\u{1B}[1B"))
        // A byte update within the redraw interval is dropped; a state change is not.
        #expect(renderer.render(step(.downloading, 1_800_000), now: start + .seconds(1)) == "")
        #expect(renderer.render(step(.downloaded, 3_400_000), now: start + .seconds(1)).contains("Pull complete"))
    }

    @Test func barAndSizesLookLikeDockers() {
        #expect(ImagePullProgressRenderer.humanSize(0) == "0B")
        #expect(ImagePullProgressRenderer.humanSize(528_400) == "528.4kB")
        #expect(ImagePullProgressRenderer.humanSize(1_234_567) == "1.235MB")
        let half = ImagePullProgressRenderer.bar(completed: 50, total: 100)
        #expect(half == "[" + String(repeating: "=", count: 24) + ">" + String(repeating: " ", count: 25) + "] 50B/100B")
        let full = ImagePullProgressRenderer.bar(completed: 100, total: 100)
        #expect(full.hasPrefix("[" + String(repeating: "=", count: 50) + "]"))
    }
}
