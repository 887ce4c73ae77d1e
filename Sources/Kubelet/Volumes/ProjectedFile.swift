/// One file of a configMap, secret, downwardAPI or projected volume: its bytes and permission bits.
///
/// Value type; Sendable.
public struct ProjectedFile: Sendable, Equatable {
    public var data: [UInt8]
    public var mode: UInt32

    public init(data: [UInt8], mode: UInt32) {
        self.data = data
        self.mode = mode
    }

    public init(_ text: String, mode: UInt32) {
        self.init(data: Array(text.utf8), mode: mode)
    }
}
