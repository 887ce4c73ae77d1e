import Foundation

/// The `swiftlet image ls` table, like `crictl images`: IMAGE, TAG, IMAGE ID (12 hex digits), SIZE.
///
/// Pure functions; Sendable.
public enum ImageListing {
    /// One row per name (a dangling image gets one `<none>` row), columns padded to the widest cell.
    public static func table(_ images: [StoredImage]) -> String {
        var rows: [[String]] = [["IMAGE", "TAG", "IMAGE ID", "SIZE"]]
        for image in images {
            let size = humanSize(image.size)
            if image.names.isEmpty {
                rows.append(["<none>", "<none>", image.shortID, size])
            }
            for name in image.names {
                let reference = try? ImageReference(parsing: name)
                rows.append([reference?.repositoryName ?? name, reference?.tag ?? "<none>", image.shortID, size])
            }
        }
        var widths = [Int](repeating: 0, count: 4)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }

    /// Decimal sizes with three significant digits, as Docker's go-units prints them: `512B`, `1.5kB`,
    /// `4.27MB`.
    public static func humanSize(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: "%.3g", value) + units[unit]
    }
}
