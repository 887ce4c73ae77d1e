/// The platform an image must be built for: `linux/amd64`, `linux/arm64/v8`, …
///
/// Immutable value; Sendable.
public struct ImagePlatform: Sendable, Equatable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// The platform of this node (`linux/amd64` on x86-64, `linux/arm64/v8` on ARM64).
    public static var current: ImagePlatform {
        let architecture = NodePlatform.architecture
        return ImagePlatform(os: NodePlatform.os, architecture: architecture,
                             variant: architecture == "arm64" ? "v8" : nil)
    }

    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }
}
