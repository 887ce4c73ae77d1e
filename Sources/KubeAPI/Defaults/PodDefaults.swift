import KubeCore

// Upstream defaulting for the core/v1 pod family (k8s.io/kubernetes/pkg/apis/core/v1/defaults.go plus the
// declarative `+default` markers of k8s.io/api/core/v1/types.go), in the order the generated upstream
// `SetObjectDefaults_<Kind>` functions apply them.

// MARK: Resources

extension Pod {
    /// Upstream `SetObjectDefaults_Pod`: requests copied from limits, `enableServiceLinks: true`, host ports
    /// under host networking, then everything ``PodSpec/applyDefaults()`` sets.
    public mutating func applyDefaults() {
        // SetDefaults_Pod (pod only, not templates: see upstream issue 69445).
        for index in spec.containers.indices {
            spec.containers[index].resources.defaultRequestsFromLimits()
        }
        for index in spec.initContainers.indices {
            spec.initContainers[index].resources.defaultRequestsFromLimits()
        }
        if spec.enableServiceLinks == nil {
            spec.enableServiceLinks = PodDefaults.enableServiceLinks
        }
        if spec.hostNetwork {
            PodDefaults.defaultHostNetworkPorts(&spec.containers)
            PodDefaults.defaultHostNetworkPorts(&spec.initContainers)
        }
        spec.applyDefaults()
    }
}

extension PodTemplate {
    /// Upstream `SetObjectDefaults_PodTemplate`: the template's pod spec defaults.
    public mutating func applyDefaults() {
        template.applyDefaults()
    }
}

extension ReplicationController {
    /// Upstream `SetObjectDefaults_ReplicationController`: `replicas: 1`; selector and object labels copied
    /// from the template's labels when empty; the template's pod spec defaults.
    public mutating func applyDefaults() {
        if let labels = spec.template?.metadata.labels, !labels.isEmpty {
            if spec.selector.isEmpty {
                spec.selector = labels
            }
            if metadata.labels.isEmpty {
                metadata.labels = labels
            }
        }
        if spec.replicas == nil {
            spec.replicas = 1
        }
        spec.template?.applyDefaults()
    }
}

// MARK: Embedded types (also used by workload kinds)

extension PodTemplateSpec {
    /// The defaults every embedded pod template gets (Deployment, Job, ... call this for their template).
    public mutating func applyDefaults() {
        spec.applyDefaults()
    }
}

extension PodSpec {
    /// Upstream `SetDefaults_PodSpec` and the defaults of everything a pod spec contains: `restartPolicy:
    /// Always`, `dnsPolicy: ClusterFirst`, `schedulerName: default-scheduler`,
    /// `terminationGracePeriodSeconds: 30`, `securityContext: {}`, volume, container and probe defaults.
    public mutating func applyDefaults() {
        if dnsPolicy.isEmpty {
            dnsPolicy = "ClusterFirst"
        }
        if restartPolicy.isEmpty {
            restartPolicy = "Always"
        }
        if securityContext == nil {
            securityContext = PodSecurityContext()
        }
        if terminationGracePeriodSeconds == nil {
            terminationGracePeriodSeconds = PodDefaults.terminationGracePeriodSeconds
        }
        if schedulerName.isEmpty {
            schedulerName = PodDefaults.schedulerName
        }
        for index in volumes.indices {
            volumes[index].applyDefaults()
        }
        for index in initContainers.indices {
            initContainers[index].applyDefaults()
        }
        for index in containers.indices {
            containers[index].applyDefaults()
        }
        for index in ephemeralContainers.indices {
            ephemeralContainers[index].applyDefaults()
        }
        PodDefaults.roundUpToMilli(&overhead)
        if resources != nil {
            PodDefaults.roundUpToMilli(&resources!.limits)
            PodDefaults.roundUpToMilli(&resources!.requests)
        }
    }
}

