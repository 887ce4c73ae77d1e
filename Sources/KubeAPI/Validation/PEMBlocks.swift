import Foundation

/// One PEM block (`-----BEGIN TYPE-----`, optional `Key: value` headers, base64 body, `-----END TYPE-----`),
/// read the way Go's `encoding/pem` reads them: text around and between blocks is ignored, and a block whose
/// body is not valid base64 is not a block. Value type; Sendable.
struct PEMBlock: Sendable, Equatable {
    var type: String
    var headers: [String: String]
    var bytes: [UInt8]

    /// Every well-formed block in `data`, in order.
    static func blocks(in data: [UInt8]) -> [PEMBlock] {
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        var blocks: [PEMBlock] = []
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            guard line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 else { continue }
            let type = String(line.dropFirst(11).dropLast(5))
            var headers: [String: String] = [:]
            var body = ""
            var closed = false
            var inHeaders = true
            while index < lines.count {
                let current = lines[index].trimmingCharacters(in: .whitespaces)
                index += 1
                if current == "-----END \(type)-----" {
                    closed = true
                    break
                }
                if inHeaders, let colon = current.firstIndex(of: ":") {
                    headers[String(current[..<colon])] = current[current.index(after: colon)...]
                        .trimmingCharacters(in: .whitespaces)
                    continue
                }
                inHeaders = false
                body += current
            }
            if closed, let decoded = Data(base64Encoded: body) {
                blocks.append(PEMBlock(type: type, headers: headers, bytes: Array(decoded)))
            }
        }
        return blocks
    }
}

/// The outer shape of DER data: one complete ASN.1 SEQUENCE and nothing after it. Stateless namespace.
enum DERShape {
    /// Nil when `bytes` is one SEQUENCE; otherwise Go `encoding/asn1`'s message for the first problem.
    static func sequenceProblem(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 2 else { return "asn1: syntax error: sequence truncated" }
        guard bytes[0] == 0x30 else { return "asn1: structure error: tags don't match" }
        var length = 0
        var offset = 2
        if bytes[1] < 0x80 {
            length = Int(bytes[1])
        } else {
            let count = Int(bytes[1] & 0x7F)
            guard count > 0, count <= 4, bytes.count >= 2 + count else { return "asn1: syntax error: data truncated" }
            for byte in bytes[2..<(2 + count)] { length = length << 8 | Int(byte) }
            offset += count
        }
        if offset + length > bytes.count { return "asn1: syntax error: data truncated" }
        if offset + length < bytes.count { return "asn1: syntax error: trailing data" }
        return nil
    }
}
