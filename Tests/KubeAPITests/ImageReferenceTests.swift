@testable import KubeAPI
import Testing

/// Image references decide the default `imagePullPolicy`; the byte reading of ASCII references must agree
/// with the `Character` reading.
@Suite struct ImageReferenceTests {
    static let references = [
        "nginx", "nginx:latest", "nginx:1.27", "library/nginx:1.27-alpine", "registry.k8s.io/pause:3.10",
        "localhost/app", "localhost:5000/team/app:v1", "MyRegistry/app", "Upper/Case", "app:", "app:-x", "app:.x",
        "app@sha256:abc", "app:v1@sha256:abc", "app@sha256:", "app@:abc", "app@", "/app", "app/", "a//b", "",
        "app name", "app\tx", "app:\(String(repeating: "a", count: 128))", "app:\(String(repeating: "a", count: 129))",
        "-app", "app-", "a.b_c-d/e", "app:v_1.2-3", "APP", "host.io/APP", "example.com:443/ns/app@sha256:deadbeef",
        "ünï.com/app:v1", "app:ü", "appé", "app\u{00A0}x",
    ]

    @Test func asciiReadingAgreesWithCharacterReading() {
        for reference in Self.references where reference.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(ImageReference.isValid(units: reference.utf8) == ImageReference.isValid(units: reference),
                    "\(reference)")
        }
    }

    @Test(arguments: [
        ("nginx", "latest"), ("nginx:1.27", "1.27"), ("localhost:5000/app", "latest"), ("app@sha256:abc", ""),
        ("app:v1@sha256:abc", "v1"), ("Upper/Case", ""), ("ünï.com/app:v1", "v1"), ("app name", ""),
    ])
    func tags(reference: String, tag: String) {
        #expect(ImageReference.tag(of: reference) == tag)
    }

    @Test func pullPolicyDefaults() {
        #expect(PodDefaults.imagePullPolicy(for: "nginx") == "Always")
        #expect(PodDefaults.imagePullPolicy(for: "nginx:latest") == "Always")
        #expect(PodDefaults.imagePullPolicy(for: "nginx:1.27") == "IfNotPresent")
        #expect(PodDefaults.imagePullPolicy(for: "app@sha256:abc") == "IfNotPresent")
    }
}
