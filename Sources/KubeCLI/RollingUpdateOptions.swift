/// The arguments and flags of `kubectl rolling-update` (upstream `RollingUpdateOptions`), already parsed.
///
/// Value type; Sendable.
public struct RollingUpdateOptions: Sendable, Equatable {
    public var oldName: String
    /// The optional second argument; nil = keep the old name (rename at the end).
    public var newName: String?
    public var filename: String?
    public var image: String?
    public var deploymentKey: String
    public var container: String?
    public var pullPolicy: String?
    public var rollback: Bool
    public var updatePeriod: Duration
    public var pollInterval: Duration
    public var timeout: Duration
    public var dryRun: Bool
    /// `-o`: "" (kubectl's default `<kind>/<name> <operation>` line) or `name`.
    public var output: String
    public var namespace: String
    /// Whether `-n` was given (a file's namespace must then match it).
    public var enforceNamespace: Bool

    public init(oldName: String, newName: String? = nil, filename: String? = nil, image: String? = nil,
                deploymentKey: String = "deployment", container: String? = nil, pullPolicy: String? = nil,
                rollback: Bool = false, updatePeriod: Duration = .seconds(60), pollInterval: Duration = .seconds(3),
                timeout: Duration = .seconds(300), dryRun: Bool = false, output: String = "",
                namespace: String = "default", enforceNamespace: Bool = false) {
        self.oldName = oldName
        self.newName = newName
        self.filename = filename
        self.image = image
        self.deploymentKey = deploymentKey
        self.container = container
        self.pullPolicy = pullPolicy
        self.rollback = rollback
        self.updatePeriod = updatePeriod
        self.pollInterval = pollInterval
        self.timeout = timeout
        self.dryRun = dryRun
        self.output = output
        self.namespace = namespace
        self.enforceNamespace = enforceNamespace
    }

    /// Whether the update keeps the old controller's name (one argument given).
    public var keepOldName: Bool { newName == nil }

    /// Upstream `validateArguments`: the usage errors, in kubectl's words; empty when valid.
    public var usageProblems: [String] {
        var problems: [String] = []
        if deploymentKey.isEmpty { problems.append("--deployment-label-key can not be empty") }
        let hasFile = !(filename ?? "").isEmpty, hasImage = !(image ?? "").isEmpty
        if !rollback {
            if !hasFile && !hasImage {
                problems.append("Must specify --filename or --image for new controller")
            } else if hasFile && hasImage {
                problems.append("--filename and --image can not both be specified")
            }
        } else if hasFile || hasImage {
            problems.append("Don't specify --filename or --image on rollback")
        }
        if oldName.isEmpty { problems.append("Must specify the controller to update") }
        return problems
    }
}
