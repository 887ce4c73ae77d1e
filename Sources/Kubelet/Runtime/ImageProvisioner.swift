import ContainerRuntime
import Foundation
import KubeAPI
import KubeCore
import Logging

/// Makes a container's image available on the node per its `imagePullPolicy` (`Always`, `IfNotPresent`,
/// `Never`), pulling with the pod's `imagePullSecrets`, and turns failures into the kubelet's waiting reasons
/// (`InvalidImageName`, `ErrImageNeverPull`, `ErrImagePull`). An `ErrImagePull` message is the runtime's error
/// as the kubelet shows it in the waiting state (`rpc error: code = NotFound desc = …`); the `Failed` event
/// adds `Failed to pull image "<image>": ` in front (``ContainerStartFailureHandler``).
///
/// Sendable; the store and puller are thread-safe.
struct ImageProvisioner: Sendable {
    let store: ImageStore
    let puller: ImagePuller
    let insecureRegistries: [String]
    let secrets: @Sendable (String, String) async -> Secret?

    func ensure(_ container: Container, pod: Pod, events: @Sendable (ContainerStartEvent) -> Void)
        async throws(ContainerStartFailure) -> StoredImage
    {
        let image = container.image
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: image)
        } catch {
            throw ContainerStartFailure(
                reason: "InvalidImageName",
                message: "Failed to apply default image tag \"\(image)\": couldn't parse image name \"\(image)\": "
                    + "invalid reference format", eventReason: "InspectFailed")
        }
        let present = store.image(named: reference.normalizedName)
        let policy = container.imagePullPolicy.isEmpty
            ? (reference.tag == nil || reference.tag == "latest") && reference.digest == nil ? "Always" : "IfNotPresent"
            : container.imagePullPolicy
        switch policy {
        case "Never":
            guard let present else {
                throw ContainerStartFailure(
                    reason: "ErrImageNeverPull",
                    message: "Container image \"\(image)\" is not present with pull policy of Never",
                    eventReason: "ErrImageNeverPull")
            }
            return present
        case "IfNotPresent":
            if let present {
                events(.pulled(image: image, message: "Container image \"\(image)\" already present on machine"))
                return present
            }
        default:
            break
        }
        events(.pulling(image: image))
        let started = ContinuousClock.now
        do {
            var options = ImagePullOptions()
            options.insecureRegistries = insecureRegistries
            options.credentials = await credentials(for: reference, pod: pod)
            let pulled = try await puller.pull(reference, options: options)
            let text = Self.goDurationTruncatedToMilliseconds(ContinuousClock.now - started)
            events(.pulled(image: image, message: "Successfully pulled image \"\(image)\" in \(text) (\(text) including "
                + "waiting). Image size: \(pulled.size) bytes."))
            return pulled
        } catch {
            let code = (error as? RegistryError)?.kind == .notFound ? "NotFound" : "Unknown"
            throw ContainerStartFailure(
                reason: "ErrImagePull", message: "rpc error: code = \(code) desc = \(error)")
        }
    }

    /// Go's `Duration.Truncate(time.Millisecond).String()`, as upstream's `Pulled` event prints the pull time
    /// (`0s`, `734ms`, `1.5s`, `2m3.04s`).
    static func goDurationTruncatedToMilliseconds(_ elapsed: Duration) -> String {
        elapsed < .milliseconds(1) ? "0s" : GRPCHealthCheck.goDuration(elapsed)
    }

    private func credentials(for reference: ImageReference, pod: Pod) async -> [RegistryCredentials] {
        var configs: [DockerConfigJSON] = []
        for secretReference in pod.spec.imagePullSecrets {
            guard let secret = await secrets(pod.metadata.namespace, secretReference.name) else { continue }
            let data = secret.data
            if let bytes = data[".dockerconfigjson"], let config = try? DockerConfigJSON(dockerConfigJSON: bytes) {
                configs.append(config)
            } else if let bytes = data[".dockercfg"], let config = try? DockerConfigJSON(dockercfg: bytes) {
                configs.append(config)
            }
        }
        return DockerConfigJSON(combining: configs).credentials(forImage: reference.repositoryName)
    }
}
