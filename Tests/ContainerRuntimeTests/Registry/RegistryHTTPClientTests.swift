@testable import ContainerRuntime
import Foundation
import Testing

@Suite struct RegistryHTTPClientTests {
    @Test func refusesPlainHTTPToARemoteHostWithoutConnecting() async throws {
        let client = RegistryHTTPClient(configuration: .init())
        do {
            _ = try await client.send(RegistryHTTPRequest(url: URL(string: "http://192.0.2.10:5000/v2/")!),
                                      policy: InsecureRegistryPolicy())
            Issue.record("plain HTTP to a remote host should be refused")
        } catch let error as RegistryError {
            #expect(error.kind == .insecureConnectionRefused)
            #expect(error.description.contains("--insecure-registry"))
        }
    }

    /// Runs `body` with the two servers of Fixtures/redirect_server.py (origin and target ports); with
    /// `tls`, the origin serves HTTPS with that certificate and key.
    private func withRedirectServer(
        tls: (certificate: String, key: String)? = nil, _ body: (_ origin: Int, _ target: Int) async throws -> Void
    ) async throws {
        if let missing = RegistryTestSupport.missingTools(["python3"]) {
            print("RegistryHTTPClientTests skipped: \(missing)")
            return
        }
        let arguments = [RegistryTestSupport.fixtures + "/redirect_server.py"] + (tls.map { [$0.certificate, $0.key] } ?? [])
        let server = try RegistryTestProcess("python3", arguments, name: "redirect server")
        do {
            let ports = try await server.waitForLine(containing: "listening on ").split(separator: " ").suffix(2)
                .compactMap { Int($0) }
            try #require(ports.count == 2)
            try await body(ports[0], ports[1])
        } catch {
            print("redirect server log:\n\(server.output)")
            await server.stop()
            throw error
        }
        await server.stop()
    }

    private struct Echo: Decodable { var authorization: String?; var host: String? }

    @Test func followsRedirectsAndSendsAuthorizationOnlyToTheSameHost() async throws {
        try await withRedirectServer { origin, target in
            let client = RegistryHTTPClient(configuration: .init())
            let policy = InsecureRegistryPolicy()
            func get(_ path: String) async throws -> RegistryHTTPResponse {
                try await client.send(RegistryHTTPRequest(url: URL(string: "http://127.0.0.1:\(origin)\(path)")!,
                                                          authorization: "Bearer secret"), policy: policy)
            }
            let same = try await get("/same/1")
            #expect(same.status == 200)
            let sameEcho = try JSONDecoder().decode(Echo.self, from: Data(same.body))
            #expect(sameEcho.authorization == "Bearer secret")

            let other = try await get("/other")
            #expect(other.status == 200)
            #expect(other.url.port == target)
            let otherEcho = try JSONDecoder().decode(Echo.self, from: Data(other.body))
            #expect(otherEcho.authorization == nil)
            #expect(otherEcho.host == "127.0.0.1:\(target)")

            do {
                _ = try await get("/loop")
                Issue.record("a redirect loop should fail")
            } catch let error as RegistryError {
                #expect(error.kind == .transport)
                #expect(error.description.contains("redirects"))
            }
        }
    }

    @Test func aStalledResponseTimesOut() async throws {
        try await withRedirectServer { origin, _ in
            var configuration = RegistryHTTPClient.Configuration()
            configuration.idleTimeout = .milliseconds(300)
            let client = RegistryHTTPClient(configuration: configuration)
            do {
                _ = try await client.send(RegistryHTTPRequest(url: URL(string: "http://127.0.0.1:\(origin)/stall")!),
                                          policy: InsecureRegistryPolicy())
                Issue.record("a stalled response should time out")
            } catch let error as RegistryError {
                #expect(error.kind == .timeout, "\(error)")
            }
        }
    }

    @Test func speaksTLSAndRejectsCertificatesItDoesNotTrust() async throws {
        if let missing = RegistryTestSupport.missingTools(["openssl", "python3"]) {
            print("RegistryHTTPClientTests skipped: \(missing)")
            return
        }
        let directory = try RegistryTestSupport.makeDirectory()
        defer { RegistryTestSupport.removeDirectory(directory) }
        let certificate = directory + "/cert.pem", key = directory + "/key.pem"
        try await RegistryTestSupport.run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        try await withRedirectServer(tls: (certificate, key)) { origin, target in
            let url = URL(string: "https://127.0.0.1:\(origin)/echo")!
            do {
                _ = try await RegistryHTTPClient(configuration: .init()).send(
                    RegistryHTTPRequest(url: url), policy: InsecureRegistryPolicy())
                Issue.record("a self-signed certificate should not be trusted by the system roots")
            } catch let error as RegistryError {
                #expect(error.kind == .transport)
                #expect(error.description.contains("TLS"))
            }

            var configuration = RegistryHTTPClient.Configuration()
            configuration.additionalCertificateAuthorityFiles = [certificate]
            let client = RegistryHTTPClient(configuration: configuration)
            let echo = try await client.send(RegistryHTTPRequest(url: url, authorization: "Bearer t"),
                                             policy: InsecureRegistryPolicy())
            #expect(echo.status == 200)
            #expect(try JSONDecoder().decode(Echo.self, from: Data(echo.body)).authorization == "Bearer t")

            // HTTPS origin redirecting to a plain-HTTP loopback host: followed, without the credentials.
            let redirected = try await client.send(
                RegistryHTTPRequest(url: URL(string: "https://127.0.0.1:\(origin)/other")!, authorization: "Bearer t"),
                policy: InsecureRegistryPolicy())
            #expect(redirected.url.port == target)
            #expect(try JSONDecoder().decode(Echo.self, from: Data(redirected.body)).authorization == nil)
        }
    }
}
