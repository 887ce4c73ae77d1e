import ContainerRuntime
import Testing

@Suite struct WWWAuthenticateChallengeTests {
    @Test func parsesDockerHubBearerChallenge() {
        let challenges = WWWAuthenticateChallenge.parse(
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#)
        #expect(challenges.count == 1)
        let bearer = challenges[0]
        #expect(bearer.isBearer)
        #expect(bearer.realm == "https://auth.docker.io/token")
        #expect(bearer.service == "registry.docker.io")
        #expect(bearer.scopes == ["repository:library/busybox:pull"])
    }

    @Test func parsesErrorAndSeveralScopes() {
        let challenge = WWWAuthenticateChallenge.parse(
            #"Bearer realm="http://127.0.0.1:5002/token", service="test-registry", scope="repository:a:pull repository:b:pull", error="insufficient_scope""#
        ).first
        #expect(challenge?.scopes == ["repository:a:pull", "repository:b:pull"])
        #expect(challenge?.error == "insufficient_scope")
        #expect(challenge?.service == "test-registry")
    }

    @Test func parsesBasicAndSchemeCaseInsensitively() {
        let challenges = WWWAuthenticateChallenge.parse(#"BASIC realm="Registry Realm""#)
        #expect(challenges == [WWWAuthenticateChallenge(scheme: "basic", parameters: ["realm": "Registry Realm"])])
        #expect(challenges.first?.isBasic == true)
    }

    @Test func splitsSeveralChallengesInOneHeaderAndAcrossHeaders() {
        let oneHeader = WWWAuthenticateChallenge.parse(
            #"Basic realm="basic, with comma", Bearer realm="https://t.example/token",service=reg"#)
        #expect(oneHeader.map(\.scheme) == ["basic", "bearer"])
        #expect(oneHeader[0].realm == "basic, with comma")
        #expect(oneHeader[1].service == "reg")

        let twoHeaders = WWWAuthenticateChallenge.parse([#"Basic realm="a""#, #"Bearer realm="b""#])
        #expect(twoHeaders.map(\.realm) == ["a", "b"])
    }

    @Test func unescapesQuotedStringsAndLowercasesParameterNames() {
        let challenge = WWWAuthenticateChallenge.parse(#"Bearer Realm="say \"hi\"",SERVICE="s""#).first
        #expect(challenge?.realm == #"say "hi""#)
        #expect(challenge?.service == "s")
    }

    @Test func toleratesGarbage() {
        #expect(WWWAuthenticateChallenge.parse("").isEmpty)
        #expect(WWWAuthenticateChallenge.parse("   ,, ").isEmpty)
        let challenge = WWWAuthenticateChallenge.parse(#"Bearer realm="unterminated"#).first
        #expect(challenge?.realm == "unterminated")
    }
}
