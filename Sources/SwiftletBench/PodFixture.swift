/// The pod the API benchmark creates: one container with ports, environment, resources, a probe and the
/// service-account token volume and tolerations that upstream admission adds, three labels and an
/// annotation, like a small Deployment's pod. The request is about 1.5 KB of JSON; with server-side defaults,
/// identity and `managedFields` the stored object is about 3.5 KB.
///
/// Concurrency contract: stateless.
enum PodFixture {
    static func body(name: String, namespace: String) -> [UInt8] {
        Array("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","namespace":"\(namespace)",\
        "labels":{"app":"bench","tier":"web","pod-template-hash":"5d8f7c9b6d"},\
        "annotations":{"bench.swiftlet.dev/purpose":"api benchmark"}},\
        "spec":{"containers":[{"name":"app","image":"registry.k8s.io/e2e-test-images/agnhost:2.52",\
        "args":["netexec","--http-port=8080"],"ports":[{"name":"http","containerPort":8080}],\
        "env":[{"name":"MODE","value":"bench"},{"name":"LOG_LEVEL","value":"info"}],\
        "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}},\
        "readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":5},\
        "volumeMounts":[{"name":"kube-api-access-x7k2q","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount",\
        "readOnly":true}]}],\
        "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute",\
        "tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute",\
        "tolerationSeconds":300}],\
        "volumes":[{"name":"kube-api-access-x7k2q","projected":{"defaultMode":420,"sources":[\
        {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},\
        {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},\
        {"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},\
        "path":"namespace"}]}}]}}]}}
        """.utf8)
    }

    static func namespaceBody(_ name: String) -> [UInt8] {
        Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(name)"}}"#.utf8)
    }
}
