import Dispatch
import Foundation

/// Attach: connects to the container's shim (`attach.sock` in its state directory, see `AttachFrame`), which
/// owns the container's stdio — so attach also works for containers started before this process.
extension RuncRuntime {
    /// Attaches to the main process of the running container `id`. Throws `notFound`, `notRunning`, or
    /// `attachUnavailable` when the shim does not serve attach (it predates attach, or is exiting).
    public func attach(id: String, _ request: ContainerAttachRequest) async throws(ContainerRuntimeError)
        -> ContainerAttachSession
    {
        let files = try runningContainerFiles(id: id)
        let path = files.attachSocket
        let result: Result<ContainerAttachSession, ContainerRuntimeError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.openAttachSession(id: id, path: path, request: request))
            }
        }
        return try result.get()
    }

    /// Connects, sends `open` and waits for the shim's `welcome` (blocking).
    private static func openAttachSession(id: String, path: String, request: ContainerAttachRequest)
        -> Result<ContainerAttachSession, ContainerRuntimeError>
    {
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(.attachUnavailable(
                containerID: id, reason: "its shim has no attach socket (it was started by an older version, or "
                    + "the container is exiting); restart the container to attach to it"))
        }
        let socket: AttachClientSocket
        do {
            socket = AttachClientSocket(fd: try AttachSocket.connect(path: path))
        } catch {
            return .failure(.attachUnavailable(containerID: id, reason: error.description))
        }
        guard socket.send(AttachFrame.open(stdin: request.stdin).encoded) else {
            return .failure(.attachUnavailable(containerID: id, reason: "the shim closed the attach connection"))
        }
        do {
            let (frame, decoder) = try socket.readFirstFrame()
            guard case .welcome(let stdinOpen, let tty) = frame else {
                return .failure(.attachUnavailable(containerID: id, reason: "the shim did not answer with a welcome"))
            }
            return .success(ContainerAttachSession(socket: socket, welcome: (stdinOpen, tty), decoder: decoder))
        } catch {
            return .failure(.attachUnavailable(containerID: id, reason: error.description))
        }
    }
}
