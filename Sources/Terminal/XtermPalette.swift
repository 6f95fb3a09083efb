/// The xterm 256-colour palette: 16 system colours, a 6x6x6 colour cube (16-231) and 24 greys
/// (232-255), and nearest-colour lookups into it.
public enum XtermPalette {
    /// The six channel levels of the colour cube.
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// xterm's default values for the 16 system colours (terminals and users often change these).
    public static let systemColors: [TrueColor] = [
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
        0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    ].map { TrueColor(red: UInt8($0 >> 16), green: UInt8($0 >> 8 & 0xff), blue: UInt8($0 & 0xff)) }

    /// The colour of palette entry `index` (0-255; out-of-range indices are clamped).
    public static func color(at index: Int) -> TrueColor {
        let i = min(max(index, 0), 255)
        if i < 16 { return systemColors[i] }
        if i >= 232 {
            let v = UInt8(8 + 10 * (i - 232))
            return TrueColor(red: v, green: v, blue: v)
        }
        let c = i - 16
        return TrueColor(red: cubeLevels[c / 36], green: cubeLevels[c / 6 % 6], blue: cubeLevels[c % 6])
    }

    /// The nearest entry of the cube or the grey ramp (16-255), which unlike the system colours
    /// look the same in every terminal. This is the quantiser for 256-colour output.
    public static func nearest256(_ color: TrueColor) -> Int {
        let r = Int(color.red), g = Int(color.green), b = Int(color.blue)
        let qr = cubeStep(r), qg = cubeStep(g), qb = cubeStep(b)
        let cubeIndex = 16 + 36 * qr + 6 * qg + qb
        let cube = TrueColor(red: cubeLevels[qr], green: cubeLevels[qg], blue: cubeLevels[qb])
        if cube == color { return cubeIndex }
        let average = (r + g + b) / 3
        let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
        let greyValue = UInt8(8 + 10 * greyStep)
        let grey = TrueColor(red: greyValue, green: greyValue, blue: greyValue)
        return grey.distanceSquared(to: color) < cube.distanceSquared(to: color) ? 232 + greyStep : cubeIndex
    }

    /// The nearest of the first `count` palette entries (8 or 16 for basic terminals, judged by
    /// xterm's default values; 256 uses `nearest256`).
    /// Greys only match the neutral system colours (black, grey, white), so a grey border never
    /// turns red.
    public static func nearest(_ color: TrueColor, amongFirst count: Int) -> Int {
        if count >= 256 { return nearest256(color) }
        return nearestBasic(color, among: basicCandidates(for: color, count: count))
    }

    /// The system colours a colour may map to in an 8/16-colour terminal.
    private static func basicCandidates(for color: TrueColor, count: Int) -> [Int] {
        let all = Array(0..<max(1, min(count, 16)))
        let channels = [Int(color.red), Int(color.green), Int(color.blue)]
        let isGrey = (channels.max() ?? 0) - (channels.min() ?? 0) < 32
        return isGrey ? all.filter { [0, 7, 8, 15].contains($0) } : all
    }

    private static func nearestBasic(_ color: TrueColor, among candidates: [Int]) -> Int {
        var best = candidates.first ?? 0, bestDistance = Int.max
        for i in candidates {
            let d = systemColors[i].distanceSquared(to: color)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    /// Like `nearest(_:amongFirst:)` but never `excluded`: for a text colour that would otherwise
    /// vanish into a background mapped to the same entry (dark grey borders on black in 8 colours).
    public static func nearest(_ color: TrueColor, amongFirst count: Int, excluding excluded: Int) -> Int {
        let first = nearest(color, amongFirst: count)
        guard first == excluded else { return first }
        if count < 256 {
            let candidates = basicCandidates(for: color, count: count).filter { $0 != excluded }
            return candidates.isEmpty ? first : nearestBasic(color, among: candidates)
        }
        var best = first, bestDistance = Int.max
        for i in 16..<256 where i != excluded {
            let d = Self.color(at: i).distanceSquared(to: color)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    /// Index (0-5) of the cube level nearest to channel value `v`.
    private static func cubeStep(_ v: Int) -> Int {
        if v < 48 { return 0 }
        if v < 115 { return 1 }
        return min(5, (v - 35) / 40)
    }
}
