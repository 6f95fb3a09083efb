/// Column widths of text as a terminal shows it, and fitting text into columns.
///
/// Widths follow wcwidth's rules without depending on the C locale: East Asian wide and
/// emoji-presentation characters take two columns, combining marks and format characters none.
public enum TerminalText {
    /// Columns taken by one character (a grapheme cluster): 0, 1 or 2.
    public static func width(_ character: Character) -> Int {
        var result = 0
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F { return 2 }  // emoji presentation selector
            if result == 0 { result = width(scalar) }
        }
        return result
    }

    /// Columns taken by `text`.
    public static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + width($1) }
    }

    /// Columns taken by a single scalar.
    public static func width(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        for range in wideRanges where range.contains(v) { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth blocks.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// `text` cut to at most `columns` columns; when cut, the last column shows `ellipsis`.
    public static func truncated(_ text: String, toWidth columns: Int, ellipsis: Character = "…") -> String {
        guard columns > 0 else { return "" }
        if width(text) <= columns { return text }
        var out = "", used = 0
        let room = columns - width(ellipsis)
        for c in text {
            let w = width(c)
            if used + w > room { break }
            out.append(c)
            used += w
        }
        if room >= 0 { out.append(ellipsis) }
        return out
    }

    /// `text` padded with spaces (or truncated) to exactly `columns` columns.
    public static func padded(_ text: String, toWidth columns: Int) -> String {
        let cut = truncated(text, toWidth: columns)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }

    /// `text` broken into lines of at most `columns` columns, at spaces where possible; words
    /// longer than a line are split. Existing newlines are kept.
    public static func wrapped(_ text: String, toWidth columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = String(word)
                var w = width(word)
                if lineWidth > 0 && lineWidth + 1 + w <= columns {
                    line += " " + word
                    lineWidth += 1 + w
                    continue
                }
                if lineWidth > 0 { lines.append(line); line = ""; lineWidth = 0 }
                while w > columns {
                    var head = "", headWidth = 0
                    for c in word {
                        if headWidth + width(c) > columns { break }
                        head.append(c)
                        headWidth += width(c)
                    }
                    lines.append(head)
                    word = String(word.dropFirst(head.count))
                    w = width(word)
                }
                line = word
                lineWidth = w
            }
            lines.append(line)
        }
        return lines
    }
}
