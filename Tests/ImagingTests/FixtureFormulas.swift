/// The pixel formulas of Fixtures/make_fixtures.py, so fixture tests can assert exact values.
enum FixtureFormulas {
    /// Fixture width and height.
    static let width = 13, height = 7

    static func sample8(_ x: Int, _ y: Int, _ c: Int) -> Int { (x * 19 + y * 37 + c * 85 + 3) % 256 }
    static func sample16(_ x: Int, _ y: Int, _ c: Int) -> Int { (x * 4877 + y * 9241 + c * 21139 + 257) % 65536 }
    static func alpha8(_ x: Int, _ y: Int) -> Int { (x * 20 + y * 36) % 256 }
    static func alpha16(_ x: Int, _ y: Int) -> Int { (x * 5003 + y * 9001) % 65536 }

    static let palette: [(Int, Int, Int)] = (0..<16).map { ($0 * 16, 255 - $0 * 16, ($0 * 53) % 256) }
    /// tRNS has 12 entries; palette entries 12...15 are opaque.
    static func paletteAlpha(_ index: Int) -> Int { index < 12 ? (index * 17) % 256 : 255 }
    static func paletteIndex(_ x: Int, _ y: Int) -> Int { (x + 3 * y) % 16 }
    static func gray2(_ x: Int, _ y: Int) -> Int { (x + y) % 4 }

    /// 8-bit value as a float sample.
    static func f8(_ v: Int) -> Float { Float(v) / 255 }
    /// 16-bit value as a float sample.
    static func f16(_ v: Int) -> Float { Float(v) / 65535 }
    /// Straight colour over white.
    static func overWhite(_ value: Float, _ alpha: Float) -> Float { value * alpha + (1 - alpha) }
}
