import Foundation
import Testing

/// The layering check of docs/ARCHITECTURE.md: no target imports a module its row does not allow.
@Suite struct LayeringTests {
    let root = LayeringChecker.packageRoot()

    @Test func packageRootIsFound() {
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path))
    }

    @Test func everyTargetImportsOnlyWhatTheTableAllows() throws {
        let files = try LayeringChecker.sourceFiles(root: root)
        #expect(files.count > 10, "expected to find the package's sources under \(root.path)/Sources")
        let violations = LayeringChecker.violations(in: files, rules: AllowedImports.rules)
        #expect(
            violations.isEmpty,
            Comment(
                rawValue: "Forbidden imports (fix the import, or change docs/ARCHITECTURE.md and "
                    + "AllowedImports.swift together):\n" + violations.map(\.description).joined(separator: "\n")))
    }

    @Test func everySourcesDirectoryHasARow() throws {
        let targets = try LayeringChecker.targetDirectories(root: root)
        #expect(!targets.isEmpty)
        let missing = targets.filter { AllowedImports.rules[$0] == nil }
        #expect(missing.isEmpty, "Targets without a row in AllowedImports.rules: \(missing)")
        let markedExisting = AllowedImports.rules.filter(\.value.exists).keys.sorted()
        #expect(Set(markedExisting).isSubset(of: targets), "Rows marked `exists` without a directory")
    }

    @Test func theTableItselfNeverAllowsAnUpwardImport() {
        let problems = LayeringChecker.inconsistencies(in: AllowedImports.rules)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    // MARK: The checker catches violations

    @Test func checkerReportsAnUpwardImport() {
        let files = [
            SourceFile(
                target: "KubeCore", path: "Sources/KubeCore/Bad.swift",
                contents: "import Foundation\n\n@testable import KubeStorage\n"),
            SourceFile(
                target: "KubeStorage", path: "Sources/KubeStorage/Fine.swift",
                contents: "public import KubeCore\ninternal import GRDB\nimport Logging\n"),
        ]
        let violations = LayeringChecker.violations(in: files, rules: AllowedImports.rules)
        #expect(
            violations == [
                ImportViolation(
                    path: "Sources/KubeCore/Bad.swift", line: 3, target: "KubeCore", module: "KubeStorage",
                    reason: .upward(fromLayer: 0, toLayer: 1))
            ])
    }

    @Test func checkerReportsSidewaysImportsForbiddenModulesAndUnknownTargets() {
        let files = [
            SourceFile(target: "KubeStorage", path: "a.swift", contents: "import KubeAPI"),
            SourceFile(target: "KubeCore", path: "b.swift", contents: "public import Logging"),
            SourceFile(target: "KubeCore", path: "c.swift", contents: "#if canImport(Glibc)\nimport Glibc\n#endif"),
            SourceFile(target: "NewThing", path: "d.swift", contents: "import Foundation"),
        ]
        let reasons = LayeringChecker.violations(in: files, rules: AllowedImports.rules).map(\.reason)
        #expect(reasons == [.undeclaredTarget, .moduleNotAllowed, .moduleNotAllowed, .targetWithoutRule])
    }

    @Test func checkerFindsEveryImportForm() {
        let source = """
            import Foundation
            public import Logging
            @testable import KubeStorage
            internal import GRDB
            @preconcurrency package import Dispatch
            import struct ArgumentParser.Flag
              import Glibc.stdio
            // import CommentedOut
            /*
            import InBlockComment
            */
            let text = \"""
            import InString
            \"""
            let important = 1
            """
        let modules = LayeringChecker.imports(in: source).map(\.module)
        #expect(modules == ["Foundation", "Logging", "KubeStorage", "GRDB", "Dispatch", "ArgumentParser", "Glibc"])
    }
}
