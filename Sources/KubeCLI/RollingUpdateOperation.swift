import Foundation
public import KubeAPI
public import KubeClient
import KubeCore
import Yams

/// `kubectl rolling-update` end to end (upstream `RollingUpdateOptions.Run` of kubectl 1.17): finds the old
/// controller, prepares the new one (from `-f`, or from the old one with `--image`, adding the deployment
/// label to both), or reverses an interrupted update with `--rollback`, then runs the ``RollingUpdater`` and
/// prints the result line.
///
/// Value type; Sendable. API calls go through `updater.client`, waits through `updater.clock`.
public struct RollingUpdateOperation: Sendable {
    public let options: RollingUpdateOptions
    public let updater: RollingUpdater
    /// Reads `-f` (`-` = standard input).
    public let readFile: @Sendable (String) throws -> [UInt8]

    public init(options: RollingUpdateOptions, updater: RollingUpdater,
                readFile: @escaping @Sendable (String) throws -> [UInt8] = RollingUpdateOperation.readFromDiskOrStandardInput) {
        self.options = options
        self.updater = updater
        self.readFile = readFile
    }

    private var client: APIClient { updater.client }
    private var namespace: String { options.namespace }
    private func print(_ line: String) { updater.output(line) }

    public func run() async throws {
        let problems = options.usageProblems
        guard problems.isEmpty else { throw RollingUpdateError.usage(problems) }
        let filename = options.filename ?? ""
        let image = options.image ?? ""

        guard var oldRc = try await client.getIfPresent(ReplicationController.self, namespace: namespace,
                                                        name: options.oldName) else {
            guard !image.isEmpty, options.keepOldName else {
                throw APIError.notFound(GroupResource(group: "", resource: "replicationcontrollers"), name: options.oldName)
            }
            // Interrupted in the middle of the rename: finish it.
            let source = try await findSourceController(named: options.oldName)
            try await updater.rename(source, to: options.oldName)
            return
        }

        var newRc: ReplicationController?
        var replicasDefaulted = false
        if !filename.isEmpty {
            let loaded = try loadController(from: filename)
            replicasDefaulted = loaded.spec.replicas == nil
            newRc = loaded
        }

        if !image.isEmpty {
            let newName = options.newName ?? oldRc.metadata.annotations[RollingUpdateAnnotations.nextController] ?? ""
            if !newName.isEmpty,
               let existing = try await client.getIfPresent(ReplicationController.self, namespace: namespace, name: newName) {
                let inProgress = existing.spec.template?.spec.containers.first?.image ?? ""
                if inProgress != image {
                    throw RollingUpdateError.message("Found existing in-progress update to image (\(inProgress)).\n"
                        + "Either continue in-progress update with --image=\(inProgress) or rollback with --rollback")
                }
                print("Found existing update in progress (\(existing.metadata.name)), resuming.")
                newRc = existing
            } else {
                let currentImage = oldRc.spec.template?.spec.containers.first?.image ?? ""
                if currentImage == image && (options.pullPolicy ?? "").isEmpty {
                    throw RollingUpdateError.message("--image-pull-policy (Always|Never|IfNotPresent) must be provided "
                        + "when --image is the same as existing container image")
                }
                newRc = try await newControllerFromCurrent(newName: newName, image: image,
                                                          pullPolicy: currentImage == image ? options.pullPolicy : nil)
            }
            let oldHash = try RollingUpdateObjects.hash(oldRc) + "-orig"
            if options.dryRun {
                // kubectl 1.17 relabelled the old controller even on a dry run; here only the local copy changes.
                if oldRc.spec.selector[options.deploymentKey] == nil { oldRc.spec.selector[options.deploymentKey] = oldHash }
            } else {
                oldRc = try await updateExistingController(oldRc, nextName: newRc!.metadata.name, deploymentValue: oldHash)
            }
        }

        if options.rollback {
            let newName = options.newName ?? oldRc.metadata.annotations[RollingUpdateAnnotations.nextController] ?? ""
            guard !newName.isEmpty,
                  let existing = try await client.getIfPresent(ReplicationController.self, namespace: namespace, name: newName)
            else {
                throw RollingUpdateError.message("Could not find \(newName) to rollback.\n")
            }
            newRc = existing
        }

        guard var target = newRc else { throw RollingUpdateError.usage(["Must specify --filename or --image for new controller"]) }
        if options.oldName == target.metadata.name {
            throw RollingUpdateError.message(
                "\(filename) cannot have the same name as the existing ReplicationController \(options.oldName)")
        }
        let differs = oldRc.spec.selector.contains { key, value in target.spec.selector[key].map { $0 != value } ?? false }
        guard differs else {
            throw RollingUpdateError.message(
                "\(filename) must specify a matching key with non-equal value in Selector for \(options.oldName)")
        }
        if replicasDefaulted { target.spec.replicas = oldRc.spec.replicas }

        if options.dryRun {
            let suffix = " rolling updated (dry run)"
            let from = options.output.isEmpty ? oldRc.metadata.name : "replicationcontroller/\(oldRc.metadata.name)" + suffix
            let to = options.output.isEmpty ? target.metadata.name : "replicationcontroller/\(target.metadata.name)" + suffix
            print("Rolling from:\n\(from)\nTo:\n\(to)")
            return
        }

        var config = RollingUpdateConfiguration(
            oldController: oldRc, newController: target, updatePeriod: options.updatePeriod,
            interval: options.pollInterval, timeout: options.timeout,
            cleanupPolicy: options.keepOldName ? .rename : .delete)
        if options.rollback {
            config = try abort(config)
            _ = try? await client.update(config.newController)
        }
        try await updater.update(config)

        var message = "rolling updated"
        var resultName = target.metadata.name
        if options.keepOldName {
            resultName = options.oldName
        } else {
            message = "rolling updated to \"\(target.metadata.name)\""
        }
        let result = try await client.get(ReplicationController.self, namespace: namespace, name: resultName)
        print(options.output == "name" ? "replicationcontroller/\(result.metadata.name)"
                                       : "replicationcontroller/\(result.metadata.name) \(message)")
    }

