public import ContainerRuntime
public import Foundation
import HostSystem
public import KubeAPI
public import KubeCore
public import Logging
public import NodeNetworking
import Synchronization

/// The kubelet's `PodRuntime` over the node's real parts: the image store and puller, overlayfs rootfs
/// mounts, runc containers under their shims, a network namespace per pod on the node bridge, and the
/// pod's volumes and files.
///
/// Layout under `rootDirectory`: `pods/<uid>/` (hosts, resolv.conf, hostname, volumes, termination
/// messages), `bundles/<container id>/` (rootfs mount, overlay upper and work dirs, config.json, metadata),
/// `containers/` (the runtime's state), `logs/<namespace>_<name>_<uid>/<container>/<attempt>.log`.
///
/// Sendable; safe to call concurrently for different pods.
public final class RuncPodRuntime: PodRuntime {
    public struct Settings: Sendable {
        public var rootDirectory: String
        public var nodeIP: String
        public var insecureRegistries: [String] = []
        public var nodeAllocatable: [String: Quantity] = [:]

        public init(rootDirectory: String, nodeIP: String) {
            self.rootDirectory = rootDirectory
            self.nodeIP = nodeIP
        }
    }

    private struct Sandbox: Sendable {
        var volumes: PodVolumes
        var files: (hosts: String, resolv: String, hostname: String)
        var networkNamespacePath: String?
        var podIP: String
    }

    public let settings: Settings
    public let runc: RuncRuntime
    public let images: ImageStore
    private let provisioner: ImageProvisioner
    private let network: PodNetwork
    private let volumes: PodVolumeManager
    private let environment: ContainerEnvironmentResolver
    private let sandboxes = Mutex<[String: Sandbox]>([:])
    private let logger: Logger

    public init(settings: Settings, runc: RuncRuntime, images: ImageStore, puller: ImagePuller, network: PodNetwork,
                objects: any PodObjectSource, logger: Logger) {
        self.settings = settings
        self.runc = runc
        self.images = images
        self.network = network
        self.logger = logger
        self.provisioner = ImageProvisioner(
            store: images, puller: puller, insecureRegistries: settings.insecureRegistries,
            secrets: { namespace, name in try? await objects.secret(namespace: namespace, name: name) })
        self.volumes = PodVolumeManager(kubeletDirectory: settings.rootDirectory, objects: objects,
                                        nodeAllocatable: settings.nodeAllocatable, logger: logger)
        self.environment = ContainerEnvironmentResolver(objects: objects)
    }

    var podsDirectory: String { settings.rootDirectory + "/pods" }
    var bundlesDirectory: String { settings.rootDirectory + "/bundles" }
    var logsDirectory: String { settings.rootDirectory + "/logs" }

    /// `logs/<namespace>_<name>_<uid>/<container>/<attempt>.log`, as upstream lays out `/var/log/pods`.
    public func logPath(namespace: String, podName: String, podUID: String, container: String, attempt: Int32) -> String {
        "\(logsDirectory)/\(namespace)_\(podName)_\(podUID)/\(container)/\(attempt).log"
    }

    // MARK: Sandboxes

    public func prepareSandbox(for pod: Pod) async throws -> PodSandboxState {
        let uid = pod.metadata.uid
        var podIP = settings.nodeIP
        var namespacePath: String?
        if !pod.spec.hostNetwork {
            let attachment = try await network.attach(sandboxID: uid)
            podIP = attachment.ipAddress.description
            namespacePath = attachment.namespacePath
        }
        let files = try PodFiles.write(pod: pod, podIP: podIP, directory: podsDirectory + "/" + uid)
        let podVolumes = try await volumes.setUp(pod: pod)
        sandboxes.withLock {
            $0[uid] = Sandbox(volumes: podVolumes, files: files, networkNamespacePath: namespacePath, podIP: podIP)
        }
        return PodSandboxState(ready: true, podIP: podIP, hostIP: settings.nodeIP)
    }

    public func refreshVolumes(for pod: Pod) async {
        do {
            let changed = try await volumes.refresh(pod: pod)
            if !changed.isEmpty {
                logger.info("Pod volumes updated", metadata: ["pod": "\(pod.metadata.namespace)/\(pod.metadata.name)",
                                                             "volumes": "\(changed.joined(separator: ","))"])
            }
        } catch {
            logger.debug("Pod volume refresh failed", metadata: ["error": "\(error)"])
        }
    }

