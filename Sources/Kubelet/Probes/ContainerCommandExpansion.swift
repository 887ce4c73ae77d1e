public import KubeAPI

/// Upstream `ExpandContainerCommandOnlyStatic`: `$(NAME)` in an exec probe's or hook's command is replaced
/// by the container's env var NAME when it has a literal value; `$$` becomes `$`; unknown references stay
/// as written.
///
/// Pure; safe from any thread.
public enum ContainerCommandExpansion {
    public static func expand(_ command: [String], env: [EnvVar]) -> [String] {
        var values: [String: String] = [:]
        for variable in env where variable.valueFrom == nil {
            values[variable.name] = expand(variable.value, values: values)
        }
        return command.map { expand($0, values: values) }
    }

    static func expand(_ text: String, values: [String: String]) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var characters = Substring(text)
        while let dollar = characters.firstIndex(of: "$") {
            result += characters[..<dollar]
            let rest = characters[characters.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                characters = rest.dropFirst()
            } else if rest.first == "(", let close = rest.firstIndex(of: ")") {
                let name = String(rest[rest.index(after: rest.startIndex)..<close])
                result += values[name] ?? "$(\(name))"
                characters = rest[rest.index(after: close)...]
            } else {
                result += "$"
                characters = rest
            }
        }
        return result + characters
    }
}
