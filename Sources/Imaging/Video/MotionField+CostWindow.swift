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
            for row in 0..<(2 * r + 1) {
                let bStart = (y + cy - r + row - 2) * width + x + cx - r - 2
                // Up to 3 candidates a row: half vectors (the other lanes would be discarded).
                rows[row] = r <= 1
                    ? SIMD8(lowHalf: Self.blockCosts(a, b, width: width, aStart: aStart, bStart: bStart, lanes: SIMD4<Float>.self), highHalf: .zero)
                    : Self.blockCosts(a, b, width: width, aStart: aStart, bStart: bStart, lanes: SIMD8<Float>.self)
            }
        }

        /// The 5x5 block costs of one window row: lane `i` sums |a - b| over the block at
        /// `aStart` in `a` and the block at `bStart + i` in `b`, row by row, column by column.
        @inline(__always)
        private static func blockCosts<V: SIMD>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, width: Int,
                                                aStart: Int, bStart: Int, lanes _: V.Type) -> V where V.Scalar == Float {
            var sum = V()
            var ia = aStart, ib = bStart
            for _ in 0..<5 {
                for i in 0..<5 {
                    let d = V(repeating: a[ia + i]) - UnsafeRawPointer(b + ib + i).loadUnaligned(as: V.self)
                    // |d|: the sign bit cleared.
                    sum += unsafeBitCast(unsafeBitCast(d, to: V.MaskStorage.self) & V.MaskStorage(repeating: 0x7fff_ffff), to: V.self)
                }
                ia += width
                ib += width
            }
            return sum
        }
    }
}
