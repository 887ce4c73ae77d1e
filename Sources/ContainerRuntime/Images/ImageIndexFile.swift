import Foundation

/// The store's list of images, `<root>/images.json`: each manifest digest with the names that point at it.
/// Blobs hold everything else.
///
/// A value type; Sendable. `write(to:)` replaces the file atomically (write a temporary file, fsync,
/// rename), so a crash leaves either the old or the new list.
struct ImageIndexFile: Codable, Sendable, Equatable {
    struct Entry: Codable, Sendable, Equatable {
        var manifest: ImageDigest
        var names: [String]
    }

    var images: [Entry] = []

    static func read(from path: String) throws(ImageError) -> ImageIndexFile {
        guard FileManager.default.fileExists(atPath: path) else { return ImageIndexFile() }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(ImageIndexFile.self, from: data)
        } catch {
            throw .malformedDocument(what: "image store index \(path)", reason: "\(error)")
        }
    }

    func write(to path: String) throws(ImageError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(self)) } catch {
            throw .malformedDocument(what: "image store index", reason: "\(error)")
        }
        try AtomicFile.write(bytes, to: path)
    }
}
