import ContainerRuntime
import Testing

@Suite struct RegistryErrorTests {
    @Test func descriptionsReadLikeContainerdPullErrors() {
        let reference = "docker.io/library/nosuch:latest"
        let notFound = RegistryError(.notFound, stage: .resolve, detail: "\(reference): not found").withReference(reference)
        #expect(notFound.description == "failed to pull and unpack image \"\(reference)\": failed to resolve reference "
            + "\"\(reference)\": \(reference): not found")
        let copy = RegistryError(.digestMismatch, stage: .copy, detail: "blob x: mismatch").withReference(reference)
        #expect(copy.description == "failed to pull and unpack image \"\(reference)\": failed to copy: blob x: mismatch")
        let bare = RegistryError(.timeout, stage: .resolve, detail: "GET x: timed out")
        #expect(bare.description == "GET x: timed out")
        #expect(notFound == RegistryError(.notFound, stage: .resolve, detail: "\(reference): not found", reference: reference))
    }
}
