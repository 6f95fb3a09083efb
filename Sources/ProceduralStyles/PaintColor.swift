import Foundation

/// A linear-ish RGB colour with components in [0, 1], the unit of every palette.
public struct PaintColor: Equatable, Sendable {
    /// Red component.
    public var r: Float
    /// Green component.
    public var g: Float
    /// Blue component.
    public var b: Float

    /// A colour from three components.
    public init(_ r: Float, _ g: Float, _ b: Float) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// A colour from a 24-bit hex value such as `0x1f4e8c`.
    public init(hex: UInt32) {
        r = Float((hex >> 16) & 0xff) / 255
        g = Float((hex >> 8) & 0xff) / 255
        b = Float(hex & 0xff) / 255
    }

    /// A colour from hue (turns, any real), saturation and value in [0, 1].
    public init(hue: Float, saturation: Float, value: Float) {
        let h = (hue - hue.rounded(.down)) * 6
        let sector = Int(h) % 6
        let f = h - Float(Int(h))
        let p = value * (1 - saturation)
        let q = value * (1 - saturation * f)
        let t = value * (1 - saturation * (1 - f))
        switch sector {
        case 0: self.init(value, t, p)
        case 1: self.init(q, value, p)
        case 2: self.init(p, value, t)
        case 3: self.init(p, q, value)
        case 4: self.init(t, p, value)
        default: self.init(value, p, q)
        }
    }

    /// Hue (turns in [0, 1)), saturation and value: the inverse of `init(hue:saturation:value:)`.
    public var hsv: (hue: Float, saturation: Float, value: Float) {
        let high = max(r, g, b), low = min(r, g, b)
        let chroma = high - low
        guard high > 0, chroma > 0 else { return (0, 0, high) }
        var hue: Float
        if high == r {
            hue = (g - b) / chroma
        } else if high == g {
            hue = 2 + (b - r) / chroma
        } else {
            hue = 4 + (r - g) / chroma
        }
        hue /= 6
        if hue < 0 { hue += 1 }
        return (hue, chroma / high, high)
    }

    /// Perceived brightness (Rec. 601 weights).
    public var luma: Float { 0.299 * r + 0.587 * g + 0.114 * b }

    /// The colour `t` of the way from `self` to `other`.
    @inlinable
    public func mixed(with other: PaintColor, _ t: Float) -> PaintColor {
        PaintColor(r + (other.r - r) * t, g + (other.g - g) * t, b + (other.b - b) * t)
    }

    /// Every component multiplied by `k`.
    @inlinable
    public func scaled(_ k: Float) -> PaintColor {
        PaintColor(r * k, g * k, b * k)
    }

    /// Every component clamped to [0, 1].
    @inlinable
    public var clamped: PaintColor {
        PaintColor(min(max(r, 0), 1), min(max(g, 0), 1), min(max(b, 0), 1))
    }

    /// Component-wise sum.
    @inlinable
    public static func + (a: PaintColor, b: PaintColor) -> PaintColor {
        PaintColor(a.r + b.r, a.g + b.g, a.b + b.b)
    }

    /// Component-wise product (subtractive, glaze-like mixing).
    @inlinable
    public static func * (a: PaintColor, b: PaintColor) -> PaintColor {
        PaintColor(a.r * b.r, a.g * b.g, a.b * b.b)
    }
}

/// Smooth Hermite step from 0 at `edge0` to 1 at `edge1`.
@inlinable
func smoothstep(_ edge0: Float, _ edge1: Float, _ x: Float) -> Float {
    let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
    return t * t * (3 - 2 * t)
}

/// `x` clamped to [0, 1].
@inlinable
func saturate(_ x: Float) -> Float {
    min(max(x, 0), 1)
}
