/// Go's `%q` / `strconv.Quote` for the texts upstream messages quote (commands, URLs, outputs), so the
/// node agent's messages read like the upstream kubelet's.
///
/// Pure; safe from any thread.
enum GoQuoting {
    static func quote(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case "\u{07}": quoted += "\\a"
            case "\u{08}": quoted += "\\b"
            case "\u{0C}": quoted += "\\f"
            case "\u{0B}": quoted += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    quoted += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    /// Go's `%v` of a `[]string`: `[a b c]`.
    static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }
}
