import KubeCore
import Testing

@Suite struct GroupVersionTests {
    @Test(arguments: [
        ("apps/v1", "apps", "v1"),
        ("v1", "", "v1"),
        ("", "", ""),
        ("/", "", ""),
        ("rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io", "v1beta1"),
        ("apps/", "apps", ""),
    ])
    func parses(text: String, group: String, version: String) throws {
        #expect(try GroupVersion(parsing: text) == GroupVersion(group: group, version: version))
    }

    @Test func rejectsMoreThanOneSlash() {
        let error = #expect(throws: GroupVersionParseError.self) { try GroupVersion(parsing: "a/b/c") }
        #expect(error?.description.hasPrefix("unexpected GroupVersion string: a/b/c") == true)
    }

    @Test func rendersAPIVersion() {
        #expect(GroupVersion(group: "", version: "v1").apiVersion == "v1")
        #expect(GroupVersion(group: "apps", version: "v1").apiVersion == "apps/v1")
        #expect(GroupVersionKind(group: "apps", version: "v1", kind: "Deployment").apiVersion == "apps/v1")
    }

    @Test func upstreamStringForms() throws {
        #expect(GroupVersionKind(group: "", version: "v1", kind: "Pod").description == "/v1, Kind=Pod")
        #expect(GroupVersionResource(group: "apps", version: "v1", resource: "deployments").description == "apps/v1, Resource=deployments")
        #expect(GroupResource(group: "", resource: "pods").description == "pods")
        #expect(GroupResource(group: "apps", resource: "deployments").description == "deployments.apps")
        #expect(GroupKind(group: "apps", kind: "Deployment").description == "Deployment.apps")
        #expect(GroupKind(group: "", kind: "Pod").description == "Pod")
    }

    @Test func parsesGroupResourceAndKind() {
        #expect(GroupResource(parsing: "deployments.apps") == GroupResource(group: "apps", resource: "deployments"))
        #expect(GroupResource(parsing: "ingresses.networking.k8s.io") == GroupResource(group: "networking.k8s.io", resource: "ingresses"))
        #expect(GroupResource(parsing: "pods") == GroupResource(group: "", resource: "pods"))
        #expect(GroupKind(parsing: "Deployment.apps") == GroupKind(group: "apps", kind: "Deployment"))
    }

    @Test func conversionsAndHashing() throws {
        let gvk = try GroupVersionKind(apiVersion: "batch/v1", kind: "Job")
        #expect(gvk.groupVersion == GroupVersion(group: "batch", version: "v1"))
        #expect(gvk.groupKind == GroupKind(group: "batch", kind: "Job"))
        let gvr = GroupVersion(group: "batch", version: "v1").withResource("jobs")
        #expect(gvr.groupResource.withVersion("v1") == gvr)
        #expect(Set([gvk, GroupVersion(group: "batch", version: "v1").withKind("Job")]).count == 1)
    }

    @Test func groupVersionIsCodableAsString() throws {
        #expect(try encodedJSON(Box(value: GroupVersion(group: "apps", version: "v1"))) == #"{"value":"apps/v1"}"#)
        #expect(try decodeJSON(Box<GroupVersion>.self, #"{"value":"v1"}"#).value == GroupVersion(group: "", version: "v1"))
        #expect(throws: DecodingError.self) { try decodeJSON(Box<GroupVersion>.self, #"{"value":"a/b/c"}"#) }
    }
}
