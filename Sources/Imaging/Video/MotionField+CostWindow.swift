extension MotionField {
    /// The 5x5 block costs (sums of absolute differences) of every candidate displacement in a
    /// (2r+1) x (2r+1) window, worked out together: the candidates of one window row sit in the
    /// lanes of one vector (a row of `b` read once for all of them), so the rows' sums run side
    /// by side instead of one after another. Each lane adds its 25 terms in the order
    /// `MotionField`'s one-candidate cost does, from zero, so every cost has the same bits.
    /// Only for windows whose blocks all lie inside the arrays given (the frames' edge-replicated
    /// copies, `MotionField.replicated`: no clamping).
    struct CostWindow {
        /// The search radius r (1 or 3 here; any r up to 3).
        let radius: Int
        /// Row `j` (displacement `j - radius` from the centre) holds lanes for `-radius...radius`.
        private var rows: [SIMD8<Float>]

        init(radius: Int) {
            precondition(radius >= 0 && radius <= 3, "a cost window holds at most 7 candidates a row")
            self.radius = radius
            rows = [SIMD8<Float>](repeating: .zero, count: 2 * radius + 1)
        }

        /// The cost of displacement (`cx + ox`, `cy + oy`) last filled, |ox|, |oy| <= radius.
        @inline(__always)
        func cost(_ ox: Int, _ oy: Int) -> Float { rows[oy + radius][ox + radius] }

        /// The window around (`cx`, `cy`) for the pixel (`x`, `y`) of `a` against `b` (row-major,
        /// `width` wide; `b` readable 8 floats past its last pixel: the lanes beyond the window's
        /// right edge read up to 5 floats past the block).
        @inline(__always)
        mutating func fill(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, width: Int, x: Int, y: Int, cx: Int, cy: Int) {
            let r = radius
            let aStart = (y - 2) * width + x - 2
            if r <= 1 {
                // Up to 3 candidates a row: half vectors (the other lanes would be discarded).
                for row in 0..<(2 * r + 1) {
                    var sum = SIMD4<Float>.zero
                    var ia = aStart, ib = (y + cy - r + row - 2) * width + x + cx - r - 2
                    for _ in 0..<5 {
                        for i in 0..<5 {
                            let d = SIMD4<Float>(repeating: a[ia + i]) - UnsafeRawPointer(b + ib + i).loadUnaligned(as: SIMD4<Float>.self)
                            sum += unsafeBitCast(unsafeBitCast(d, to: SIMD4<UInt32>.self) & 0x7fff_ffff, to: SIMD4<Float>.self)
                        }
                        ia += width
                        ib += width
                    }
                    rows[row] = SIMD8(lowHalf: sum, highHalf: .zero)
                }
                return
            }
            for row in 0..<(2 * r + 1) {
                var sum = SIMD8<Float>.zero
                var ia = aStart, ib = (y + cy - r + row - 2) * width + x + cx - r - 2
                for _ in 0..<5 {
                    for i in 0..<5 {
                        let d = SIMD8<Float>(repeating: a[ia + i]) - UnsafeRawPointer(b + ib + i).loadUnaligned(as: SIMD8<Float>.self)
                        sum += unsafeBitCast(unsafeBitCast(d, to: SIMD8<UInt32>.self) & 0x7fff_ffff, to: SIMD8<Float>.self)
                    }
                    ia += width
                    ib += width
                }
                rows[row] = sum
            }
        }
    }
}
