public import KubeAPI
public import KubeCore

/// One event of a watch stream (upstream `watch.Event`).
///
/// Value type; Sendable.
public enum WatchEvent<Object: KubeResource>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// A progress marker: only `metadata.resourceVersion` is meaningful.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a `Status` (for example `410 Gone` when the resource version is too old).
    case error(Status)
}

/// The wire shape of a watch event line: `{"type": "...", "object": {...}}`.
struct WatchEventLine<Object: KubeResource>: Decodable {
    var type: String
    var object: Object?
    var status: Status?
    var bookmarkVersion: String?

    enum CodingKeys: String, CodingKey {
        case type
        case object
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ERROR":
            status = try container.decode(Status.self, forKey: .object)
        case "BOOKMARK":
            let bookmark = try container.decode(BookmarkObject.self, forKey: .object)
            bookmarkVersion = bookmark.metadata.resourceVersion ?? ""
        default:
            object = try container.decode(Object.self, forKey: .object)
        }
    }

    var event: WatchEvent<Object>? {
        switch type {
        case "ADDED": object.map { .added($0) }
        case "MODIFIED": object.map { .modified($0) }
        case "DELETED": object.map { .deleted($0) }
        case "BOOKMARK": bookmarkVersion.map { .bookmark(resourceVersion: $0) }
        case "ERROR": status.map { .error($0) }
        default: nil
        }
    }
}

/// The object of a `BOOKMARK` event: only its resource version matters.
private struct BookmarkObject: Decodable {
    struct Metadata: Decodable {
        var resourceVersion: String?
    }
    var metadata: Metadata
}