    // MARK: Steps

    /// Upstream `AbortRollingUpdate`: swaps the controllers and targets the original replica count.
    func abort(_ config: RollingUpdateConfiguration) throws -> RollingUpdateConfiguration {
        var swapped = config
        let original = config.oldController
        swapped.oldController = config.newController
        swapped.newController = original
        swapped.newController.metadata.annotations[RollingUpdateAnnotations.sourceID] =
            "\(swapped.oldController.metadata.name):\(swapped.oldController.metadata.uid)"
        guard let originalSize = original.metadata.annotations[RollingUpdateAnnotations.originalReplicas] else {
            throw RollingUpdateError.message("couldn't find original replica count of \"\(original.metadata.name)\"")
        }
        print("Setting \"\(original.metadata.name)\" replicas to \(originalSize)")
        swapped.newController.metadata.annotations[RollingUpdateAnnotations.desiredReplicas] = originalSize
        swapped.cleanupPolicy = .delete
        return swapped
    }

    /// Upstream `CreateNewControllerFromCurrentController`: the old controller with the new image, named
    /// `<old>-<hash>` unless named, with `<deployment key>=<hash>` in its selector and template labels.
    func newControllerFromCurrent(newName: String, image: String, pullPolicy: String?) async throws
        -> ReplicationController
    {
        var rc = try await client.get(ReplicationController.self, namespace: namespace, name: options.oldName)
        guard var template = rc.spec.template else {
            throw RollingUpdateError.message("pod has no containers! (\(rc.metadata.name))")
        }
        var index = 0
        if let container = options.container, !container.isEmpty {
            guard let found = template.spec.containers.firstIndex(where: { $0.name == container }) else {
                throw RollingUpdateError.message("container \(container) not found in pod")
            }
            index = found
        }
        if template.spec.containers.count > 1 && (options.container ?? "").isEmpty {
            throw RollingUpdateError.message("must specify container to update when updating a multi-container pod")
        }
        guard !template.spec.containers.isEmpty else {
            throw RollingUpdateError.message("pod has no containers! (\(rc.metadata.name))")
        }
        template.spec.containers[index].image = image
        if let pullPolicy, !pullPolicy.isEmpty { template.spec.containers[index].imagePullPolicy = pullPolicy }
        rc.spec.template = template
        let hash = try RollingUpdateObjects.hash(rc)
        rc.metadata.name = newName.isEmpty ? "\(rc.metadata.name)-\(hash)" : newName
        rc.spec.selector[options.deploymentKey] = hash
        rc.spec.template?.metadata.labels[options.deploymentKey] = hash
        rc.metadata.resourceVersion = ""
        return rc
    }

