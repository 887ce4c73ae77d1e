import KubeStorage

/// A reversible stand-in for encryption: `tag` + every byte XOR 0x5A. With an empty tag it keeps lengths, so
/// the value-size conformance tests see the sizes they wrote. Values without the tag read as they are (the
/// identity read), like the aesgcm key ring.
///
/// Immutable value; Sendable.
struct XORTransformer: ValueTransformer {
    let tag: [UInt8]

    func transformToStorage(_ value: [UInt8], key: String) throws -> [UInt8] {
        tag + value.map { $0 ^ 0x5A }
    }

    func transformFromStorage(_ stored: [UInt8], key: String) throws -> [UInt8] {
        guard stored.starts(with: tag) else { return stored }
        return stored.dropFirst(tag.count).map { $0 ^ 0x5A }
    }
}

/// A transformer whose reads always fail, as decryption with a lost key does.
///
/// Immutable value; Sendable.
struct RefusingTransformer: ValueTransformer {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "the test transformer refuses to read; restore the key" }
    }

    func transformToStorage(_ value: [UInt8], key: String) throws -> [UInt8] { value }

    func transformFromStorage(_ stored: [UInt8], key: String) throws -> [UInt8] { throw Refused() }
}
