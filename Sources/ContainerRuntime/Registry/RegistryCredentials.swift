import Foundation

/// Credentials for one registry: a user name and password (Basic, or exchanged for a bearer token), or a
/// ready-made registry token.
///
/// Immutable value; Sendable. ``description`` never shows the secret parts.
public struct RegistryCredentials: Sendable, Equatable, CustomStringConvertible {
    public var username: String
    public var password: String
    /// A bearer token sent as is (`registrytoken` in a docker config), instead of user name and password.
    public var registryToken: String?

    public init(username: String, password: String, registryToken: String? = nil) {
        self.username = username
        self.password = password
        self.registryToken = registryToken
    }

    /// The value of an `Authorization: Basic …` header for these credentials.
    var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    public var description: String {
        registryToken != nil ? "RegistryCredentials(registry token)" : "RegistryCredentials(username: \(username))"
    }
}