extension Volume {
    /// Upstream `SetDefaults_Volume` and the per-source defaults: an `emptyDir` when no source is set,
    /// `defaultMode: 420` (0644) for secret, configMap, downwardAPI and projected volumes, `hostPath.type: ""`,
    /// one-hour service account tokens and `apiVersion: v1` on downward API field references.
    public mutating func applyDefaults() {
        if !hasSource {
            emptyDir = EmptyDirVolumeSource()
        }
        if hostPath != nil, hostPath!.type == nil {
            hostPath!.type = ""
        }
        if secret != nil, secret!.defaultMode == nil {
            secret!.defaultMode = PodDefaults.fileMode
        }
        if configMap != nil, configMap!.defaultMode == nil {
            configMap!.defaultMode = PodDefaults.fileMode
        }
        if downwardAPI != nil {
            if downwardAPI!.defaultMode == nil {
                downwardAPI!.defaultMode = PodDefaults.fileMode
            }
            PodDefaults.defaultFieldRefs(&downwardAPI!.items)
        }
        if projected != nil {
            if projected!.defaultMode == nil {
                projected!.defaultMode = PodDefaults.fileMode
            }
            for index in projected!.sources.indices {
                if projected!.sources[index].downwardAPI != nil {
                    PodDefaults.defaultFieldRefs(&projected!.sources[index].downwardAPI!.items)
                }
                if projected!.sources[index].serviceAccountToken != nil,
                    projected!.sources[index].serviceAccountToken!.expirationSeconds == nil
                {
                    projected!.sources[index].serviceAccountToken!.expirationSeconds = PodDefaults.tokenExpirationSeconds
                }
            }
        }
        if image != nil, image!.pullPolicy.isEmpty {
            image!.pullPolicy = PodDefaults.imagePullPolicy(for: image!.reference)
        }
    }

    /// Whether any volume source is set (upstream `ptr.AllPtrFieldsNil(&VolumeSource)` negated).
    var hasSource: Bool { !sourceNames.isEmpty }

    /// JSON names of the sources that are set, in declaration order.
    var sourceNames: [String] {
        var names: [String] = []
        if hostPath != nil { names.append("hostPath") }
        if emptyDir != nil { names.append("emptyDir") }
        if secret != nil { names.append("secret") }
        if nfs != nil { names.append("nfs") }
        if persistentVolumeClaim != nil { names.append("persistentVolumeClaim") }
        if downwardAPI != nil { names.append("downwardAPI") }
        if configMap != nil { names.append("configMap") }
        if projected != nil { names.append("projected") }
        if csi != nil { names.append("csi") }
        if image != nil { names.append("image") }
        return names
    }
}

extension Container {
    /// Upstream `SetDefaults_Container` and the defaults of its parts: `imagePullPolicy` (Always for
    /// `:latest` or no tag, else IfNotPresent), `terminationMessagePath: /dev/termination-log`,
    /// `terminationMessagePolicy: File`, port `protocol: TCP`, probe and handler defaults.
    public mutating func applyDefaults() {
        PodDefaults.applyContainerDefaults(
            image: image, imagePullPolicy: &imagePullPolicy, terminationMessagePath: &terminationMessagePath,
            terminationMessagePolicy: &terminationMessagePolicy, ports: &ports, env: &env, resources: &resources,
            lifecycle: &lifecycle)
        livenessProbe?.applyDefaults()
        readinessProbe?.applyDefaults()
        startupProbe?.applyDefaults()
    }
}

extension EphemeralContainer {
    /// Upstream `SetDefaults_EphemeralContainer`: the same defaults as a regular container.
    public mutating func applyDefaults() {
        PodDefaults.applyContainerDefaults(
            image: image, imagePullPolicy: &imagePullPolicy, terminationMessagePath: &terminationMessagePath,
            terminationMessagePolicy: &terminationMessagePolicy, ports: &ports, env: &env, resources: &resources,
            lifecycle: &lifecycle)
        livenessProbe?.applyDefaults()
        readinessProbe?.applyDefaults()
        startupProbe?.applyDefaults()
    }
}

extension Probe {
    /// Upstream `SetDefaults_Probe`: `timeoutSeconds: 1`, `periodSeconds: 10`, `successThreshold: 1`,
    /// `failureThreshold: 3`; HTTP GET and gRPC handler defaults.
    public mutating func applyDefaults() {
        if timeoutSeconds == 0 { timeoutSeconds = 1 }
        if periodSeconds == 0 { periodSeconds = 10 }
        if successThreshold == 0 { successThreshold = 1 }
        if failureThreshold == 0 { failureThreshold = 3 }
        httpGet?.applyDefaults()
        if grpc != nil, grpc!.service == nil {
            grpc!.service = ""
        }
    }
}

extension HTTPGetAction {
    /// Upstream `SetDefaults_HTTPGetAction`: `path: /`, `scheme: HTTP`.
    public mutating func applyDefaults() {
        if path.isEmpty { path = "/" }
        if scheme.isEmpty { scheme = "HTTP" }
    }
}

extension ResourceRequirements {
    /// Upstream `SetDefaults_Pod` for one container: each limit without a request becomes the request too.
    mutating func defaultRequestsFromLimits() {
        for (name, limit) in limits where requests[name] == nil {
            requests[name] = limit
        }
    }
}

