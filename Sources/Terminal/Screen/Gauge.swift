/// The characters of a horizontal gauge (a slider's bar) with 1/8-cell precision.
public enum Gauge {
    /// Left-aligned blocks of 1/8 to 8/8 of a cell: U+258F ... U+2588.
    static let eighths: [Character] = ["\u{258F}", "\u{258E}", "\u{258D}", "\u{258C}", "\u{258B}", "\u{258A}", "\u{2589}", "\u{2588}"]

    /// `width` characters showing `fraction` (clamped to 0...1) filled from the left: full blocks,
    /// one partial block, then spaces. Drawn in the `.gauge` style the spaces show the empty track.
    /// With `unicode` false: '#' for filled cells (a half or more), '-' for the track.
    public static func cells(fraction: Double, width: Int, unicode: Bool = true) -> [Character] {
        guard width > 0 else { return [] }
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        if !unicode {
            let filled = Int((f * Double(width)).rounded())
            return Array(repeating: "#", count: filled) + Array(repeating: "-", count: width - filled)
        }
        let eighthsFilled = Int((f * Double(width * 8)).rounded())
        var out = Array(repeating: eighths[7], count: eighthsFilled / 8)
        if eighthsFilled % 8 > 0 { out.append(eighths[eighthsFilled % 8 - 1]) }
        out += Array(repeating: " ", count: width - out.count)
        return out
    }
}
