import Foundation

/// One Swift source file of a target.
struct SourceFile: Sendable {
    /// The target (the directory under `Sources/`).
    let target: String
    /// The path relative to the package root, for messages.
    let path: String
    let contents: String
}

/// One `import` that the rules forbid.
struct ImportViolation: Sendable, Equatable, CustomStringConvertible {
    enum Reason: Sendable, Equatable {
        /// A Swiftlet target imports a Swiftlet target of a higher layer.
        case upward(fromLayer: Int, toLayer: Int)
        /// A Swiftlet target imports a Swiftlet target of the same or a lower layer that its rule omits.
        case undeclaredTarget
        /// An SDK or third-party module its rule omits.
        case moduleNotAllowed
        /// The target has no rule at all.
        case targetWithoutRule
    }

    let path: String
    let line: Int
    let target: String
    let module: String
    let reason: Reason

    var description: String {
        switch reason {
        case .upward(let from, let to):
            "\(path):\(line): \(target) (L\(from)) imports \(module) (L\(to)): upward import"
        case .undeclaredTarget:
            "\(path):\(line): \(target) imports \(module), which its row of the allowed-imports table omits"
        case .moduleNotAllowed:
            "\(path):\(line): \(target) imports \(module), a module its row of the allowed-imports table omits"
        case .targetWithoutRule:
            "\(path):\(line): target \(target) has no row in the allowed-imports table (AllowedImports.swift "
                + "and docs/ARCHITECTURE.md)"
        }
    }
}

/// Reads `import` declarations from Swift source text and checks them against `AllowedImports`.
enum LayeringChecker {
    private static let accessModifiers: Set<Substring> = ["public", "package", "internal", "fileprivate", "private"]
    private static let importKinds: Set<Substring> = [
        "typealias", "struct", "class", "enum", "protocol", "let", "var", "func",
    ]

    /// The module named by every import declaration in `contents` (`import X`, `public import X`,
    /// `@testable import X`, `@preconcurrency internal import X`, `import struct X.Y`, ...), with its
    /// 1-based line. Lines inside comments and multi-line string literals are skipped.
    static func imports(in contents: String) -> [(line: Int, module: String)] {
        var result: [(line: Int, module: String)] = []
        var inBlockComment = false
        var inMultilineString = false
        for (index, rawLine) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let quotes = line.components(separatedBy: "\"\"\"").count - 1
            if inMultilineString {
                if quotes % 2 == 1 { inMultilineString = false }
                continue
            }
            if inBlockComment {
                if line.contains("*/") { inBlockComment = false }
                continue
            }
            if line.hasPrefix("//") { continue }
            if line.hasPrefix("/*") {
                if !line.contains("*/") { inBlockComment = true }
                continue
            }
            if quotes % 2 == 1 {
                inMultilineString = true
                continue
            }
            if let module = importedModule(line) { result.append((index + 1, module)) }
        }
        return result
    }

    /// The module a single line imports, or nil when the line is not an import declaration.
    static func importedModule<Line: StringProtocol>(_ line: Line) -> String? {
        var tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = tokens.first, first.hasPrefix("@") { tokens.removeFirst() }
        if let first = tokens.first, accessModifiers.contains(Substring(first)) { tokens.removeFirst() }
        guard tokens.first == "import" else { return nil }
        tokens.removeFirst()
        if let first = tokens.first, importKinds.contains(Substring(first)) { tokens.removeFirst() }
        guard let path = tokens.first,
              let module = path.split(separator: ".").first?.split(separator: ";").first,
              !module.isEmpty
        else { return nil }
        return String(module)
    }

    /// Every forbidden import in `files` under `rules`.
    static func violations(in files: [SourceFile], rules: [String: AllowedImports.Rule]) -> [ImportViolation] {
        var violations: [ImportViolation] = []
        for file in files {
            for (line, module) in imports(in: file.contents) {
                func violation(_ reason: ImportViolation.Reason) -> ImportViolation {
                    ImportViolation(path: file.path, line: line, target: file.target, module: module, reason: reason)
                }
                guard let rule = rules[file.target] else {
                    violations.append(violation(.targetWithoutRule))
                    continue
                }
                if module == file.target { continue }
                if let imported = rules[module] {
                    if imported.layer > rule.layer {
                        violations.append(violation(.upward(fromLayer: rule.layer, toLayer: imported.layer)))
                    } else if !rule.targets.contains(module) {
                        violations.append(violation(.undeclaredTarget))
                    }
                } else if !rule.modules.contains(module) {
                    violations.append(violation(.moduleNotAllowed))
                }
            }
        }
        return violations
    }

    /// Rows of `rules` that themselves break the layering: allowing an upward target, an unknown target or
    /// the target itself.
    static func inconsistencies(in rules: [String: AllowedImports.Rule]) -> [String] {
        var problems: [String] = []
        for (target, rule) in rules.sorted(by: { $0.key < $1.key }) {
            for allowed in rule.targets.sorted() {
                guard let other = rules[allowed] else {
                    problems.append("\(target) allows \(allowed), which has no row")
                    continue
                }
                if allowed == target { problems.append("\(target) allows itself") }
                if other.layer > rule.layer {
                    problems.append("\(target) (L\(rule.layer)) allows upward \(allowed) (L\(other.layer))")
                }
            }
        }
        return problems
    }

    /// The package root: three levels above this file (`<root>/Tests/ArchitectureTests/<file>`).
    static func packageRoot(filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The target directories under `<root>/Sources`.
    static func targetDirectories(root: URL) throws -> [String] {
        let sources = root.appendingPathComponent("Sources")
        return try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(
                    atPath: sources.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    /// Every `Sources/<Target>/**/*.swift` file.
    static func sourceFiles(root: URL) throws -> [SourceFile] {
        var files: [SourceFile] = []
        for target in try targetDirectories(root: root) {
            let directory = root.appendingPathComponent("Sources").appendingPathComponent(target)
            guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                guard relative.hasSuffix(".swift") else { continue }
                let url = directory.appendingPathComponent(relative)
                files.append(
                    SourceFile(
                        target: target, path: "Sources/\(target)/\(relative)",
                        contents: try String(contentsOf: url, encoding: .utf8)))
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
