import ContainerRuntime
import Foundation
import Testing

@Suite struct DockerConfigJSONTests {
    private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func decodesAuthFieldAndUsernamePassword() throws {
        let json = """
        {"auths":{
          "127.0.0.1:5000":{"auth":"\(base64("alice:s3cret:with:colons"))"},
          "registry.example.com":{"username":"bob","password":"pw","email":"b@example.com"}
        }}
        """
        let config = try DockerConfigJSON(dockerConfigJSON: Array(json.utf8))
        #expect(config.credentials(forImage: "127.0.0.1:5000/local/bbx")
            == [RegistryCredentials(username: "alice", password: "s3cret:with:colons")])
        #expect(config.credentials(forRegistry: "registry.example.com")
            == [RegistryCredentials(username: "bob", password: "pw")])
        #expect(config.credentials(forImage: "other.example.com/app").isEmpty)
    }

    @Test func authWinsOverUsernameAndPassword() throws {
        let json = #"{"auths":{"r.io":{"username":"x","password":"y","auth":"\#(base64("u:p"))"}}}"#
        let config = try DockerConfigJSON(dockerConfigJSON: Array(json.utf8))
        #expect(config.credentials(forRegistry: "r.io") == [RegistryCredentials(username: "u", password: "p")])
    }

    @Test func dockerHubKeysMatchDockerHubImages() throws {
        let json = #"{"auths":{"https://index.docker.io/v1/":{"auth":"\#(base64("hub:pw"))"}}}"#
        let config = try DockerConfigJSON(dockerConfigJSON: Array(json.utf8))
        #expect(config.entries.map(\.key) == ["index.docker.io"])
        let hub = [RegistryCredentials(username: "hub", password: "pw")]
        #expect(config.credentials(forImage: "docker.io/library/busybox") == hub)
        #expect(config.credentials(forImage: "busybox") == hub)
        #expect(config.credentials(forImage: "someone/app") == hub)
        #expect(config.credentials(forImage: "ghcr.io/someone/app").isEmpty)
        #expect(config.credentials(forImage: "localhost:5000/app").isEmpty)

        let plain = try DockerConfigJSON(dockerConfigJSON: Array(#"{"auths":{"docker.io":{"auth":"\#(base64("a:b"))"}}}"#.utf8))
        #expect(plain.credentials(forImage: "docker.io/library/busybox") == [RegistryCredentials(username: "a", password: "b")])
    }

    @Test func matchesPathPrefixesGlobsAndPortsLikeTheKubelet() throws {
        let json = """
        {"auths":{
          "https://registry.io/v2/team":{"auth":"\(base64("team:1"))"},
          "registry.io":{"auth":"\(base64("all:2"))"},
          "*.corp.example":{"auth":"\(base64("glob:3"))"},
          "ports.example:5000":{"auth":"\(base64("port:4"))"}
        }}
        """
        let config = try DockerConfigJSON(dockerConfigJSON: Array(json.utf8))
        // The more specific key comes first; both apply.
        #expect(config.credentials(forImage: "registry.io/team/app").map(\.username) == ["team", "all"])
        #expect(config.credentials(forImage: "registry.io/other/app").map(\.username) == ["all"])
        #expect(config.credentials(forImage: "eu.corp.example/app").map(\.username) == ["glob"])
        // A glob label matches one label only.
        #expect(config.credentials(forImage: "a.eu.corp.example/app").isEmpty)
        #expect(config.credentials(forImage: "ports.example:5000/app").map(\.username) == ["port"])
        #expect(config.credentials(forImage: "ports.example/app").isEmpty)
        #expect(config.credentials(forImage: "ports.example:5001/app").isEmpty)
    }

    @Test func readsRegistryTokensAndLegacyDockercfg() throws {
        let json = #"{"r.io":{"registrytoken":"s3cr3t-value"}}"#
        let config = try DockerConfigJSON(dockercfg: Array(json.utf8))
        #expect(config.credentials(forRegistry: "r.io").first?.registryToken == "s3cr3t-value")
        #expect(config.credentials(forRegistry: "r.io").first?.description.contains("s3cr3t") == false)
    }

    @Test func combinesSeveralSecrets() throws {
        let first = try DockerConfigJSON(dockerConfigJSON: Array(#"{"auths":{"a.io":{"auth":"\#(base64("a:1"))"}}}"#.utf8))
        let second = try DockerConfigJSON(dockerConfigJSON: Array(#"{"auths":{"b.io":{"auth":"\#(base64("b:2"))"}}}"#.utf8))
        let combined = DockerConfigJSON(combining: [first, second])
        #expect(combined.credentials(forRegistry: "a.io").map(\.username) == ["a"])
        #expect(combined.credentials(forRegistry: "b.io").map(\.username) == ["b"])
    }

    @Test func rejectsBrokenContentWithAClearMessage() {
        #expect(throws: DockerConfigJSON.ParseError.self) { try DockerConfigJSON(dockerConfigJSON: Array("not json".utf8)) }
        do {
            _ = try DockerConfigJSON(dockerConfigJSON: Array(#"{"auths":{"r.io":{"auth":"\#(base64("nocolon"))"}}}"#.utf8))
            Issue.record("expected a parse error")
        } catch {
            #expect("\(error)".contains("base64(username:password)"))
        }
    }
}
