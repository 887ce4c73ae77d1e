import Foundation
import KubeCore

/// The remote-command WebSocket subprotocols (`k8s.io/apimachinery/pkg/util/remotecommand`): every message
/// is one binary frame whose first byte is the channel. v4 adds exit codes on the error channel; v5 adds the
/// close signal (`[255, channel]`, the client closing one of its streams, i.e. stdin EOF).
///
/// Value type; Sendable; pure encoding and decoding.
enum RemoteCommandProtocol: String, Sendable, CaseIterable {
    case v5 = "v5.channel.k8s.io"
    case v4 = "v4.channel.k8s.io"

    /// The first of the client's offered subprotocols (in its order, as upstream's `wsstream` handshake picks)
    /// that this server speaks; nil when none is.
    static func negotiate(offered: [String]) -> RemoteCommandProtocol? {
        for name in offered {
            if let chosen = RemoteCommandProtocol(rawValue: name.trimmingCharacters(in: .whitespaces)) { return chosen }
        }
        return nil
    }

    /// The values of (possibly several) `Sec-WebSocket-Protocol` headers, split at commas.
    static func offered(in headerValues: [String]) -> [String] {
        headerValues.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    /// Whether the client may close single streams with `[255, channel]`.
    var supportsCloseSignal: Bool { self == .v5 }
}

/// The channels of the remote-command protocols (the first byte of every message).
///
/// Value type; Sendable.
enum RemoteCommandChannel: UInt8, Sendable {
    case stdin = 0
    case stdout = 1
    case stderr = 2
    case error = 3
    case resize = 4
    /// v5: `[255, n]` closes channel n.
    case close = 255
}

/// What one client message means.
///
/// Value type; Sendable.
enum RemoteCommandClientMessage: Sendable, Equatable {
    /// Bytes for the command's stdin.
    case stdin([UInt8])
    /// A terminal size (channel 4, JSON `{"Width":80,"Height":24}`).
    case resize(TerminalSize)
    /// v5: the client closed its stream on `channel` (for stdin: EOF).
    case closeStream(channel: UInt8)
    /// Empty, malformed or for a channel the client may not write: discarded (as upstream does).
    case ignored
}

extension RemoteCommandProtocol {
    /// Decodes one binary (or text) message from the client.
    func decodeClientMessage(_ message: [UInt8]) -> RemoteCommandClientMessage {
        guard let first = message.first else { return .ignored }
        let payload = Array(message.dropFirst())
        switch RemoteCommandChannel(rawValue: first) {
        case .stdin:
            return payload.isEmpty ? .ignored : .stdin(payload)
        case .resize:
            return Self.decodeResize(payload).map { .resize($0) } ?? .ignored
        case .close where supportsCloseSignal:
            guard let channel = payload.first else { return .ignored }
            return .closeStream(channel: channel)
        default:
            return .ignored
        }
    }

    /// A server message on `channel`.
    static func frame(_ channel: RemoteCommandChannel, _ payload: some Collection<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = [channel.rawValue]
        bytes.reserveCapacity(payload.count + 1)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// `{"Width":80,"Height":24}` (Go's `encoding/json` matches keys case-insensitively, so `width` works too).
    static func decodeResize(_ payload: [UInt8]) -> TerminalSize? {
        guard case .object(let members)? = try? JSONValueParser.parse(payload) else { return nil }
        func dimension(_ name: String) -> UInt16? {
            guard let value = members.first(where: { $0.key.lowercased() == name })?.value else { return 0 }
            switch value {
            case .integer(let number): return UInt16(exactly: number)
            case .number(let number): return UInt16(exactly: number)
            default: return nil
            }
        }
        guard let width = dimension("width"), let height = dimension("height") else { return nil }
        return TerminalSize(width: width, height: height)
    }
}

/// The `metav1.Status` the server writes on the error channel (3) when a session ends, as JSON bytes:
/// upstream's stream translator writes `json.Marshal(status)`, without kind and apiVersion.
///
/// Stateless namespace; pure.
enum RemoteCommandStatus {
    /// `{"metadata":{},"status":"Success"}` for exit code 0; for any other code, upstream's
    /// `NonZeroExitCode` failure, whose `ExitCode` cause kubectl turns into its own exit code.
    static func exit(_ exit: ContainerStreamExit) -> [UInt8] {
        if exit.exitCode == 0 {
            return JSONValueWriter.bytes(["metadata": .object([:]), "status": .string(Status.success)])
        }
        return JSONValueWriter.bytes([
            "metadata": .object([:]),
            "status": .string(Status.failure),
            "message": .string(
                "command terminated with non-zero exit code: command terminated with exit code \(exit.exitCode)"),
            "reason": "NonZeroExitCode",
            "details": ["causes": [["reason": "ExitCode", "message": .string(String(exit.exitCode))]]],
        ])
    }

    /// A failure (the command could not run, the container is gone, ...) as its Status.
    static func failure(_ error: APIError) -> [UInt8] {
        let status = error.status
        var members: [String: JSONValue] = [
            "metadata": .object([:]),
            "status": .string(Status.failure),
            "message": .string(status.message),
        ]
        if !status.reason.rawValue.isEmpty { members["reason"] = .string(status.reason.rawValue) }
        if status.code != 0 { members["code"] = .integer(Int64(status.code)) }
        if let details = status.details, !details.causes.isEmpty {
            members["details"] = ["causes": .array(details.causes.map { cause in
                var entry: [String: JSONValue] = [:]
                if !cause.type.rawValue.isEmpty { entry["reason"] = .string(cause.type.rawValue) }
                if !cause.message.isEmpty { entry["message"] = .string(cause.message) }
                if !cause.field.isEmpty { entry["field"] = .string(cause.field) }
                return .object(entry)
            })]
        }
        return JSONValueWriter.bytes(.object(members))
    }
}
