import KubeAPI
import Testing

@Test func kubeAPIBuilds() { #expect(Bool(true)) }
