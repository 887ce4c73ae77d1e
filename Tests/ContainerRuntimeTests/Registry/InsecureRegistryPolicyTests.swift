import ContainerRuntime
import Testing

@Suite struct InsecureRegistryPolicyTests {
    @Test func loopbackIsPlainHTTPEverythingElseHTTPS() {
        let policy = InsecureRegistryPolicy()
        #expect(policy.scheme(forRegistry: "127.0.0.1:5000") == "http")
        #expect(policy.scheme(forRegistry: "127.9.8.7") == "http")
        #expect(policy.scheme(forRegistry: "localhost:5000") == "http")
        #expect(policy.scheme(forRegistry: "[::1]:5000") == "http")
        #expect(policy.scheme(forRegistry: "registry-1.docker.io") == "https")
        #expect(policy.scheme(forRegistry: "128.0.0.1:5000") == "https")
        #expect(policy.scheme(forRegistry: "127.0.0.1.example.com") == "https")
    }

    @Test func listedRegistriesByHostPortHostOrCIDR() {
        let policy = InsecureRegistryPolicy(insecureRegistries: ["http://reg.lan:5000/", "plain.lan", "10.1.0.0/16"])
        #expect(policy.scheme(forRegistry: "reg.lan:5000") == "http")
        #expect(policy.scheme(forRegistry: "reg.lan:5001") == "https")
        #expect(policy.scheme(forRegistry: "plain.lan:8080") == "http")
        #expect(policy.scheme(forRegistry: "10.1.200.3:5000") == "http")
        #expect(policy.scheme(forRegistry: "10.2.0.1:5000") == "https")
        #expect(policy.allowsPlainHTTP(host: "REG.LAN", port: 5000))
    }
}