    public func removeSandbox(podUID: String) async {
        for container in await existingContainers() where container.podUID == podUID {
            await removeContainer(containerID: container.containerID)
        }
        do {
            try await network.detach(sandboxID: podUID)
        } catch {
            logger.warning("Pod network teardown failed", metadata: ["pod": "\(podUID)", "error": "\(error)"])
        }
        do {
            try await volumes.tearDown(podUID: podUID)
        } catch {
            logger.warning("Pod volume teardown failed", metadata: ["pod": "\(podUID)", "error": "\(error)"])
        }
        sandboxes.withLock { _ = $0.removeValue(forKey: podUID) }
        try? FileManager.default.removeItem(atPath: podsDirectory + "/" + podUID)
        if let logs = try? FileManager.default.contentsOfDirectory(atPath: logsDirectory) {
            for directory in logs where directory.hasSuffix("_" + podUID) {
                try? FileManager.default.removeItem(atPath: logsDirectory + "/" + directory)
            }
        }
        CgroupDirectories.removePodDirectories(podUID: podUID)
    }

    public func existingSandboxes() async -> [String] {
        var uids = Set((try? FileManager.default.contentsOfDirectory(atPath: podsDirectory)) ?? [])
        if let attached = try? await network.sandboxIDs() { uids.formUnion(attached) }
        return uids.sorted()
    }

    // MARK: Containers

    public func startContainer(_ container: Container, in pod: Pod, sandbox state: PodSandboxState, attempt: Int32,
                               events: @Sendable (ContainerStartEvent) -> Void) async throws(ContainerStartFailure)
        -> ContainerRecord.Instance
    {
        let uid = pod.metadata.uid
        guard let sandbox = sandboxes.withLock({ $0[uid] }) else {
            throw ContainerStartFailure(reason: "CreateContainerError", message: "the pod sandbox is not ready")
        }
        let image = try await provisioner.ensure(container, pod: pod, events: events)
        let id = Self.newContainerID()
        let bundle = bundlesDirectory + "/" + id
        let rootfs = bundle + "/rootfs"
        do {
            let layers = try await images.unpackedLayerPaths(for: image)
            try OverlayRootfs.mount(layers: layers, bundle: bundle, rootfs: rootfs)
        } catch {
            try? FileManager.default.removeItem(atPath: bundle)
            throw ContainerStartFailure(reason: "CreateContainerError",
                                        message: "failed to prepare the root file system: \(error)")
        }
        do {
            let configuration = try await configuration(
                id: id, container: container, pod: pod, image: image, sandbox: sandbox, state: state,
                bundle: bundle, rootfs: rootfs, attempt: attempt)
            let metadata = KubeletContainerMetadata(
                containerID: id, podUID: uid, podNamespace: pod.metadata.namespace, podName: pod.metadata.name,
                containerName: container.name, attempt: attempt, imageID: image.repoDigests.first ?? image.id,
                startedAt: Date(), rootfs: rootfs,
                terminationMessagePath: configuration.mounts.first { $0.destination == Self.terminationPath(container) }?.source,
                terminationMessagePolicy: container.terminationMessagePolicy, logPath: configuration.logPath)
            do {
                try metadata.save(bundle: bundle)
            } catch {
                throw ContainerStartFailure(reason: "CreateContainerError",
                                            message: "failed to record the container's metadata: \(error)")
            }
            events(.created)
            let handle: ContainerHandle
            do {
                handle = try await runc.createAndStart(configuration)
            } catch {
                throw ContainerStartFailure(reason: "RunContainerError", message: "\(error)")
            }
            return ContainerRecord.Instance(containerID: "runc://" + id, imageID: image.repoDigests.first ?? image.id,
                                            startedAt: handle.startedAt.date)
        } catch let failure as ContainerStartFailure {
            try? FileSystemMount.unmount(rootfs, lazily: true)
            try? FileManager.default.removeItem(atPath: bundle)
            throw failure
        } catch {
            try? FileSystemMount.unmount(rootfs, lazily: true)
            try? FileManager.default.removeItem(atPath: bundle)
            throw ContainerStartFailure(reason: "CreateContainerError", message: "\(error)")
        }
    }

