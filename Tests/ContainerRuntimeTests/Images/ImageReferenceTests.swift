import ContainerRuntime
import Testing

@Suite struct ImageReferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let normalized: String
        let domain: String
        let repository: String
        let tag: String?
        let registryHost: String
        var testDescription: String { input }
    }

    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    static let valid: [Case] = [
        Case(input: "busybox", normalized: "docker.io/library/busybox:latest", domain: "docker.io",
             repository: "library/busybox", tag: "latest", registryHost: "registry-1.docker.io"),
        Case(input: "busybox:1.36", normalized: "docker.io/library/busybox:1.36", domain: "docker.io",
             repository: "library/busybox", tag: "1.36", registryHost: "registry-1.docker.io"),
        Case(input: "library/busybox", normalized: "docker.io/library/busybox:latest", domain: "docker.io",
             repository: "library/busybox", tag: "latest", registryHost: "registry-1.docker.io"),
        Case(input: "docker.io/busybox", normalized: "docker.io/library/busybox:latest", domain: "docker.io",
             repository: "library/busybox", tag: "latest", registryHost: "registry-1.docker.io"),
        Case(input: "index.docker.io/x/y:z", normalized: "docker.io/x/y:z", domain: "docker.io",
             repository: "x/y", tag: "z", registryHost: "registry-1.docker.io"),
        Case(input: "local/bbx:v2", normalized: "docker.io/local/bbx:v2", domain: "docker.io",
             repository: "local/bbx", tag: "v2", registryHost: "registry-1.docker.io"),
        Case(input: "127.0.0.1:5000/local/bbx:v2", normalized: "127.0.0.1:5000/local/bbx:v2",
             domain: "127.0.0.1:5000", repository: "local/bbx", tag: "v2", registryHost: "127.0.0.1:5000"),
        Case(input: "localhost/app", normalized: "localhost/app:latest", domain: "localhost",
             repository: "app", tag: "latest", registryHost: "localhost"),
        Case(input: "localhost:5000/a/b/c", normalized: "localhost:5000/a/b/c:latest", domain: "localhost:5000",
             repository: "a/b/c", tag: "latest", registryHost: "localhost:5000"),
        Case(input: "ghcr.io/org/app-name_x.y__z:V1.0-rc_1", normalized: "ghcr.io/org/app-name_x.y__z:V1.0-rc_1",
             domain: "ghcr.io", repository: "org/app-name_x.y__z", tag: "V1.0-rc_1", registryHost: "ghcr.io"),
        Case(input: "registry.k8s.io/pause@" + digest, normalized: "registry.k8s.io/pause@" + digest,
             domain: "registry.k8s.io", repository: "pause", tag: nil, registryHost: "registry.k8s.io"),
        Case(input: "busybox:1.36@" + digest, normalized: "docker.io/library/busybox:1.36@" + digest,
             domain: "docker.io", repository: "library/busybox", tag: "1.36", registryHost: "registry-1.docker.io"),
        Case(input: "[::1]:5000/app:1", normalized: "[::1]:5000/app:1", domain: "[::1]:5000",
             repository: "app", tag: "1", registryHost: "[::1]:5000"),
    ]

    @Test(arguments: valid)
    func parsesAndNormalizes(_ example: Case) throws {
        let reference = try ImageReference(parsing: example.input)
        #expect(reference.normalizedName == example.normalized)
        #expect(reference.domain == example.domain)
        #expect(reference.repository == example.repository)
        #expect(reference.tag == example.tag)
        #expect(reference.registryHost == example.registryHost)
        #expect(reference.repositoryName == example.domain + "/" + example.repository)
        // Normalizing is idempotent.
        #expect(try ImageReference(parsing: reference.normalizedName) == reference)
    }

    @Test func keepsTheDigest() throws {
        let reference = try ImageReference(parsing: "busybox@" + Self.digest)
        #expect(reference.digest?.description == Self.digest)
        #expect(reference.tag == nil)
        #expect(reference.normalizedName == "docker.io/library/busybox@" + Self.digest)
    }

    static let invalid: [(String, String)] = [
        ("", "empty"),
        ("Busybox", "lowercase"),
        ("docker.io/Library/busybox", "lowercase"),
        ("busybox:", "tag"),
        ("busybox:-x", "tag"),
        ("busybox:" + String(repeating: "a", count: 129), "tag"),
        ("busybox@sha256:abc", "digest"),
        ("busybox@md5:" + String(repeating: "a", count: 32), "digest"),
        ("a//b", "path component"),
        ("a/b-", "path component"),
        ("a/b..c", "path component"),
        ("a/_b", "path component"),
        ("-host.io/x", "registry host"),
        ("host.io:port/x", "registry host"),
        (String(repeating: "ab", count: 32), "image id"),
        ("x/" + String(repeating: "a", count: 260), "255"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidReferences(_ input: String, _ reasonFragment: String) {
        do {
            let parsed = try ImageReference(parsing: input)
            Issue.record("parsed \(input) as \(parsed)")
        } catch {
            guard case .invalidReference(let text, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(text == input)
            #expect(reason.contains(reasonFragment), "reason: \(reason)")
            #expect(error.description.contains("invalid image reference"))
        }
    }

    @Test func digestsParseOnlySHA256Hex() throws {
        #expect(try ImageDigest(parsing: Self.digest).hex == String(repeating: "ab", count: 32))
        #expect(throws: ImageError.self) { try ImageDigest(parsing: "sha256:" + String(repeating: "AB", count: 32)) }
        #expect(throws: ImageError.self) { try ImageDigest(parsing: "sha512:" + String(repeating: "ab", count: 32)) }
        #expect(ImageDigest(of: Array("hello".utf8)).description
            == "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
    }
}