// MARK: Constants and shared helpers

/// Upstream default values (`k8s.io/api/core/v1` constants) and helpers shared by the container kinds.
/// Stateless namespace.
enum PodDefaults {
    static let terminationGracePeriodSeconds: Int64 = 30
    static let schedulerName = "default-scheduler"
    static let enableServiceLinks = true
    static let terminationMessagePath = "/dev/termination-log"
    /// 0644, the default mode of files in secret, configMap, downwardAPI and projected volumes.
    static let fileMode: Int32 = 0o644
    /// One hour (upstream `SetDefaults_ServiceAccountTokenProjection`).
    static let tokenExpirationSeconds: Int64 = 3600

    /// The container-level defaults shared by ``Container`` and ``EphemeralContainer``.
    static func applyContainerDefaults(
        image: String, imagePullPolicy: inout String, terminationMessagePath: inout String,
        terminationMessagePolicy: inout String, ports: inout [ContainerPort], env: inout [EnvVar],
        resources: inout ResourceRequirements, lifecycle: inout Lifecycle?
    ) {
        if imagePullPolicy.isEmpty {
            imagePullPolicy = self.imagePullPolicy(for: image)
        }
        if terminationMessagePath.isEmpty {
            terminationMessagePath = Self.terminationMessagePath
        }
        if terminationMessagePolicy.isEmpty {
            terminationMessagePolicy = "File"
        }
        for index in ports.indices where ports[index].protocol.isEmpty {
            ports[index].protocol = "TCP"
        }
        for index in env.indices {
            if env[index].valueFrom?.fieldRef != nil, env[index].valueFrom!.fieldRef!.apiVersion.isEmpty {
                env[index].valueFrom!.fieldRef!.apiVersion = "v1"
            }
        }
        roundUpToMilli(&resources.limits)
        roundUpToMilli(&resources.requests)
        lifecycle?.postStart?.httpGet?.applyDefaults()
        lifecycle?.preStop?.httpGet?.applyDefaults()
    }

    /// `Always` when the image has the tag `latest` or neither tag nor digest, `IfNotPresent` otherwise
    /// (including names upstream cannot parse).
    static func imagePullPolicy(for image: String) -> String {
        ImageReference.tag(of: image) == "latest" ? "Always" : "IfNotPresent"
    }

    /// Upstream `defaultHostNetworkPorts`: with host networking a port's hostPort defaults to its containerPort.
    static func defaultHostNetworkPorts(_ containers: inout [Container]) {
        for containerIndex in containers.indices {
            for portIndex in containers[containerIndex].ports.indices
            where containers[containerIndex].ports[portIndex].hostPort == 0 {
                containers[containerIndex].ports[portIndex].hostPort =
                    containers[containerIndex].ports[portIndex].containerPort
            }
        }
    }

    /// `apiVersion: v1` on each downward API file's field reference (upstream `SetDefaults_ObjectFieldSelector`).
    static func defaultFieldRefs(_ items: inout [DownwardAPIVolumeFile]) {
        for index in items.indices {
            if items[index].fieldRef != nil, items[index].fieldRef!.apiVersion.isEmpty {
                items[index].fieldRef!.apiVersion = "v1"
            }
        }
    }

    /// Upstream `SetDefaults_ResourceList`: amounts finer than a thousandth are rounded up to milli units.
    static func roundUpToMilli(_ list: inout [String: Quantity]) {
        for (name, quantity) in list where quantity.exponent < -3 {
            list[name] = Quantity(milliValue: quantity.milliValue, format: quantity.format)
        }
    }
}

/// The parts of an image reference that defaulting needs (upstream `parsers.ParseImageName`, built on the
/// distribution reference grammar). ASCII references (all real ones) are read as bytes; others take the
/// `Character` path, which gives the same answers. Stateless namespace.
enum ImageReference {
    /// The tag of `image`: its explicit tag, `latest` when it has neither tag nor digest, `""` when it has
    /// only a digest or is not a valid reference.
    static func tag(of image: String) -> String {
        guard isValid(image) else { return "" }
        var name = Substring(image)
        var hasDigest = false
        if let at = name.firstIndex(of: "@") {
            name = name[..<at]
            hasDigest = true
        }
        let lastSlash = name.lastIndex(of: "/")
        let nameStart = lastSlash.map { name.index(after: $0) } ?? name.startIndex
        if let colon = name[nameStart...].lastIndex(of: ":") {
            return String(name[name.index(after: colon)...])
        }
        return hasDigest ? "" : "latest"
    }