    private static func terminationPath(_ container: Container) -> String {
        container.terminationMessagePath.isEmpty ? "/dev/termination-log" : container.terminationMessagePath
    }

    private func configuration(id: String, container: Container, pod: Pod, image: StoredImage, sandbox: Sandbox,
                               state: PodSandboxState, bundle: String, rootfs: String, attempt: Int32)
        async throws(ContainerStartFailure) -> ContainerConfiguration
    {
        let resolved: ResolvedEnvironment
        do {
            resolved = try await environment.resolve(
                container: container, pod: pod,
                context: DownwardAPIContext(podIPs: [state.podIP], hostIPs: [state.hostIP],
                                            nodeAllocatable: settings.nodeAllocatable))
        } catch {
            throw ContainerStartFailure(reason: "CreateContainerConfigError", message: error.description)
        }
        let expanded = ContainerEnvironmentResolver.expand(
            command: container.command, args: container.args, environment: resolved.variables)
        let arguments = ContainerProcessPlan.arguments(command: expanded.command, args: expanded.args,
                                                       image: image.configuration)
        guard !arguments.isEmpty else {
            throw ContainerStartFailure(reason: "CreateContainerError",
                                        message: "failed to generate container spec: no command specified")
        }
        let imageUser: ContainerRuntime.ContainerUser
        do {
            imageUser = try ImageUserResolver.resolve(image.configuration.user ?? "", rootfs: rootfs)
        } catch {
            throw ContainerStartFailure(reason: "CreateContainerError", message: "\(error)")
        }
        let security = container.securityContext
        let user = ContainerProcessPlan.user(imageUser: imageUser, pod: pod.spec.securityContext, container: security)
        if (security?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot) == true, user.uid == 0 {
            throw ContainerStartFailure(
                reason: "CreateContainerConfigError",
                message: "container has runAsNonRoot and image will run as root (pod: \"\(pod.metadata.name)_"
                    + "\(pod.metadata.namespace)(\(pod.metadata.uid))\", container: \(container.name))")
        }
        var mounts: [ContainerMount]
        do {
            mounts = try ContainerMountPlanner.mounts(for: container, volumes: sandbox.volumes,
                                                      environment: resolved.variables)
            mounts.append(try TerminationMessageFile.prepare(for: container,
                                                             podDirectory: podsDirectory + "/" + pod.metadata.uid))
        } catch {
            throw ContainerStartFailure(reason: "CreateContainerConfigError", message: "\(error)")
        }
        let taken = Set(mounts.map(\.destination))
        for (source, destination) in [(sandbox.files.hosts, "/etc/hosts"), (sandbox.files.resolv, "/etc/resolv.conf"),
                                      (sandbox.files.hostname, "/etc/hostname")] where !taken.contains(destination) {
            mounts.append(ContainerMount.bind(source: source, destination: destination, readOnly: false))
        }
        let hostname = PodFiles.hostname(of: pod)
        var namespaces = ContainerNamespaces(networkNamespacePath: sandbox.networkNamespacePath)
        if pod.spec.hostIPC { namespaces.ipc = .host }
        if pod.spec.hostPID { namespaces.pid = .host }
        if pod.spec.hostNetwork { namespaces.uts = .host }
        return ContainerConfiguration(
            id: id, bundleDirectory: bundle, rootfs: rootfs,
            readOnlyRootfs: security?.readOnlyRootFilesystem ?? false, args: arguments,
            env: ContainerProcessPlan.environment(image: image.configuration.env, pod: resolved.ociEnvironment,
                                                  hostname: hostname),
            workingDirectory: container.workingDir.isEmpty ? (image.configuration.workingDir ?? "/").nonEmpty ?? "/"
                : container.workingDir,
            user: user, capabilities: ContainerProcessPlan.capabilities(security),
            noNewPrivileges: security?.allowPrivilegeEscalation == false,
            hostname: pod.spec.hostNetwork ? nil : hostname, mounts: mounts, namespaces: namespaces,
            cgroupsPath: CgroupDirectories.containerPath(podUID: pod.metadata.uid, containerID: id),
            resources: ContainerProcessPlan.resources(container.resources),
            logPath: logPath(namespace: pod.metadata.namespace, podName: pod.metadata.name, podUID: pod.metadata.uid,
                             container: container.name, attempt: attempt),
            annotations: ["io.kubernetes.pod.uid": pod.metadata.uid, "io.kubernetes.container.name": container.name],
            stdio: ContainerStdio(stdin: container.stdin, stdinOnce: container.stdinOnce, tty: container.tty))
    }

