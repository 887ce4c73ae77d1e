import Foundation
import KubeCore
import Testing

@testable import APIServer

/// Columns and cells of the rbac and certificates printers.
extension TablePrinterTests {
    static let accessColumnCases: [(group: String, kind: String, columns: [String], wide: [String])] = [
        ("rbac.authorization.k8s.io", "Role", ["Name", "Created At"], []),
        ("rbac.authorization.k8s.io", "ClusterRole", ["Name", "Created At"], []),
        ("rbac.authorization.k8s.io", "RoleBinding", ["Name", "Role", "Age"], ["Users", "Groups", "ServiceAccounts"]),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding", ["Name", "Role", "Age"], ["Users", "Groups", "ServiceAccounts"]),
        ("certificates.k8s.io", "CertificateSigningRequest",
         ["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"], []),
    ]

    @Test(arguments: accessColumnCases.indices)
    func accessColumns(index: Int) throws {
        let expected = Self.accessColumnCases[index]
        let printer = try #require(BuiltinPrinters.printer(group: expected.group, kind: expected.kind))
        #expect(printer.columns.filter { $0.priority == 0 }.map(\.name) == expected.columns)
        #expect(printer.columns.filter { $0.priority == 1 }.map(\.name) == expected.wide)
    }

    static let accessCases: [Case] = [
        Case(label: "role", group: "rbac.authorization.k8s.io", kind: "Role", object: """
            {"metadata":{"name":"pod-reader","namespace":"default","creationTimestamp":"2024-05-01T10:00:00Z"},"rules":[]}
            """, cells: ["pod-reader", "2024-05-01T10:00:00Z"]),
        Case(label: "role binding", group: "rbac.authorization.k8s.io", kind: "RoleBinding", object: """
            {"metadata":{"name":"read-pods","creationTimestamp":"\(ago(300))"},
             "subjects":[{"kind":"User","name":"alice"},{"kind":"User","name":"bob"},{"kind":"Group","name":"devs"},
                         {"kind":"ServiceAccount","name":"builder","namespace":"ci"}],
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"}}
            """, cells: ["read-pods", "Role/pod-reader", "5m", "alice, bob", "devs", "ci/builder"]),
        Case(label: "cluster role binding without subjects", group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding",
             object: """
            {"metadata":{"name":"admins","creationTimestamp":"\(ago(86400 * 3))"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"}}
            """, cells: ["admins", "ClusterRole/cluster-admin", "3d", "", "", ""]),
        Case(label: "pending csr", group: "certificates.k8s.io", kind: "CertificateSigningRequest", object: """
            {"metadata":{"name":"alice","creationTimestamp":"\(ago(30))"},
             "spec":{"signerName":"kubernetes.io/kube-apiserver-client","username":"admin","expirationSeconds":86400},"status":{}}
            """, cells: ["alice", "30s", "kubernetes.io/kube-apiserver-client", "admin", "24h", "Pending"]),
        Case(label: "approved and issued csr", group: "certificates.k8s.io", kind: "CertificateSigningRequest", object: """
            {"metadata":{"name":"node","creationTimestamp":"\(ago(3600))"},"spec":{},
             "status":{"conditions":[{"type":"Approved","status":"True"},{"type":"Failed","status":"True"}],"certificate":"LS0t"}}
            """, cells: ["node", "60m", "<none>", "", "<none>", "Approved,Failed,Issued"]),
        Case(label: "denied csr", group: "certificates.k8s.io", kind: "CertificateSigningRequest", object: """
            {"metadata":{"name":"x","creationTimestamp":"\(ago(60))"},"spec":{"signerName":"example.com/s","expirationSeconds":600},
             "status":{"conditions":[{"type":"Approved","status":"True"},{"type":"Denied","status":"True"}]}}
            """, cells: ["x", "60s", "example.com/s", "", "10m", "Denied"]),
    ]

    @Test(arguments: accessCases)
    func access(_ testCase: Case) throws {
        try Self.run(testCase)
    }
}