    /// A loose form of the reference grammar: `[domain/]path[:tag][@digest]` with a lowercase path.
    static func isValid(_ image: String) -> Bool {
        image.utf8.allSatisfy { $0 < 0x80 } ? isValid(units: image.utf8) : isValid(units: image)
    }

    /// ``isValid(_:)`` over the units of a reference: the bytes of an ASCII one, the `Character`s of any.
    static func isValid<Text: BidirectionalCollection>(units text: Text) -> Bool where Text.Element: ImageReferenceUnit {
        typealias Unit = Text.Element
        guard !text.isEmpty, !text.contains(where: \.isReferenceSpace) else { return false }
        var name = text[...]
        if let at = text.firstIndex(of: .at) {
            let digest = text[text.index(after: at)...]
            guard let colon = digest.firstIndex(of: .colon), colon != digest.startIndex,
                digest.index(after: colon) != digest.endIndex
            else { return false }
            name = text[..<at]
        }
        var components = name.split(separator: .slash, omittingEmptySubsequences: false)
        guard let last = components.last, !last.isEmpty else { return false }
        // Tag on the last component.
        if let colon = last.lastIndex(of: .colon) {
            let tag = last[last.index(after: colon)...]
            guard !tag.isEmpty, tag.count <= 128,
                tag.allSatisfy({ $0.isLetterOrDigitASCII || $0 == .underscore || $0 == .dot || $0 == .dash }),
                tag.first != .dot, tag.first != .dash
            else { return false }
            components[components.count - 1] = last[..<colon]
        }
        // A first component with '.' or ':' or equal to 'localhost' is a registry host.
        if components.count > 1, let first = components.first,
            first.contains(.dot) || first.contains(.colon) || first.elementsEqual(Unit.localhost)
                || first.contains(where: \.isReferenceUppercase)
        {
            components.removeFirst()
        }
        return components.allSatisfy { component in
            guard let first = component.first, let last = component.last else { return false }
            return component.allSatisfy { $0.isLowercaseOrDigitASCII || $0 == .dot || $0 == .underscore || $0 == .dash }
                && first.isLetterOrDigitASCII && last.isLetterOrDigitASCII
        }
    }
}

/// What the image reference grammar asks of one unit of text: a byte of an ASCII reference, or a
/// `Character` (whose whitespace and case are Unicode's).
protocol ImageReferenceUnit: Equatable {
    static var at: Self { get }
    static var colon: Self { get }
    static var slash: Self { get }
    static var dot: Self { get }
    static var underscore: Self { get }
    static var dash: Self { get }
    static var localhost: [Self] { get }
    var isReferenceSpace: Bool { get }
    var isReferenceUppercase: Bool { get }
    var isLetterOrDigitASCII: Bool { get }
    var isLowercaseOrDigitASCII: Bool { get }
}

extension UInt8: ImageReferenceUnit {
    static var at: UInt8 { UInt8(ascii: "@") }
    static var colon: UInt8 { UInt8(ascii: ":") }
    static var slash: UInt8 { UInt8(ascii: "/") }
    static var dot: UInt8 { UInt8(ascii: ".") }
    static var underscore: UInt8 { UInt8(ascii: "_") }
    static var dash: UInt8 { UInt8(ascii: "-") }
    static var localhost: [UInt8] { Array("localhost".utf8) }
    /// `Character.isWhitespace` for ASCII: space, tab, line feed, vertical tab, form feed, carriage return.
    var isReferenceSpace: Bool { self == UInt8(ascii: " ") || (self >= 0x09 && self <= 0x0D) }
    var isReferenceUppercase: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
    var isLetterOrDigitASCII: Bool { isLowercaseOrDigitASCII || isReferenceUppercase }
    var isLowercaseOrDigitASCII: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9"))
    }
}

extension Character: ImageReferenceUnit {
    static var at: Character { "@" }
    static var colon: Character { ":" }
    static var slash: Character { "/" }
    static var dot: Character { "." }
    static var underscore: Character { "_" }
    static var dash: Character { "-" }
    static var localhost: [Character] { Array("localhost") }
    var isReferenceSpace: Bool { isWhitespace }
    var isReferenceUppercase: Bool { isUppercase }
    var isLetterOrDigitASCII: Bool { isASCII && (isLetter || isNumber) }
    var isLowercaseOrDigitASCII: Bool { isASCII && (isLowercase || isNumber) }
}