    /// Upstream `UpdateExistingReplicationController`: records the next controller's name on the old one and,
    /// the first time, adds the deployment label to its template, its pods and its selector.
    func updateExistingController(_ oldRc: ReplicationController, nextName: String, deploymentValue: String) async throws
        -> ReplicationController
    {
        let key = options.deploymentKey
        guard oldRc.spec.selector[key] == nil else {
            return try await updater.updateController(oldRc) { rc in
                rc.metadata.annotations[RollingUpdateAnnotations.nextController] = nextName
            }
        }
        var rc = oldRc
        rc.metadata.annotations[RollingUpdateAnnotations.nextController] = nextName
        // The template first, so pods created from now on carry the label.
        rc = try await updater.updateController(rc) { rc in
            rc.spec.template?.metadata.labels[key] = deploymentValue
        }
        let selector = RollingUpdateObjects.selectorString(rc.spec.selector)
        let pods = try await client.list(Pod.self, namespace: namespace, options: ListOptions(labelSelector: selector))
        let patch = try JSONSerialization.data(withJSONObject: ["metadata": ["labels": [key: deploymentValue]]])
        for pod in pods.items {
            _ = try await client.patch(Pod.self, namespace: namespace, name: pod.metadata.name, type: .merge,
                                       patch: [UInt8](patch))
        }
        rc = try await updater.updateController(rc) { rc in
            rc.spec.selector[key] = deploymentValue
        }
        // Pods the controller made from the old template meanwhile (without the label) are removed.
        let relisted = try await client.list(Pod.self, namespace: namespace,
                                             options: ListOptions(labelSelector: RollingUpdateObjects.selectorString(rc.spec.selector)))
        for pod in relisted.items where pod.metadata.labels[key] != deploymentValue {
            try await client.delete(Pod.self, namespace: namespace, name: pod.metadata.name)
        }
        return rc
    }

    /// Upstream `FindSourceController`: the controller whose source annotation names `name`.
    func findSourceController(named name: String) async throws -> ReplicationController {
        let list = try await client.list(ReplicationController.self, namespace: namespace)
        if let found = list.items.first(where: {
            ($0.metadata.annotations[RollingUpdateAnnotations.sourceID] ?? "").hasPrefix(name)
        }) {
            return found
        }
        throw RollingUpdateError.message("couldn't find a replication controller with source id == \(namespace)/\(name)")
    }

    /// The one ReplicationController in `-f` (YAML or JSON).
    func loadController(from filename: String) throws -> ReplicationController {
        let bytes: [UInt8]
        do {
            bytes = try readFile(filename)
        } catch {
            throw RollingUpdateError.message("the path \"\(filename)\" does not exist")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let documents: [Any]
        do {
            documents = try Yams.load_all(yaml: text).compactMap { $0 }
        } catch {
            throw RollingUpdateError.message("error parsing \(filename): \(error)")
        }
        if documents.count > 1 { throw RollingUpdateError.message("\(filename) specifies multiple items") }
        guard let document = documents.first as? [String: Any] else {
            throw RollingUpdateError.message("please make sure \(filename) exists and is not empty")
        }
        let kind = document["kind"] as? String ?? ""
        let apiVersion = document["apiVersion"] as? String ?? ""
        guard kind == "ReplicationController", apiVersion == "v1" else {
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            let version = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[1]) : apiVersion
            throw RollingUpdateError.message("\(filename) contains a \(group)/\(version), Kind=\(kind) not a ReplicationController")
        }
        var rc: ReplicationController
        do {
            let json = try JSONSerialization.data(withJSONObject: document)
            rc = try KubeJSON.decode(ReplicationController.self, from: json)
        } catch {
            throw RollingUpdateError.message("error decoding \(filename): \(error)")
        }
        if rc.metadata.namespace.isEmpty {
            rc.metadata.namespace = namespace
        } else if options.enforceNamespace && rc.metadata.namespace != namespace {
            throw RollingUpdateError.message("the namespace from the provided object \"\(rc.metadata.namespace)\" does not "
                + "match the namespace \"\(namespace)\". You must pass '--namespace=\(rc.metadata.namespace)' to perform this operation.")
        }
        return rc
    }

    @Sendable public static func readFromDiskOrStandardInput(_ path: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
