/// Upstream `third_party/forked/golang/expansion`: `$(VAR)` references in env values, command, args and
/// `subPathExpr`. `$$` is an escaped `$`; an unresolved reference stays literally (`$(VAR)`); an incomplete
/// `$(` and a `$` before any other character are copied unchanged. Works on UTF-8 bytes like the Go code.
///
/// Stateless; pure functions.
public enum VariableExpansion {
    /// Expands every `$(NAME)` in `input` through `mapping`.
    public static func expand(_ input: String, mapping: (String) -> String) -> String {
        let bytes = Array(input.utf8)
        let dollar = UInt8(ascii: "$"), opener = UInt8(ascii: "("), closer = UInt8(ascii: ")")
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var checkpoint = 0
        var cursor = 0
        while cursor < bytes.count {
            if bytes[cursor] == dollar, cursor + 1 < bytes.count {
                output.append(contentsOf: bytes[checkpoint..<cursor])
                let next = bytes[cursor + 1]
                var advance = 1
                if next == dollar {
                    output.append(dollar)
                } else if next == opener {
                    var closing: Int?
                    var index = cursor + 2
                    while index < bytes.count {
                        if bytes[index] == closer { closing = index; break }
                        index += 1
                    }
                    if let closing {
                        let name = String(decoding: bytes[(cursor + 2)..<closing], as: UTF8.self)
                        output.append(contentsOf: Array(mapping(name).utf8))
                        advance = closing - cursor
                    } else {
                        output.append(contentsOf: [dollar, opener])
                    }
                } else {
                    output.append(contentsOf: [dollar, next])
                }
                cursor += advance
                checkpoint = cursor + 1
            }
            cursor += 1
        }
        if checkpoint < bytes.count { output.append(contentsOf: bytes[checkpoint...]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Upstream `MappingFuncFor`: the first context holding the name wins; unknown names map to `$(NAME)`.
    public static func mapping(_ contexts: [String: String]...) -> (String) -> String {
        { name in
            for context in contexts {
                if let value = context[name] { return value }
            }
            return "$(\(name))"
        }
    }
}
