import Foundation

/// The subset of the OCI runtime specification (`config.json`, version 1.0.2) that Swiftlet writes for
/// runc. Optional fields are omitted from the JSON when nil.
///
/// A value type; Sendable.
public struct OCIRuntimeSpec: Sendable, Hashable, Codable {
    public var ociVersion: String
    public var process: Process
    public var root: Root
    public var hostname: String?
    public var mounts: [Mount]
    public var linux: Linux
    public var annotations: [String: String]?

    public init(ociVersion: String, process: Process, root: Root, hostname: String? = nil, mounts: [Mount], linux: Linux, annotations: [String: String]? = nil) {
        self.ociVersion = ociVersion
        self.process = process
        self.root = root
        self.hostname = hostname
        self.mounts = mounts
        self.linux = linux
        self.annotations = annotations
    }

    public struct Process: Sendable, Hashable, Codable {
        public var terminal: Bool
        public var user: User
        public var args: [String]
        public var env: [String]
        public var cwd: String
        public var capabilities: Capabilities?
        public var rlimits: [Rlimit]?
        public var noNewPrivileges: Bool

        public init(terminal: Bool, user: User, args: [String], env: [String], cwd: String, capabilities: Capabilities? = nil, rlimits: [Rlimit]? = nil, noNewPrivileges: Bool) {
            self.terminal = terminal
            self.user = user
            self.args = args
            self.env = env
            self.cwd = cwd
            self.capabilities = capabilities
            self.rlimits = rlimits
            self.noNewPrivileges = noNewPrivileges
        }
    }

    public struct User: Sendable, Hashable, Codable {
        public var uid: UInt32
        public var gid: UInt32
        public var additionalGids: [UInt32]?

        public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32]? = nil) {
            self.uid = uid
            self.gid = gid
            self.additionalGids = additionalGids
        }
    }

    public struct Capabilities: Sendable, Hashable, Codable {
        public var bounding: [String]
        public var effective: [String]
        public var permitted: [String]

        public init(bounding: [String], effective: [String], permitted: [String]) {
            self.bounding = bounding
            self.effective = effective
            self.permitted = permitted
        }
    }

    public struct Rlimit: Sendable, Hashable, Codable {
        public var type: String
        public var hard: UInt64
        public var soft: UInt64

        public init(type: String, hard: UInt64, soft: UInt64) {
            self.type = type
            self.hard = hard
            self.soft = soft
        }
    }

    public struct Root: Sendable, Hashable, Codable {
        public var path: String
        public var readonly: Bool

        public init(path: String, readonly: Bool) {
            self.path = path
            self.readonly = readonly
        }
    }

    public struct Mount: Sendable, Hashable, Codable {
        public var destination: String
        public var type: String
        public var source: String
        public var options: [String]?

        public init(destination: String, type: String, source: String, options: [String]? = nil) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
        }
    }

    public struct Linux: Sendable, Hashable, Codable {
        public var cgroupsPath: String?
        public var resources: Resources
        public var namespaces: [Namespace]
        public var maskedPaths: [String]?
        public var readonlyPaths: [String]?

        public init(cgroupsPath: String? = nil, resources: Resources, namespaces: [Namespace], maskedPaths: [String]? = nil, readonlyPaths: [String]? = nil) {
            self.cgroupsPath = cgroupsPath
            self.resources = resources
            self.namespaces = namespaces
            self.maskedPaths = maskedPaths
            self.readonlyPaths = readonlyPaths
        }
    }

    public struct Resources: Sendable, Hashable, Codable {
        public var memory: Memory?
        public var cpu: CPU?
        public var devices: [DeviceRule]
        public var pids: Pids?

        public init(memory: Memory? = nil, cpu: CPU? = nil, devices: [DeviceRule], pids: Pids? = nil) {
            self.memory = memory
            self.cpu = cpu
            self.devices = devices
            self.pids = pids
        }
    }

    public struct Memory: Sendable, Hashable, Codable {
        public var limit: Int64?
        public var swap: Int64?

        public init(limit: Int64? = nil, swap: Int64? = nil) {
            self.limit = limit
            self.swap = swap
        }
    }

    public struct CPU: Sendable, Hashable, Codable {
        public var shares: UInt64?
        public var quota: Int64?
        public var period: UInt64?

        public init(shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil) {
            self.shares = shares
            self.quota = quota
            self.period = period
        }
    }

    public struct DeviceRule: Sendable, Hashable, Codable {
        public var allow: Bool
        public var access: String

        public init(allow: Bool, access: String) {
            self.allow = allow
            self.access = access
        }
    }

    public struct Pids: Sendable, Hashable, Codable {
        public var limit: Int64

        public init(limit: Int64) {
            self.limit = limit
        }
    }

    public struct Namespace: Sendable, Hashable, Codable {
        public var type: String
        public var path: String?

        public init(type: String, path: String? = nil) {
            self.type = type
            self.path = path
        }
    }

    /// Stable, sorted-key JSON.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
