import Foundation
import KubeCore

/// The static token file of `--token-auth-file` (kube-apiserver's `tokenfile`): CSV lines of
/// `token,user,uid` with an optional fourth column of comma-separated groups (quote it:
/// `"group1,group2"`). Blank lines are skipped; lines with an empty token are skipped with a warning; a later
/// duplicate token wins, also with a warning.
///
/// Value type; Sendable.
public struct TokenFile: Sendable, Equatable {
    public var users: [String: UserInfo]
    /// Problems that did not stop loading (empty or duplicate tokens), one line each.
    public var warnings: [String]

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(TokenFileError) -> TokenFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(TokenFileError) -> TokenFile {
        var file = TokenFile(users: [:], warnings: [])
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields: [String]
            do throws(CSVLineError) {
                fields = try CSVLine.fields(of: line)
            } catch {
                throw .invalidLine(path: path, line: lineNumber, reason: error.description)
            }
            guard fields.count >= 3 else {
                throw .invalidLine(path: path, line: lineNumber,
                                   reason: "must have at least 3 columns (token, user name, user uid), found \(fields.count)")
            }
            let token = fields[0]
            if token.isEmpty {
                file.warnings.append("empty token in token file \(path), line \(lineNumber); the line is ignored")
                continue
            }
            if file.users[token] != nil {
                file.warnings.append("duplicate token in token file \(path), line \(lineNumber); the later line wins")
            }
            var user = UserInfo(name: fields[1], uid: fields[2])
            if fields.count >= 4 {
                user.groups = fields[3].split(separator: ",").map(String.init)
            }
            file.users[token] = user
        }
        return file
    }
}

/// Why `--token-auth-file` cannot be used; each names the file and, for content errors, the line.
///
/// Value type; Sendable.
public enum TokenFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalidLine(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read token file \(path): \(reason)"
        case .invalidLine(let path, let line, let reason): "token file \(path), line \(line): \(reason)"
        }
    }
}

/// One CSV record on one line, read like Go's `encoding/csv` with `TrimLeadingSpace`: fields separated by
/// commas, leading spaces dropped, `"quoted, fields"` with `""` for a quote.
///
/// Stateless; Sendable.
enum CSVLine {
    static func fields(of line: Substring) throws(CSVLineError) -> [String] {
        var fields: [String] = []
        var characters = line.makeIterator()
        var pending = characters.next()
        var column = 1
        while true {
            while let character = pending, character == " " || character == "\t" {
                pending = characters.next()
                column += 1
            }
            var field = ""
            if pending == "\"" {
                pending = characters.next()
                column += 1
                var closed = false
                while let character = pending {
                    pending = characters.next()
                    column += 1
                    if character == "\"" {
                        if pending == "\"" {
                            field.append("\"")
                            pending = characters.next()
                            column += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        field.append(character)
                    }
                }
                guard closed else { throw .unterminatedQuote }
                if let next = pending, next != "," { throw .textAfterQuote(column: column) }
            } else {
                while let character = pending, character != "," {
                    if character == "\"" { throw .bareQuote(column: column) }
                    field.append(character)
                    pending = characters.next()
                    column += 1
                }
            }
            fields.append(field)
            guard pending == "," else { break }
            pending = characters.next()
            column += 1
        }
        return fields
    }
}

/// A CSV syntax error in one line (Go's `csv.ParseError` wording).
///
/// Value type; Sendable.
enum CSVLineError: Error, Sendable, CustomStringConvertible {
    case bareQuote(column: Int)
    case textAfterQuote(column: Int)
    case unterminatedQuote

    var description: String {
        switch self {
        case .bareQuote(let column): "column \(column): bare \" in non-quoted field"
        case .textAfterQuote(let column): "column \(column): extraneous or missing \" in quoted field"
        case .unterminatedQuote: "extraneous or missing \" in quoted field (a quoted field must end on its line)"
        }
    }
}
