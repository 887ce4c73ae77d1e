import Foundation
public import KubeClient
import Yams

/// Finds and reads kubeconfig files the way kubectl does, and turns the chosen context into a transport
/// configuration and a namespace.
///
/// Precedence: `--kubeconfig` (one file, must exist); else `KUBECONFIG` (a colon-separated list; missing files
/// are skipped; files are merged, the first file that defines a cluster, user or context by name — or the
/// current context — wins); else `~/.kube/config`. `--context` overrides the current context; `-n` overrides
/// the context's namespace, which defaults to `default`. File paths inside a file are relative to that file.
///
/// Value type; Sendable. File reads go through `readFile`, so the loader can be tested without a disk.
public struct KubeconfigLoader: Sendable {
    public var explicitPath: String?
    public var environmentPaths: String?
    public var homeDirectory: String
    public var contextOverride: String?
    public var namespaceOverride: String?
    public var readFile: @Sendable (String) throws -> [UInt8]

    public init(explicitPath: String? = nil, environmentPaths: String? = KubeconfigLoader.kubeconfigEnvironment(),
                homeDirectory: String = KubeconfigLoader.userHomeDirectory(), contextOverride: String? = nil,
                namespaceOverride: String? = nil,
                readFile: @escaping @Sendable (String) throws -> [UInt8] = KubeconfigLoader.readFromDisk) {
        self.explicitPath = explicitPath
        self.environmentPaths = environmentPaths
        self.homeDirectory = homeDirectory
        self.contextOverride = contextOverride
        self.namespaceOverride = namespaceOverride
        self.readFile = readFile
    }

    /// The files to read, in precedence order.
    public var candidatePaths: [String] {
        if let explicitPath, !explicitPath.isEmpty { return [explicitPath] }
        if let environmentPaths, !environmentPaths.isEmpty {
            return environmentPaths.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return [homeDirectory + "/.kube/config"]
    }

    /// Loads, merges and resolves the selected context.
    public func load() throws(KubeconfigError) -> ClientConfiguration {
        var merged = MergedKubeconfig()
        var readAny = false
        for path in candidatePaths {
            let bytes: [UInt8]
            do {
                bytes = try readFile(path)
            } catch {
                // An explicit --kubeconfig must exist; missing files in KUBECONFIG are skipped as kubectl does.
                if explicitPath != nil { throw .unreadableFile(path, detail: "\(error)") }
                continue
            }
            readAny = true
            let config: Kubeconfig
            do {
                config = try YAMLDecoder().decode(Kubeconfig.self, from: String(decoding: bytes, as: UTF8.self))
            } catch {
                throw .invalidFile(path, detail: "\(error)")
            }
            merged.add(config, directory: Self.directory(of: path))
        }
        guard readAny else { throw .noConfiguration(paths: candidatePaths) }
        return try resolve(merged)
    }

    private func resolve(_ merged: MergedKubeconfig) throws(KubeconfigError) -> ClientConfiguration {
        let contextName = contextOverride.flatMap { $0.isEmpty ? nil : $0 } ?? merged.currentContext ?? ""
        guard !contextName.isEmpty else { throw .noCurrentContext }
        guard let context = merged.contexts[contextName] else { throw .contextNotFound(contextName) }
        guard let (cluster, clusterDirectory) = merged.clusters[context.cluster] else {
            throw .clusterNotFound(context.cluster, context: contextName)
        }
        var transport: HTTPSTransportConfiguration
        do {
            transport = try HTTPSTransportConfiguration(server: cluster.server)
        } catch {
            throw .invalidCluster(context.cluster, detail: error.description)
        }
        transport.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        transport.serverName = cluster.tlsServerName
        transport.certificateAuthorityPEM = try material(
            data: cluster.certificateAuthorityData, path: cluster.certificateAuthority, directory: clusterDirectory,
            what: "certificate-authority")
        if let (user, userDirectory) = merged.users[context.user] {
            transport.clientCertificatePEM = try material(
                data: user.clientCertificateData, path: user.clientCertificate, directory: userDirectory,
                what: "client-certificate")
            transport.clientKeyPEM = try material(
                data: user.clientKeyData, path: user.clientKey, directory: userDirectory, what: "client-key")
            if let token = user.token, !token.isEmpty {
                transport.bearerToken = token
            } else if let tokenFile = user.tokenFile,
                      let bytes = try material(data: nil, path: tokenFile, directory: userDirectory, what: "tokenFile") {
                transport.bearerToken = String(decoding: bytes, as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
        } else if !context.user.isEmpty {
            throw .userNotFound(context.user, context: contextName)
        }
        let namespace = namespaceOverride.flatMap { $0.isEmpty ? nil : $0 }
            ?? context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClientConfiguration(contextName: contextName, namespace: namespace,
                                   namespaceExplicit: namespaceOverride.map { !$0.isEmpty } ?? false,
                                   transport: transport)
    }

    /// Inline base64 data wins over a file path, as in client-go.
    private func material(data: String?, path: String?, directory: String, what: String)
        throws(KubeconfigError) -> [UInt8]?
    {
        if let data, !data.isEmpty {
            let compact = data.filter { !$0.isWhitespace }
            guard let decoded = Data(base64Encoded: compact) else { throw .invalidBase64(field: what + "-data") }
            return [UInt8](decoded)
        }
        guard let path, !path.isEmpty else { return nil }
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        do {
            return try readFile(absolute)
        } catch {
            throw .unreadableFile(absolute, detail: "\(error) (\(what))")
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `KUBECONFIG` of this process.
    public static func kubeconfigEnvironment() -> String? { ProcessInfo.processInfo.environment["KUBECONFIG"] }

    /// `HOME`, else the account's home directory.
    public static func userHomeDirectory() -> String {
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    @Sendable public static func readFromDisk(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// The outcome of loading a kubeconfig: which context, which namespace, and how to reach the server.
///
/// Value type; Sendable.
public struct ClientConfiguration: Sendable, Equatable {
    public var contextName: String
    public var namespace: String
    /// Whether `-n/--namespace` chose the namespace (kubectl's "enforce namespace").
    public var namespaceExplicit: Bool
    public var transport: HTTPSTransportConfiguration

    public init(contextName: String, namespace: String, namespaceExplicit: Bool, transport: HTTPSTransportConfiguration) {
        self.contextName = contextName
        self.namespace = namespace
        self.namespaceExplicit = namespaceExplicit
        self.transport = transport
    }
}

/// Several kubeconfig files merged by kubectl's rule: the first definition of a name wins.
///
/// Value type.
struct MergedKubeconfig {
    var currentContext: String?
    var contexts: [String: Kubeconfig.Context] = [:]
    var clusters: [String: (Kubeconfig.Cluster, directory: String)] = [:]
    var users: [String: (Kubeconfig.User, directory: String)] = [:]

    mutating func add(_ config: Kubeconfig, directory: String) {
        if currentContext == nil, !config.currentContext.isEmpty { currentContext = config.currentContext }
        for entry in config.contexts where contexts[entry.name] == nil { contexts[entry.name] = entry.context }
        for entry in config.clusters where clusters[entry.name] == nil { clusters[entry.name] = (entry.cluster, directory) }
        for entry in config.users where users[entry.name] == nil { users[entry.name] = (entry.user, directory) }
    }
}
