import APIServer
import ArgumentParser
import ClusterAssembly
import KubeCore
import Foundation
import KubeSecurity
import KubeStorage
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `swiftlet server`: the control-plane node.
///
/// Creates the data directory, opens the SQLite store at `<data-dir>/db/state.db` (which locks the directory
/// against a second server), encrypts Secrets at rest with the key ring in `<data-dir>/encryption/keys.json`
/// (created with a random AES-256 key on first start), serves the Kubernetes API on `--bind-address:--port`, writes
/// `<data-dir>/kubeconfig.yaml` for the cluster admin once it listens, and stops cleanly on SIGINT or SIGTERM.
/// Once the API server is ready, the controller manager, the scheduler and any `--simulated-nodes` run in the
/// same process, talking to the API server in process as their own users.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the Swiftlet server (API server on the embedded store).")

    @Option(
        help: ArgumentHelp(
            "Directory for all server state (the database lives in <data-dir>/db/state.db).",
            valueName: "path"))
    var dataDir: String = ServerCommand.defaultDataDirectory

    @Option(help: ArgumentHelp("Port of the Kubernetes API (0 picks a free one).", valueName: "port"))
    var port: Int = 6443

    @Option(help: ArgumentHelp("Address the Kubernetes API listens on.", valueName: "address"))
    var bindAddress: String = "127.0.0.1"

    @Option(
        name: .customLong("tls-san"),
        help: ArgumentHelp(
            "Extra name or IP address for the serving certificate (repeatable).", valueName: "name"))
    var tlsSANs: [String] = []

    @Option(help: ArgumentHelp(
        "Whether requests without credentials are served as system:anonymous (RBAC decides what they may do).",
        valueName: "bool"))
    var anonymousAuth: Bool = true

    @Option(help: ArgumentHelp(
        "CSV file of static bearer tokens: token,user,uid[,\"group1,group2\"] per line.", valueName: "path"))
    var tokenAuthFile: String?

    @Option(help: ArgumentHelp(
        "Hollow nodes to register: they heartbeat and run bound pods without containers (like kwok).",
        valueName: "count"))
    var simulatedNodes: Int = 0

    @Option(help: ArgumentHelp("CPU capacity of each simulated node.", valueName: "quantity"))
    var simulatedNodeCpu: String = "32"

    @Option(help: ArgumentHelp("Memory capacity of each simulated node.", valueName: "quantity"))
    var simulatedNodeMemory: String = "256Gi"

    @Option(help: ArgumentHelp("Pod capacity of each simulated node.", valueName: "count"))
    var simulatedNodePods: Int = 110

    @Option(help: ArgumentHelp(
        "Seconds a node's Lease may go unrenewed before the node is marked Unknown and tainted unreachable.",
        valueName: "seconds"))
    var nodeMonitorGracePeriod: Int = 40

    @Flag(help: "Run only the API server: no controllers, scheduler, node agent or simulated nodes.")
    var disableControlLoops = false

    @Flag(help: "Run no node agent (kubelet): this machine runs no pods.")
    var disableAgent = false

    @Option(help: ArgumentHelp("Name of this machine's node (default: the host name).", valueName: "name"))
    var nodeName: String?

    @Option(help: ArgumentHelp("Address the node reports as its InternalIP (default: the first non-loopback IPv4).",
                               valueName: "address"))
    var nodeIP: String?

    @Option(help: ArgumentHelp("This node's pod CIDR: pod IPs come from it, on the node bridge.", valueName: "cidr"))
    var podCIDR: String = "10.244.0.0/24"

    @Option(name: .customLong("insecure-registry"), help: ArgumentHelp(
        "A registry (host:port) the node may pull from over plain HTTP (repeatable; 127.0.0.0/8 always may).",
        valueName: "host"))
    var insecureRegistries: [String] = []

    @Option(help: ArgumentHelp(
        "Name of the node bridge for pod networking; pod network namespaces are named <bridge>-<pod uid>.",
        valueName: "name"))
    var nodeBridge: String = "swiftlet0"

    @Option(help: ArgumentHelp("Directory of static pod manifests, rescanned periodically.", valueName: "path"))
    var podManifestPath: String?

    @Option(help: ArgumentHelp("URL of a static pod manifest, polled periodically.", valueName: "url"))
    var manifestURL: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard simulatedNodes >= 0 else { throw ValidationError("--simulated-nodes must not be negative") }
        guard simulatedNodePods > 0 else { throw ValidationError("--simulated-node-pods must be positive") }
        guard !nodeBridge.isEmpty, nodeBridge.count <= 15 else {
            throw ValidationError("--node-bridge must be 1 to 15 characters (a Linux interface name)")
        }
        guard nodeMonitorGracePeriod > 0 else { throw ValidationError("--node-monitor-grace-period must be positive") }
        for (flag, value) in [("--simulated-node-cpu", simulatedNodeCpu), ("--simulated-node-memory", simulatedNodeMemory)] {
            guard let quantity = Quantity(value), quantity.milliValue > 0 else {
                throw ValidationError("\(flag) \(value) is not a positive quantity (for example 32, 500m, 256Gi)")
            }
        }
    }

    /// The components beside the API server, from the flags.
    var clusterConfiguration: ClusterConfiguration {
        var configuration = ClusterConfiguration()
        configuration.controllers = !disableControlLoops
        configuration.scheduler = !disableControlLoops
        configuration.nodeMonitorGracePeriod = .seconds(nodeMonitorGracePeriod)
        if !disableControlLoops, !disableAgent {
            configuration.nodeAgent = NodeAgentPreflight.settings(
                dataDirectory: DataDirectory(dataDir).path + "/agent", imageDirectory: DataDirectory(dataDir).path + "/images",
                nodeName: nodeName, nodeIP: nodeIP,
                podCIDR: podCIDR, bridgeName: nodeBridge, insecureRegistries: insecureRegistries,
                podManifestPath: podManifestPath, manifestURL: manifestURL)
        }
        if simulatedNodes > 0, !disableControlLoops {
            configuration.simulatedNodes = SimulatedNodeSettings(
                count: simulatedNodes, cpu: Quantity(simulatedNodeCpu)!, memory: Quantity(simulatedNodeMemory)!,
                pods: simulatedNodePods)
        }
        return configuration
    }

    /// `/var/lib/swiftlet` for root, `~/.swiftlet` for everyone else.
    static var defaultDataDirectory: String {
        getuid() == 0 ? "/var/lib/swiftlet" : NSHomeDirectory() + "/.swiftlet"
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "swiftlet.server")
        // Handle the stop signals before anything else, so a signal during startup still closes the store.
        let shutdown = ShutdownSignals(SIGINT, SIGTERM)

        let layout = DataDirectory(dataDir)
        let dataDirectory = layout.path
        let databaseDirectory = layout.databaseDirectory
        let databasePath = layout.databasePath
        logger.info(
            "Starting Swiftlet server",
            metadata: [
                LogKey.version: "\(SwiftletVersion.current)", LogKey.dataDirectory: "\(dataDirectory)",
                LogKey.pid: "\(getpid())",
            ])
        try Self.createDirectory(databaseDirectory)
        // Read the token file before opening anything, so a bad file stops startup with nothing to undo.
        let staticTokens = try tokenAuthFile.map { path in
            let file = try TokenFile.load(path: (path as NSString).expandingTildeInPath)
            for warning in file.warnings { logger.warning("Token file", metadata: [LogKey.problem: "\(warning)"]) }
            logger.info("Static tokens loaded", metadata: [LogKey.path: "\(path)", LogKey.users: "\(file.users.count)"])
            return StaticTokenAuthenticator(file: file)
        }

        let store = try SQLiteStore(path: databasePath, logger: Logger(label: "swiftlet.store"))
        let revision: Revision
        let keyRing: EncryptionKeyRing
        do {
            revision = try await store.currentRevision()
            // After the store: its lock keeps a second server from creating a key file at the same time.
            let (ring, created) = try EncryptionKeyFile(path: layout.encryptionKeyFile).loadOrCreate()
            keyRing = ring
            logger.info(
                "Secrets encrypted at rest",
                metadata: [LogKey.path: "\(layout.encryptionKeyFile)", LogKey.writeKey: "\(ring.writeKey.name)",
                           LogKey.keys: "\(ring.keyNames.count)", LogKey.created: "\(created)"])
        } catch {
            await store.close()
            throw error
        }
        logger.info("Store opened", metadata: [LogKey.path: "\(databasePath)", LogKey.revision: "\(revision)"])
        let certificates: ClusterCertificates
        let tokenSigner: ServiceAccountTokenSigner
        do {
            var extraNames = tlsSANs
            if bindAddress != "0.0.0.0", bindAddress != "::" { extraNames.append(bindAddress) }
            certificates = try ClusterCertificates.loadOrCreate(
                directory: dataDirectory + "/pki", servingNames: try ServingNames.forThisHost(extra: extraNames))
            tokenSigner = try ServiceAccountTokenSigner.loadOrCreate(directory: dataDirectory + "/pki")
        } catch {
            await store.close()
            throw error
        }
        logger.info("Certificates ready", metadata: [LogKey.path: "\(certificates.directory)"])
        let tls = ServingTLS(
            certificateChainPEM: certificates.serving.certificatePEM, privateKeyPEM: certificates.serving.privateKeyPEM,
            clientCAPEM: try certificates.authority.certificatePEM)
        // Everything above the store sees Secrets decrypted.
        let apiStore = SecretEncryption.store(store, keyRing: keyRing)
        // kube-apiserver's order: x509 client certificates, static tokens, service-account tokens.
        var authenticators: [any RequestAuthenticator] = [ClientCertificateAuthenticator()]
        if let staticTokens { authenticators.append(staticTokens) }
        authenticators.append(ServiceAccountTokenAuthenticator(signer: tokenSigner, store: apiStore))
        let security = RequestSecurity.rbac(
            authentication: AuthenticationChain(authenticators, allowsAnonymous: anonymousAuth),
            store: apiStore, logger: Logger(label: "swiftlet.rbac"))
        let server = APIServerService(
            store: apiStore,
            configuration: APIServerConfiguration(bindAddress: bindAddress, port: port, tls: tls),
            security: security, certificateSigner: CertificateRequestSigner(authority: certificates.authority),
            serviceAccounts: ServiceAccountSettings(signer: tokenSigner, rootCAPEM: try certificates.authority.certificatePEM),
            logger: Logger(label: "swiftlet.apiserver"))
        let adminKubeconfig = { @Sendable (port: Int) throws -> AdminKubeconfig in
            AdminKubeconfig(
                server: "https://\(Self.urlHost(advertisedAddress: bindAddress)):\(port)",
                certificateAuthorityPEM: try certificates.authority.certificatePEM,
                clientCertificatePEM: certificates.admin.certificatePEM, clientKeyPEM: certificates.admin.privateKeyPEM)
        }
        let kubeconfigPath = layout.kubeconfigPath
        let components = ClusterComponents(
            handler: server.handler, configuration: clusterConfiguration, logger: Logger(label: "swiftlet.cluster"))
        let apiReady = StartupGate()
        var signal: Int32 = SIGTERM
        do {
            try await withThrowingTaskGroup(of: Int32?.self) { group in
                group.addTask {
                    try await server.run { boundPort in
                        do {
                            try adminKubeconfig(boundPort).write(to: kubeconfigPath)
                            logger.info("Server ready", metadata: [LogKey.kubeconfig: "\(kubeconfigPath)",
                                                                   LogKey.port: "\(boundPort)"])
                        } catch {
                            logger.error("Writing the kubeconfig failed", metadata: [LogKey.path: "\(kubeconfigPath)",
                                                                                  "error": "\(error)"])
                        }
                        apiReady.open()
                    }
                    return nil
                }
                group.addTask {
                    try await components.run(after: apiReady)
                    return nil
                }
                group.addTask { await shutdown.next() }
                if let first = try await group.next() {
                    signal = first ?? SIGTERM
                }
                group.cancelAll()
            }
        } catch {
            await store.close()
            throw error
        }
        logger.info("Shutting down", metadata: [LogKey.signal: "\(Self.signalName(signal))"])
        await store.close()
        logger.info("Store closed", metadata: [LogKey.path: "\(databasePath)"])
    }

    /// Creates `path` and its missing parents with mode 0700 (the data directory will hold secrets); an
    /// existing directory is left as it is.
    static func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw ServerError.cannotCreateDirectory(path: prefix, detail: String(cString: strerror(errno)))
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ServerError.cannotCreateDirectory(path: path, detail: "a file of that name exists")
        }
    }

    /// The host part of the kubeconfig's server URL: loopback for wildcard binds, brackets around IPv6.
    static func urlHost(advertisedAddress address: String) -> String {
        if address == "0.0.0.0" || address.isEmpty { return "127.0.0.1" }
        if address == "::" { return "[::1]" }
        return address.contains(":") ? "[\(address)]" : address
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}

/// Failures of `swiftlet server` outside the store (whose errors are `StorageError`).
enum ServerError: Error, CustomStringConvertible {
    case cannotCreateDirectory(path: String, detail: String)
    case cannotWriteFile(path: String, detail: String)

    var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let detail):
            "cannot create directory \(path) (\(detail)); check permissions or choose another --data-dir"
        case .cannotWriteFile(let path, let detail):
            "cannot write \(path) (\(detail)); check permissions or choose another --data-dir"
        }
    }
}