    public func waitForExit(containerID: String) async -> ContainerExitRecord {
        let id = Self.runtimeID(containerID)
        let metadata = KubeletContainerMetadata.load(bundle: bundlesDirectory + "/" + id)
        do {
            let exit = try await runc.waitForExit(id: id)
            var message = metadata?.terminationMessagePath.map { TerminationMessageFile.read(hostPath: $0) } ?? ""
            if let metadata, let logPath = metadata.logPath, TerminationMessageFallback.applies(
                policy: metadata.terminationMessagePolicy, exitCode: exit.exitCode, message: message) {
                message = await TerminationMessageFallback.logTail(logPath: logPath)
            }
            return ContainerExitRecord(containerID: containerID, exitCode: exit.exitCode, signal: exit.signal ?? 0,
                                       oomKilled: exit.oomKilled, message: message, startedAt: exit.startedAt.date,
                                       finishedAt: exit.finishedAt.date)
        } catch {
            return ContainerExitRecord(containerID: containerID, exitCode: 255, reason: "Unknown",
                                       message: "the container's exit was not recorded: \(error)",
                                       startedAt: metadata?.startedAt ?? Date(), finishedAt: Date())
        }
    }

    public func stopContainer(containerID: String, gracePeriod: Duration) async {
        await runc.stop(id: Self.runtimeID(containerID), gracePeriod: gracePeriod)
    }

    public func removeContainer(containerID: String) async {
        let id = Self.runtimeID(containerID)
        do {
            try await runc.remove(id: id)
        } catch {
            logger.warning("Container removal failed", metadata: ["container": "\(id)", "error": "\(error)"])
        }
        let bundle = bundlesDirectory + "/" + id
        OverlayRootfs.unmount(bundle: bundle)
        try? FileManager.default.removeItem(atPath: bundle)
    }

    public func existingContainers() async -> [RuntimeContainerSummary] {
        guard let ids = try? FileManager.default.contentsOfDirectory(atPath: bundlesDirectory) else { return [] }
        var result: [RuntimeContainerSummary] = []
        for id in ids {
            guard let metadata = KubeletContainerMetadata.load(bundle: bundlesDirectory + "/" + id) else {
                // A start that never finished: nobody's container, removed as an orphan.
                result.append(RuntimeContainerSummary(
                    containerID: "runc://" + id, podUID: "", podNamespace: "", podName: "", containerName: "",
                    attempt: 0, imageID: "", startedAt: Date(), running: runc.record(id: id) != nil))
                continue
            }
            var running = false
            if let record = runc.record(id: id) {
                switch record.status {
                case .running, .creating: running = true
                case .exited, .unknown: running = false
                }
            }
            result.append(RuntimeContainerSummary(
                containerID: "runc://" + id, podUID: metadata.podUID, podNamespace: metadata.podNamespace,
                podName: metadata.podName, containerName: metadata.containerName, attempt: metadata.attempt,
                imageID: metadata.imageID, startedAt: metadata.startedAt, running: running))
        }
        return result
    }

    // MARK: Exec

    /// Runs `command` in the container and returns its exit code and combined output (probes, hooks).
    public func execCapturing(containerID: String, command: [String], timeout: Duration) async throws
        -> (exitCode: Int32, output: [UInt8])
    {
        let result = try await runc.execCapturing(id: Self.runtimeID(containerID), command: command, timeout: timeout)
        return (result.exitCode, result.output)
    }

    static func runtimeID(_ containerID: String) -> String {
        containerID.hasPrefix("runc://") ? String(containerID.dropFirst("runc://".count)) : containerID
    }

    static func newContainerID() -> String {
        (0..<4).map { _ in
            let value = UInt64.random(in: 0...UInt64.max)
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
