import Foundation
import KubeStorage
import Testing

@Suite struct ContinueTokenTests {
    @Test func encodesLikeTheKubernetesAPIServer() throws {
        let token = try ContinueToken.after(lastKey: "/registry/pods/default/web-1", keyPrefix: "/registry/pods/",
                                            revision: 42)
        #expect(token.start == "default/web-1\u{0}")
        // base64url without padding of the JSON the API server writes.
        let encoded = token.encoded()
        #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let json = String(decoding: Data(base64Encoded: base64)!, as: UTF8.self)
        #expect(json == #"{"rv":42,"start":"default\/web-1\u0000","v":"meta.k8s.io\/v1"}"#
            || json == #"{"rv":42,"start":"default/web-1\u0000","v":"meta.k8s.io/v1"}"#)
    }

    @Test func roundTrips() throws {
        let token = try ContinueToken.after(lastKey: "/registry/cm/ns/c2", keyPrefix: "/registry/cm/", revision: 11)
        let (decoded, fromKey) = try ContinueToken.decode(token.encoded(), keyPrefix: "/registry/cm/")
        #expect(decoded == token)
        #expect(fromKey == "/registry/cm/ns/c2\u{0}")
    }

    @Test func acceptsTheAPIServersOwnToken() throws {
        // {"v":"meta.k8s.io/v1","rv":5,"start":"default/a\u0000"} as the API server encodes it.
        let json = #"{"v":"meta.k8s.io/v1","rv":5,"start":"default/a\u0000"}"#
        let token = Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let (decoded, fromKey) = try ContinueToken.decode(token, keyPrefix: "/registry/pods/")
        #expect(decoded.revision == 5)
        #expect(fromKey == "/registry/pods/default/a\u{0}")
    }

    static func wire(_ json: String) -> String {
        Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test(arguments: [
        ("not base64 at all!", "illegal base64"),
        ("eyJ2Ijo=", "illegal base64"),
        (wire("[1,2,3]"), "not a JSON continue token"),
        (wire(#"{"v":"meta.k8s.io/v2","rv":5,"start":"a"}"#), "does not recognize this encoded version"),
        (wire(#"{"v":"meta.k8s.io/v1","rv":0,"start":"a"}"#), "incorrect encoded start resourceVersion"),
        (wire(#"{"v":"meta.k8s.io/v1","rv":5,"start":""}"#), "encoded start key empty"),
        (wire(#"{"v":"meta.k8s.io/v1","rv":5,"start":"../secrets/kube-system/x"}"#), "../secrets"),
        (wire(#"{"v":"meta.k8s.io/v1","rv":5,"start":"default//a"}"#), "default//a"),
    ])
    func malformedTokens_areRejectedWithAClearError(token: String, expected: String) {
        #expect {
            _ = try ContinueToken.decode(token, keyPrefix: "/registry/pods/")
        } throws: { error in
            guard case .invalidArgument(let message) = error as? StorageError else { return false }
            return message.hasPrefix("continue key is not valid") && message.contains(expected)
        }
    }

    @Test func keyOutsideThePrefix_cannotBeEncoded() {
        #expect(throws: StorageError.self) {
            _ = try ContinueToken.after(lastKey: "/registry/secrets/a", keyPrefix: "/registry/pods/", revision: 3)
        }
    }
}
