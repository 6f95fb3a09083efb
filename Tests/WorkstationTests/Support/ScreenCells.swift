import Foundation

/// A tmux pane read cell by cell with its colours (`capture-pane -e`): each cell is its
/// character and the SGR state it was drawn with, so two screens can be compared cell by cell.
struct ScreenCells: Equatable {
    /// Rows of cells; a cell is "character|sgr".
    var rows: [[String]]

    /// Parses `capture-pane -p -e` output: printable characters advance a column, `ESC [ ... m`
    /// changes the current attributes (a reset clears them).
    init(captured text: String) {
        rows = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var cells: [String] = []
            var state = SGRState()
            var scalars = Array(line.unicodeScalars)[...]
            while let scalar = scalars.popFirst() {
                if scalar == "\u{1B}", scalars.first == "[" {
                    scalars.removeFirst()
                    var body = "", final: Unicode.Scalar = "m"
                    while let next = scalars.popFirst() {
                        if (0x40...0x7E).contains(next.value) { final = next; break }
                        body.unicodeScalars.append(next)
                    }
                    if final == "m" { state.apply(body) }
                    continue
                }
                cells.append(String(scalar) + "|" + state.description)
            }
            return cells
        }
    }

    /// The cells that differ from `other` (a missing cell counts as a blank in default colours),
    /// as "row,column: mine vs theirs".
    func differences(from other: ScreenCells) -> [String] {
        var out: [String] = []
        for r in 0..<max(rows.count, other.rows.count) {
            let a = r < rows.count ? rows[r] : [], b = r < other.rows.count ? other.rows[r] : []
            for c in 0..<max(a.count, b.count) {
                let x = c < a.count ? a[c] : Self.blank, y = c < b.count ? b[c] : Self.blank
                if Self.normalised(x) != Self.normalised(y) { out.append("\(r),\(c): \(x) vs \(y)") }
            }
        }
        return out
    }

    /// Trailing blanks in default colours are what capture-pane leaves out.
    private static func normalised(_ cell: String) -> String { cell == blank ? "" : cell }

    private static let blank = " |" + SGRState().description
}

/// The attributes an SGR sequence leaves: colours and the flags that change how a cell looks.
struct SGRState: CustomStringConvertible {
    var foreground = "", background = ""
    var flags: Set<Int> = []

    mutating func apply(_ body: String) {
        var params = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
        if params.isEmpty { params = [0] }
        while let p = params.popFirst() {
            switch p {
            case 0: foreground = ""; background = ""; flags = []
            case 38, 48:
                let mode = params.popFirst() ?? 0
                var value = ""
                if mode == 5 { value = "5:\(params.popFirst() ?? 0)" }
                if mode == 2 { value = "2:" + (0..<3).map { _ in "\(params.popFirst() ?? 0)" }.joined(separator: ":") }
                if p == 38 { foreground = value } else { background = value }
            case 39: foreground = ""
            case 49: background = ""
            case 30...37, 90...97: foreground = "i\(p)"
            case 40...47, 100...107: background = "i\(p)"
            case 1, 2, 3, 4, 5, 7, 8, 9: flags.insert(p)
            case 22: flags.remove(1); flags.remove(2)
            case 23, 24, 25, 27, 28, 29: flags.remove(p - 20)
            default: break
            }
        }
    }

    var description: String { "\(foreground)/\(background)/\(flags.sorted())" }
}
