import Crypto
import Foundation

/// Authorization for registry requests: the challenge each registry answered its `GET /v2/` ping with, and
/// bearer tokens cached per (registry, scope, credentials) until shortly before they expire.
///
/// An actor: one per ``ImagePuller``, shared by all of its pulls, so a token fetched for one pull serves the
/// next. Token fetches run while the actor is suspended; two pulls that miss the cache at once both fetch.
actor RegistryAuthenticator {
    /// A cached token and when to stop using it.
    private struct CachedToken {
        var authorization: String
        var expires: ContinuousClock.Instant
    }

    private struct TokenKey: Hashable {
        var registry: String
        var scope: String
        var identity: String
    }

    /// What a registry's ping said: no authentication needed, or these challenges.
    private enum PingResult {
        case open
        case challenges([WWWAuthenticateChallenge])
    }

    private let client: RegistryHTTPClient
    private var pings: [String: PingResult] = [:]
    private var tokens: [TokenKey: CachedToken] = [:]

    init(client: RegistryHTTPClient) {
        self.client = client
    }

    /// `GET <base>/v2/` once per registry, remembering whether it wants authentication and how.
    func ping(registry: String, baseURL: URL, policy: InsecureRegistryPolicy) async throws {
        guard pings[registry] == nil else { return }
        let response = try await client.send(
            RegistryHTTPRequest(url: baseURL.appending(path: "v2/")), policy: policy, bodyLimit: 64 << 10)
        if response.status == 401 {
            pings[registry] = .challenges(WWWAuthenticateChallenge.parse(response.headerValues("WWW-Authenticate")))
        } else {
            // 200, or a registry that does not implement the ping: go on without credentials until a 401.
            pings[registry] = .open
        }
    }

    /// The `Authorization` header for a request with `scope` (`repository:<name>:pull`), or nil when the
    /// registry needs none (or no credentials fit its challenge).
    func authorization(
        registry: String, scope: String, credentials: RegistryCredentials?, policy: InsecureRegistryPolicy,
        now: ContinuousClock.Instant
    ) async throws -> String? {
        guard case .challenges(let challenges) = pings[registry] else { return nil }
        return try await authorization(for: challenges, registry: registry, scopes: [scope], credentials: credentials,
                                       policy: policy, now: now, useCache: true)
    }

    /// The `Authorization` header to retry a request that got a 401 with `challengeHeaders`; nil when a retry
    /// cannot help (no usable challenge). Bypasses the token cache and remembers the challenge.
    func authorizationAfterUnauthorized(
        registry: String, challengeHeaders: [String], defaultScope: String, credentials: RegistryCredentials?,
        policy: InsecureRegistryPolicy, now: ContinuousClock.Instant
    ) async throws -> String? {
        let challenges = WWWAuthenticateChallenge.parse(challengeHeaders)
        guard !challenges.isEmpty else { return nil }
        if case .challenges = pings[registry] {} else { pings[registry] = .challenges(challenges) }
        let scopes = challenges.first(where: \.isBearer).map(\.scopes).flatMap { $0.isEmpty ? nil : $0 }
            ?? [defaultScope]
        if challenges.contains(where: \.isBasic), !challenges.contains(where: \.isBearer), credentials == nil {
            return nil
        }
        return try await authorization(for: challenges, registry: registry, scopes: scopes, credentials: credentials,
                                       policy: policy, now: now, useCache: false)
    }

    /// Forgets cached tokens and pings (tests, or after a registry changed its configuration).
    func reset() {
        pings = [:]
        tokens = [:]
    }

    // MARK: Token service

    private func authorization(
        for challenges: [WWWAuthenticateChallenge], registry: String, scopes: [String],
        credentials: RegistryCredentials?, policy: InsecureRegistryPolicy, now: ContinuousClock.Instant,
        useCache: Bool
    ) async throws -> String? {
        if let bearer = challenges.first(where: \.isBearer) {
            if let registryToken = credentials?.registryToken { return "Bearer \(registryToken)" }
            let key = TokenKey(registry: registry, scope: scopes.joined(separator: " "),
                               identity: Self.identity(of: credentials))
            if useCache, let cached = tokens[key], cached.expires > now { return cached.authorization }
            let (token, lifetime) = try await fetchToken(challenge: bearer, scopes: scopes, credentials: credentials,
                                                         policy: policy)
            let authorization = "Bearer \(token)"
            // Use a token for at most its lifetime less 10 s, so it cannot expire in the middle of a request.
            tokens[key] = CachedToken(authorization: authorization, expires: now + .seconds(max(0, lifetime - 10)))
            return authorization
        }
        if challenges.contains(where: \.isBasic), let credentials {
            return credentials.basicAuthorization
        }
        return nil
    }

    /// `GET <realm>?service=…&scope=…` with Basic credentials when given; answers the token and its lifetime.
    private func fetchToken(
        challenge: WWWAuthenticateChallenge, scopes: [String], credentials: RegistryCredentials?,
        policy: InsecureRegistryPolicy
    ) async throws -> (token: String, lifetimeSeconds: Int) {
        guard let realm = challenge.realm, var components = URLComponents(string: realm),
              components.scheme != nil, components.host != nil else {
            throw RegistryError(.unauthorized, stage: .resolve, detail:
                "failed to authorize: the registry's bearer challenge has no usable realm (\"\(challenge.realm ?? "")\")")
        }
        var query = components.queryItems ?? []
        if let service = challenge.service { query.append(URLQueryItem(name: "service", value: service)) }
        for scope in scopes { query.append(URLQueryItem(name: "scope", value: scope)) }
        components.queryItems = query
        // `+` is literal in URLComponents queries but means a space to many servers.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else {
            throw RegistryError(.unauthorized, stage: .resolve, detail: "failed to authorize: invalid realm \"\(realm)\"")
        }
        let authenticated = credentials.map { !$0.username.isEmpty || !$0.password.isEmpty } ?? false
        let request = RegistryHTTPRequest(
            url: url, headers: [(name: "Accept", value: "application/json")],
            authorization: authenticated ? credentials?.basicAuthorization : nil)
        let response = try await client.send(request, policy: policy, bodyLimit: 1 << 20)
        guard response.isSuccess else {
            throw RegistryError.tokenRefused(url: realm, status: response.status, statusText: response.statusText,
                                             authenticated: authenticated)
        }
        struct TokenResponse: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(response.body)),
              let token = [decoded.token, decoded.access_token].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw RegistryError(.unauthorized, stage: .resolve, detail:
                "failed to authorize: the token service at \(realm) answered without a token")
        }
        // The distribution spec's default lifetime when `expires_in` is absent is 60 seconds.
        return (token, decoded.expires_in.map { max($0, 0) } ?? 60)
    }

    /// A stable, non-secret key for the credentials a token was fetched with.
    private static func identity(of credentials: RegistryCredentials?) -> String {
        guard let credentials else { return "anonymous" }
        let digest = SHA256.hash(data: Array("\(credentials.username)\u{0}\(credentials.password)".utf8))
        return digest.map { String($0, radix: 16) }.joined()
    }
}
