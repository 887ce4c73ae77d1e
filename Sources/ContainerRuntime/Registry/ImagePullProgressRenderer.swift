import Foundation

/// Turns ``ImagePullProgress`` steps into what `docker pull` prints: on a terminal one line per layer, redrawn
/// in place (`d8f0f0a1b2c3: Downloading [=====>     ]  1.2MB/3.4MB`); otherwise one plain line per state change.
/// The config blob is not shown, as in Docker.
///
/// A value type owned by one consumer (mutating); pure: it returns the text to write and takes `now` to limit
/// terminal redraws to one per line every ``minimumRedrawInterval``.
public struct ImagePullProgressRenderer: Sendable {
    /// Whether to redraw lines in place with ANSI cursor movement (standard output is a terminal).
    public let interactive: Bool
    public var minimumRedrawInterval: Duration = .milliseconds(100)

    private struct Line {
        var digest: ImageDigest
        var state: ImagePullProgress.State
        var text: String
        var drawn: ContinuousClock.Instant?
    }

    private var lines: [Line] = []

    public init(interactive: Bool) {
        self.interactive = interactive
    }

    /// The text to write for `progress` (often empty).
    public mutating func render(_ progress: ImagePullProgress, now: ContinuousClock.Instant) -> String {
        guard progress.kind == .layer else { return "" }
        let text = Self.line(for: progress)
        guard let index = lines.firstIndex(where: { $0.digest == progress.digest }) else {
            lines.append(Line(digest: progress.digest, state: progress.state, text: text, drawn: now))
            return (interactive ? text : Self.plainLine(for: progress)) + "\n"
        }
        var line = lines[index]
        let stateChanged = line.state != progress.state
        defer { lines[index] = line }
        if !interactive {
            guard stateChanged else { return "" }
            line.state = progress.state
            line.text = text
            return Self.plainLine(for: progress) + "\n"
        }
        guard text != line.text else { return "" }
        if !stateChanged, let drawn = line.drawn, now - drawn < minimumRedrawInterval { return "" }
        line.state = progress.state
        line.text = text
        line.drawn = now
        let up = lines.count - index
        return "\u{1B}[\(up)A\r\u{1B}[2K" + text + "\r\u{1B}[\(up)B"
    }

    /// The interactive line for a blob: `<12 hex>: <status> [bar] done/total`.
    static func line(for progress: ImagePullProgress) -> String {
        let id = progress.digest.shortHex
        switch progress.state {
        case .waiting: return "\(id): Pulling fs layer"
        case .downloading:
            return "\(id): Downloading " + bar(completed: progress.completedBytes, total: progress.totalBytes)
        case .verifying: return "\(id): Verifying Checksum"
        case .downloaded: return "\(id): Pull complete"
        case .alreadyExists: return "\(id): Already exists"
        }
    }

    /// The non-interactive line (no bar: it would repeat for every chunk).
    static func plainLine(for progress: ImagePullProgress) -> String {
        let id = progress.digest.shortHex
        return progress.state == .downloading ? "\(id): Downloading" : line(for: progress)
    }

    /// Docker's bar: 50 cells of `=` ending in `>`, then `done/total` in decimal units.
    static func bar(completed: Int, total: Int, width: Int = 50) -> String {
        guard total > 0 else { return humanSize(completed) }
        let filled = min(width, completed * width / total)
        let arrow = filled < width ? ">" : ""
        let cells = String(repeating: "=", count: max(0, filled - (arrow.isEmpty ? 0 : 1))) + (filled > 0 ? arrow : "")
        let padded = cells + String(repeating: " ", count: max(0, width - cells.count))
        return "[\(padded)] \(humanSize(completed))/\(humanSize(total))"
    }

    /// Sizes as Docker prints them: up to 4 significant digits, decimal units (`528.4kB`, `1.234MB`).
    static func humanSize(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        var digits = String(format: "%.4g", value)
        if digits.contains("e") { digits = String(format: "%.0f", value) }
        return digits + units[unit]
    }
}
