import Testing
@testable import Kubelet

/// The pull time in the `Pulled` event reads like Go's `Duration.Truncate(time.Millisecond).String()`,
/// as upstream's image manager prints it.
@Suite("ImageProvisioner pull message")
struct ImageProvisionerPullMessageTests {
    @Test func pullTimesAreGoDurationsTruncatedToMilliseconds() {
        #expect(ImageProvisioner.goDurationTruncatedToMilliseconds(.microseconds(400)) == "0s")
        #expect(ImageProvisioner.goDurationTruncatedToMilliseconds(.microseconds(12_999)) == "12ms")
        #expect(ImageProvisioner.goDurationTruncatedToMilliseconds(.milliseconds(1_500)) == "1.5s")
        #expect(ImageProvisioner.goDurationTruncatedToMilliseconds(.milliseconds(2_000)) == "2s")
        #expect(ImageProvisioner.goDurationTruncatedToMilliseconds(.milliseconds(123_040)) == "2m3.04s")
    }
}
