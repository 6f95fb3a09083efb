import Imaging

extension PresetMask {
    /// The mask at `width` x `height`: 1 inside, 0 outside, a smooth ramp across the feather band.
    ///
    /// Positions are measured at pixel centres in normalised coordinates (u = (x + 0.5) / width,
    /// v = (y + 0.5) / height). The signed distance s to the boundary (positive inside) is
    /// `split - u` (leftRight), `split - v` (topBottom) or `split / 2 - |(u, v) - (0.5, 0.5)|`
    /// (centreEllipse: a circle in normalised coordinates, an ellipse in pixels). The value is
    /// smoothstep(0.5 + s / feather), so the boundary itself is 0.5 and the band is `feather` wide;
    /// with no feather the edge is hard (inside where s > 0, 0.5 exactly on it).
    /// Returns nil if either side is not positive.
    public func render(width: Int, height: Int) -> GrayImage? {
        guard width > 0, height > 0 else { return nil }
        var pixels = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            let v = (Float(y) + 0.5) / Float(height)
            for x in 0..<width {
                let u = (Float(x) + 0.5) / Float(width)
                pixels[y * width + x] = Self.ramp(signedDistance(u: u, v: v), feather: feather)
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Signed distance from (u, v) to the boundary in normalised units, positive inside.
    public func signedDistance(u: Float, v: Float) -> Float {
        switch shape {
        case .leftRight: return split - u
        case .topBottom: return split - v
        case .centreEllipse:
            let du = u - 0.5, dv = v - 0.5
            return split / 2 - (du * du + dv * dv).squareRoot()
        }
    }

    /// The mask value for signed distance `s` with a band `feather` wide.
    static func ramp(_ s: Float, feather: Float) -> Float {
        guard feather > 0 else { return s > 0 ? 1 : (s < 0 ? 0 : 0.5) }
        let t = min(max(0.5 + s / feather, 0), 1)
        return t * t * (3 - 2 * t)
    }
}
