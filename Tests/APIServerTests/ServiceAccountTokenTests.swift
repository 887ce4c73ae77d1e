@testable import APIServer
import Foundation
import KubeCore
import KubeSecurity
import Testing

/// `serviceaccounts/token` (TokenRequest), `TokenReview` and the service-account token authenticator through
/// the handler: issued tokens authenticate as the account until the account or the bound object is gone.
struct ServiceAccountTokenTests {
    static let podsPath = "/api/v1/namespaces/default/pods"

    static func pod(_ name: String, account: String? = nil) -> String {
        let accountField = account.map { #","serviceAccountName":"\#($0)""# } ?? ""
        return #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)"},"spec":{"containers":[{"name":"c","image":"busybox"}]\#(accountField)}}"#
    }

    @Test func tokenRequestIssuesAnHourLongTokenForTheServerAudience() async throws {
        let server = try await ServiceAccountTestServer()
        let before = Date()
        let reply = try await server.api.send(
            "POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
            json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"#)
        #expect(reply.status == 201)
        #expect(reply.body["kind"]?.stringValue == "TokenRequest")
        #expect(reply.body["apiVersion"]?.stringValue == "authentication.k8s.io/v1")
        #expect(reply.body["metadata"]?["name"]?.stringValue == "default")
        #expect(reply.body["metadata"]?["namespace"]?.stringValue == "default")
        #expect(reply.body["spec"]?["expirationSeconds"]?.integerValue == 3600)
        #expect(reply.body["spec"]?["audiences"] == ["https://kubernetes.default.svc.cluster.local"])
        let token = try #require(reply.body["status"]?["token"]?.stringValue)
        let claims = try server.signer.verify(token, audiences: server.signer.audiences)
        #expect(claims.subject == "system:serviceaccount:default:default")
        let account = try await server.api.ok("GET", "/api/v1/namespaces/default/serviceaccounts/default")
        #expect(claims.serviceAccount.uid == account["metadata"]?["uid"]?.stringValue)
        #expect(reply.body["metadata"]?["uid"] == account["metadata"]?["uid"])
        let expiry = try RFC3339Time(parsing: try #require(reply.body["status"]?["expirationTimestamp"]?.stringValue))
        #expect(expiry.secondsSince1970 >= Int64(before.timeIntervalSince1970) + 3599)
        #expect(claims.expiresAt == expiry.secondsSince1970)
        // Nothing is stored: the account is unchanged.
        let after = try await server.api.ok("GET", "/api/v1/namespaces/default/serviceaccounts/default")
        #expect(after["metadata"]?["resourceVersion"] == account["metadata"]?["resourceVersion"])
    }

    @Test func tokenRequestValidationMatchesUpstream() async throws {
        let server = try await ServiceAccountTestServer()
        let base = "/api/v1/namespaces/default/serviceaccounts"
        let short = try await server.api.send("POST", base + "/default/token", json: #"{"spec":{"expirationSeconds":60}}"#)
        #expect(short.status == 422)
        #expect(short.body["message"]?.stringValue
                == #"TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes"#)
        let long = try await server.api.send("POST", base + "/default/token", json: #"{"spec":{"expirationSeconds":4294967297}}"#)
        #expect(long.status == 422)
        #expect(long.body["message"]?.stringValue?.hasSuffix("may not specify a duration larger than 2^32 seconds") == true)
        let missing = try await server.api.send("POST", base + "/nobody/token", json: #"{"spec":{}}"#)
        #expect(missing.status == 404)
        #expect(missing.body["message"]?.stringValue == #"serviceaccounts "nobody" not found"#)
        let renamed = try await server.api.send("POST", base + "/default/token", json: #"{"metadata":{"name":"other"},"spec":{}}"#)
        #expect(renamed.status == 422)
        #expect(renamed.body["message"]?.stringValue?.contains("metadata.name: Invalid value: \"other\": must match the service account name if specified") == true)
        let badKind = try await server.api.send("POST", base + "/default/token",
                                                json: #"{"spec":{"boundObjectRef":{"kind":"Deployment","apiVersion":"apps/v1","name":"web"}}}"#)
        #expect(badKind.status == 400)
        #expect(badKind.body["message"]?.stringValue == "cannot bind token to object of type apps/v1, Kind=Deployment")
        let get = try await server.api.send("GET", base + "/default/token")
        #expect(get.status == 405)
    }

    @Test func boundTokensNameTheirPodAndCheckIt() async throws {
        let server = try await ServiceAccountTestServer()
        try await server.api.ok("POST", "/api/v1/namespaces/default/serviceaccounts",
                                json: #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}"#)
        let pod = try await server.api.ok("POST", Self.podsPath, json: Self.pod("p", account: "robot"))
        let podUID = try #require(pod["metadata"]?["uid"]?.stringValue)
        let wrongAccount = try await server.api.send(
            "POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
            json: #"{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p"}}}"#)
        #expect(wrongAccount.status == 400)
        #expect(wrongAccount.body["message"]?.stringValue
                == #"cannot bind token for serviceaccount "default" to pod running with different serviceaccount name."#)
        let staleUID = try await server.api.send(
            "POST", "/api/v1/namespaces/default/serviceaccounts/robot/token",
            json: #"{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"not-it"}}}"#)
        #expect(staleUID.status == 409)

        let token = try await server.token("robot", spec: #"{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p"}}"#)
        let claims = try server.signer.verify(token, audiences: server.signer.audiences)
        #expect(claims.pod == .init(name: "p", uid: podUID))
        let who = try await server.whoami(token)
        #expect(who.status == 201)
        #expect(who.user == "system:serviceaccount:default:robot")
        #expect(who.extra?["authentication.kubernetes.io/pod-name"] == ["p"])
        #expect(who.extra?["authentication.kubernetes.io/pod-uid"] == .array([.string(podUID)]))
        #expect(who.extra?["authentication.kubernetes.io/credential-id"] == .array([.string("JTI=" + claims.id)]))

        // Deleting the pod revokes the token.
        try await server.api.ok("DELETE", Self.podsPath + "/p")
        #expect(try await server.whoami(token).status == 401)
        await #expect(throws: CredentialRejected("service account token has been invalidated")) {
            try await server.authenticator.authenticate(token: token, audiences: [])
        }
    }

    @Test func projectedTokenLifetimeIsExtendedWithWarnAfter() async throws {
        let server = try await ServiceAccountTestServer()
        try await server.api.ok("POST", Self.podsPath, json: Self.pod("p"))
        let reply = try await server.api.ok(
            "POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
            json: #"{"spec":{"expirationSeconds":3607,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p"}}}"#)
        let claims = try server.signer.verify(try #require(reply["status"]?["token"]?.stringValue), audiences: server.signer.audiences)
        #expect(claims.warnAfter == claims.issuedAt + 3607)
        #expect(claims.expiresAt == claims.issuedAt + 365 * 24 * 3600)
        #expect(reply["spec"]?["expirationSeconds"]?.integerValue == 3607)
    }

    @Test func tokensAuthenticateAsTheAccountUntilItIsDeleted() async throws {
        let server = try await ServiceAccountTestServer()
        try await server.api.ok("POST", "/api/v1/namespaces",
                                json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#)
        try await server.api.ok("POST", "/api/v1/namespaces/team/serviceaccounts",
                                json: #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}"#)
        let token = try await server.token("robot", namespace: "team")
        let who = try await server.whoami(token)
        #expect(who.status == 201)
        #expect(who.user == "system:serviceaccount:team:robot")
        #expect(who.groups == ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"])

        try await server.api.ok("DELETE", "/api/v1/namespaces/team/serviceaccounts/robot")
        let rejected = try await server.api.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                                 json: #"{"kind":"SelfSubjectReview"}"#, bearerToken: token)
        #expect(rejected.status == 401)
        #expect(rejected.body["message"]?.stringValue == "Unauthorized")

        // A new account of the same name has another uid: the old token stays invalid.
        try await server.api.ok("POST", "/api/v1/namespaces/team/serviceaccounts",
                                json: #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}"#)
        await #expect(throws: CredentialRejected.self) {
            try await server.authenticator.authenticate(token: token, audiences: [])
        }
        #expect(try await server.whoami(try await server.token("robot", namespace: "team")).status == 201)
    }

    @Test func tamperedAndForeignTokensAreUnauthorized() async throws {
        let server = try await ServiceAccountTestServer()
        let token = try await server.token("default")
        var characters = Array(token)
        let index = characters.count - 5
        characters[index] = characters[index] == "A" ? "B" : "A"
        #expect(try await server.whoami(String(characters)).status == 401)
        let foreign = try ServiceAccountTokenSigner().sign(try server.signer.verify(token, audiences: server.signer.audiences))
        #expect(try await server.whoami(foreign).status == 401)
        #expect(try await server.whoami("not-a-token").status == 401)
    }

    @Test func tokenReviewUsesTheSameAuthenticators() async throws {
        let server = try await ServiceAccountTestServer(staticUsers: ["s3cret": UserInfo(name: "alice", uid: "1", groups: ["dev"])])
        let token = try await server.token("default", spec: #"{"audiences":["vault"]}"#)
        func review(_ spec: String) async throws -> JSONValue {
            let reply = try await server.api.send("POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                                                  json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":\#(spec)}"#)
            #expect(reply.status == 201)
            return reply.body["status"] ?? .null
        }
        let accepted = try await review(#"{"token":"\#(token)","audiences":["vault"]}"#)
        #expect(accepted["authenticated"] == true)
        #expect(accepted["user"]?["username"]?.stringValue == "system:serviceaccount:default:default")
        #expect(accepted["audiences"] == ["vault"])
        let wrongAudience = try await review(#"{"token":"\#(token)"}"#)
        #expect(wrongAudience["authenticated"] == false)
        #expect(wrongAudience["error"]?.stringValue?.contains("invalid for the target audiences") == true)
        let staticUser = try await review(#"{"token":"s3cret"}"#)
        #expect(staticUser["authenticated"] == true)
        #expect(staticUser["user"]?["username"]?.stringValue == "alice")
        #expect(staticUser["user"]?["groups"] == ["dev", "system:authenticated"])
        let unknown = try await review(#"{"token":"nope"}"#)
        #expect(unknown["authenticated"] == false)
        let empty = try await server.api.send("POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                                              json: #"{"kind":"TokenReview","spec":{}}"#)
        #expect(empty.status == 400)
        #expect(empty.body["message"]?.stringValue == "token is required for TokenReview in authentication")
        #expect(try await server.api.send("GET", "/apis/authentication.k8s.io/v1/tokenreviews").status == 405)
    }

    @Test func legacyTokenSecretsAreFilledAndRevocable() async throws {
        let server = try await ServiceAccountTestServer()
        try await server.api.ok("POST", "/api/v1/namespaces/default/serviceaccounts",
                                json: #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}"#)
        let secretJSON = #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"robot-token","annotations":{"kubernetes.io/service-account.name":"robot"}},"type":"kubernetes.io/service-account-token"}"#
        try await server.api.ok("POST", "/api/v1/namespaces/default/secrets", json: secretJSON)
        let secret = try await server.api.ok("GET", "/api/v1/namespaces/default/secrets/robot-token")
        let account = try await server.api.ok("GET", "/api/v1/namespaces/default/serviceaccounts/robot")
        #expect(secret["metadata"]?["annotations"]?["kubernetes.io/service-account.uid"] == account["metadata"]?["uid"])
        func decoded(_ key: String) -> String {
            String(decoding: Data(base64Encoded: secret["data"]?[key]?.stringValue ?? "") ?? Data(), as: UTF8.self)
        }
        #expect(decoded("namespace") == "default")
        #expect(decoded("ca.crt") == ServiceAccountTestServer.rootCAPEM)
        let token = decoded("token")
        let claims = try server.signer.verify(token, audiences: server.signer.audiences)
        #expect(claims.secret?.name == "robot-token")
        #expect(claims.expiresAt == nil)
        #expect(try await server.whoami(token).user == "system:serviceaccount:default:robot")

        try await server.api.ok("DELETE", "/api/v1/namespaces/default/secrets/robot-token")
        #expect(try await server.whoami(token).status == 401)

        // A token Secret for a missing account is removed, as upstream's token controller does.
        try await server.api.ok("POST", "/api/v1/namespaces/default/secrets",
                                json: secretJSON.replacingOccurrences(of: "\"robot\"", with: "\"ghost\""))
        #expect(try await server.api.send("GET", "/api/v1/namespaces/default/secrets/robot-token").status == 404)
    }
}
