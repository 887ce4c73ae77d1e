import Foundation
import KubeCore

/// The printer of certificates.k8s.io CertificateSigningRequests (upstream `printCertificateSigningRequest`).
/// Stateless namespace; the printer is an immutable Sendable value.
enum CertificatePrinters {
    static let certificateSigningRequest = TablePrinter.fields([
        .name,
        .age,
        PrinterColumns.text("SignerName", "The signer asked to issue the certificate."),
        PrinterColumns.text("Requestor", "The user who created the request."),
        PrinterColumns.text("RequestedDuration", "The validity the request asks for."),
        PrinterColumns.text("Condition", "Pending, Approved or Denied, with Failed and Issued when they apply."),
    ]) { request, object, now in
        let seconds = request["spec", "expirationSeconds"].int
        return [
            .string(object.name),
            .string(Age.of(object, now: now)),
            .string(request["spec", "signerName"].nonEmpty ?? "<none>"),
            .string(request["spec", "username"].text),
            .string(seconds.map { Age.human(TimeInterval($0)) } ?? "<none>"),
            .string(condition(request)),
        ]
    }

    /// Upstream `extractCSRStatus`: Denied over Approved over Pending, then `,Failed` and `,Issued`.
    static func condition(_ request: TableField) -> String {
        let types = Set(request["status", "conditions"].items.map { $0["type"].text })
        var text = types.contains("Denied") ? "Denied" : types.contains("Approved") ? "Approved" : "Pending"
        if types.contains("Failed") { text += ",Failed" }
        if request["status", "certificate"].nonEmpty != nil { text += ",Issued" }
        return text
    }
}
