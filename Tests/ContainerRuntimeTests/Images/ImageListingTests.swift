import ContainerRuntime
import Testing

@Suite struct ImageListingTests {
    @Test(arguments: [
        (0, "0B"), (999, "999B"), (1000, "1kB"), (1500, "1.5kB"), (4_270_000, "4.27MB"), (123_456_789, "123MB"),
        (2_000_000_000, "2GB"),
    ])
    func sizesAreDecimalWithThreeDigits(_ bytes: Int, _ text: String) {
        #expect(ImageListing.humanSize(bytes) == text)
    }

    @Test func listsOneRowPerNameLikeCrictl() throws {
        let digest = try ImageDigest(hex: "0123456789ab" + String(repeating: "0", count: 52))
        let named = StoredImage(
            configDigest: digest, manifestDigest: digest,
            names: ["docker.io/library/busybox:latest", "docker.io/local/bbx:v2"], size: 1_100_000, layers: [],
            configuration: ImageConfiguration())
        let dangling = StoredImage(
            configDigest: try ImageDigest(hex: String(repeating: "f", count: 64)), manifestDigest: digest, names: [],
            size: 512, layers: [], configuration: ImageConfiguration())
        let table = ImageListing.table([named, dangling])
        #expect(table == """
            IMAGE                       TAG      IMAGE ID       SIZE
            docker.io/library/busybox   latest   0123456789ab   1.1MB
            docker.io/local/bbx         v2       0123456789ab   1.1MB
            <none>                      <none>   ffffffffffff   512B

            """)
    }
}
