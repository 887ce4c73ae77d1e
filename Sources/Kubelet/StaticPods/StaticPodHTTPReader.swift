public import Foundation
public import KubeAPI
import KubeCore
public import Logging
import Synchronization
import Yams

/// Fetches static pods from `--manifest-url` (upstream `pkg/kubelet/config/http.go`): the body is one Pod or
/// a PodList, YAML or JSON; an empty body means no pods. Plain HTTP only (the probe HTTP client, bodies up to
/// 10 KiB).
///
/// Immutable value; Sendable.
public struct StaticPodHTTPReader: Sendable {
    public let url: String
    public let nodeName: String

    public init(url: String, nodeName: String) {
        self.url = url
        self.nodeName = nodeName
    }

    /// The pods the URL serves now, or nil when it could not be read (the caller keeps the previous ones).
    public func read(now: Date, logger: Logger) async -> [Pod]? {
        guard let target = Self.probeURL(url) else {
            logger.warning("Static pod manifest URL is not a valid http URL", metadata: ["url": "\(url)"])
            return nil
        }
        let outcome = await HTTPProbeClient().get(target, headers: [], userAgent: "kubelet", timeout: .seconds(10))
        switch outcome {
        case .failed(let message, _), .unsupported(let message):
            logger.warning("Fetching static pod manifests failed", metadata: ["url": "\(url)", "error": "\(message)"])
            return nil
        case .response(let statusCode, let status, let body, _):
            guard statusCode == 200 else {
                logger.warning("Static pod manifest URL answered with an error",
                               metadata: ["url": "\(url)", "status": "\(status)"])
                return nil
            }
            guard body.count < HTTPProbeClient.maximumBodyBytes else {
                logger.warning("Static pod manifests from the URL are too large (10 KiB at most); serve fewer pods",
                               metadata: ["url": "\(url)"])
                return nil
            }
            do {
                return try Self.pods(from: Data(body), nodeName: nodeName, now: now)
            } catch {
                logger.warning("Static pod manifests from the URL do not decode",
                               metadata: ["url": "\(url)", "error": "\(error)"])
                return nil
            }
        }
    }

    /// The static pods of a body holding one Pod or a PodList (each item hashed on its own JSON).
    public static func pods(from body: Data, nodeName: String, now: Date) throws -> [Pod] {
        let text = String(decoding: body, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [] }
        if let object = try? Yams.load(yaml: text) as? [String: Any], object["kind"] as? String == "PodList" {
            let items = object["items"] as? [Any] ?? []
            return try items.map { item in
                let data = try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys])
                return try StaticPodManifest.staticPod(from: data, source: .http, nodeName: nodeName, seen: now)
            }
        }
        return [try StaticPodManifest.staticPod(from: body, source: .http, nodeName: nodeName, seen: now)]
    }

    static func probeURL(_ text: String) -> ProbeURL? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        var target = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { target += "?" + query }
        return ProbeURL(scheme: scheme, host: host, port: components.port ?? (scheme == "https" ? 443 : 80),
                        target: target)
    }
}

/// The static pod sources of a node combined: the manifest directory (read on every call) and the manifest
/// URL (fetched when `httpInterval` has passed since the last fetch; its last good answer is kept while it
/// cannot be fetched).
///
/// Thread-safe (a mutex guards the last URL answer); Sendable.
public final class StaticPodSources: Sendable {
    private let directory: StaticPodDirectoryReader?
    private let http: StaticPodHTTPReader?
    private let httpInterval: TimeInterval
    private let lastHTTP = Mutex<(pods: [Pod], fetched: Date?)>(([], nil))

    public init(directory: StaticPodDirectoryReader?, http: StaticPodHTTPReader?, httpInterval: Duration) {
        self.directory = directory
        self.http = http
        let parts = httpInterval.components
        self.httpInterval = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    public func read(now: Date, logger: Logger) async -> [Pod] {
        var pods = directory?.read(now: now, logger: logger) ?? []
        if let http {
            let due = lastHTTP.withLock { last in
                last.fetched.map { now.timeIntervalSince($0) >= httpInterval || now < $0 } ?? true
            }
            if due {
                let fetched = await http.read(now: now, logger: logger)
                lastHTTP.withLock { last in
                    last.fetched = now
                    if let fetched { last.pods = fetched }
                }
            }
            pods += lastHTTP.withLock { $0.pods }
        }
        return pods
    }
}
