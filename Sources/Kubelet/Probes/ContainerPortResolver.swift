public import KubeAPI
public import KubeCore

/// Turns a probe's or hook's `port` (a number, or the name of one of the container's ports) into a port
/// number, as upstream's `probe.ResolveContainerPort` does (a name that matches no port is tried as a
/// number; the result must be 1...65535).
///
/// Pure; safe from any thread.
public enum ContainerPortResolver {
    /// The port, or an error message in upstream's words (`invalid port number: 0`,
    /// `strconv.Atoi: parsing "http": invalid syntax`).
    public static func resolve(_ port: IntOrString, in container: Container) -> Result<Int, ProbePortError> {
        let number: Int
        switch port {
        case .int(let value):
            number = Int(value)
        case .string(let name):
            if let named = container.ports.first(where: { $0.name == name }) {
                number = Int(named.containerPort)
            } else if let parsed = Int(name) {
                number = parsed
            } else {
                return .failure(ProbePortError(message: "strconv.Atoi: parsing \(GoQuoting.quote(name)): invalid syntax"))
            }
        }
        guard number > 0 && number < 65536 else {
            return .failure(ProbePortError(message: "invalid port number: \(number)"))
        }
        return .success(number)
    }
}

/// A probe or hook port that names no container port and is no valid number.
public struct ProbePortError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
