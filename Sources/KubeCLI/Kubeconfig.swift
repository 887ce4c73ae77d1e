/// The parts of a kubeconfig file (`apiVersion: v1`, `kind: Config`) a client needs: clusters, users and
/// contexts by name, and the current context. Unknown fields are ignored, as client-go does.
///
/// Value type; Sendable.
public struct Kubeconfig: Decodable, Sendable, Equatable {
    public var currentContext: String
    public var clusters: [NamedCluster]
    public var users: [NamedUser]
    public var contexts: [NamedContext]

    public init(currentContext: String = "", clusters: [NamedCluster] = [], users: [NamedUser] = [],
                contexts: [NamedContext] = []) {
        self.currentContext = currentContext
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
    }

    /// A cluster entry: where the API server is and how to verify it.
    public struct Cluster: Decodable, Sendable, Equatable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool
        public var tlsServerName: String?

        public init(server: String = "", certificateAuthority: String? = nil, certificateAuthorityData: String? = nil,
                    insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil) {
            self.server = server
            self.certificateAuthority = certificateAuthority
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
        }

        private enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            server = try container.decodeIfPresent(String.self, forKey: .server) ?? ""
            certificateAuthority = try container.decodeIfPresent(String.self, forKey: .certificateAuthority)
            certificateAuthorityData = try container.decodeIfPresent(String.self, forKey: .certificateAuthorityData)
            insecureSkipTLSVerify = try container.decodeIfPresent(Bool.self, forKey: .insecureSkipTLSVerify) ?? false
            tlsServerName = try container.decodeIfPresent(String.self, forKey: .tlsServerName)
        }
    }

    /// A user entry: the credentials (client certificate and key, or a bearer token).
    public struct User: Decodable, Sendable, Equatable {
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var token: String?
        public var tokenFile: String?

        public init(clientCertificate: String? = nil, clientCertificateData: String? = nil, clientKey: String? = nil,
                    clientKeyData: String? = nil, token: String? = nil, tokenFile: String? = nil) {
            self.clientCertificate = clientCertificate
            self.clientCertificateData = clientCertificateData
            self.clientKey = clientKey
            self.clientKeyData = clientKeyData
            self.token = token
            self.tokenFile = tokenFile
        }

        private enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token
            case tokenFile
        }
    }

    /// A context entry: a cluster, a user and a default namespace.
    public struct Context: Decodable, Sendable, Equatable {
        public var cluster: String
        public var user: String
        public var namespace: String?

        public init(cluster: String = "", user: String = "", namespace: String? = nil) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }

        private enum CodingKeys: String, CodingKey { case cluster, user, namespace }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            cluster = try container.decodeIfPresent(String.self, forKey: .cluster) ?? ""
            user = try container.decodeIfPresent(String.self, forKey: .user) ?? ""
            namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
        }
    }

    public struct NamedCluster: Decodable, Sendable, Equatable {
        public var name: String
        public var cluster: Cluster
        public init(name: String, cluster: Cluster) {
            self.name = name
            self.cluster = cluster
        }
    }

    public struct NamedUser: Decodable, Sendable, Equatable {
        public var name: String
        public var user: User
        public init(name: String, user: User) {
            self.name = name
            self.user = user
        }

        private enum CodingKeys: String, CodingKey { case name, user }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            user = try container.decodeIfPresent(User.self, forKey: .user) ?? User()
        }
    }

    public struct NamedContext: Decodable, Sendable, Equatable {
        public var name: String
        public var context: Context
        public init(name: String, context: Context) {
            self.name = name
            self.context = context
        }
    }

    private enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case clusters, users, contexts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        currentContext = try container.decodeIfPresent(String.self, forKey: .currentContext) ?? ""
        clusters = try container.decodeIfPresent([NamedCluster].self, forKey: .clusters) ?? []
        users = try container.decodeIfPresent([NamedUser].self, forKey: .users) ?? []
        contexts = try container.decodeIfPresent([NamedContext].self, forKey: .contexts) ?? []
    }
}
