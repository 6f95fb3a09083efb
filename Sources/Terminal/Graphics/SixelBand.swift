/// One band of six pixel rows of an indexed image, turned into sixel rows in a single pass.
///
/// `collect` reads the band once, column by column: per colour it ORs the six row bits into the
/// column's sixel and links the columns where the colour occurs, in column order. `emit` then
/// writes, for the colours present only (in the order a row-by-row scan meets them), `#n` and
/// the colour's sixels as runs, walking its own columns: the gaps between them are runs of blank
/// sixels and trailing blanks are dropped. The work is proportional to the pixels and the bytes
/// written, not to colours times width.
struct SixelBand {
    private let width: Int
    /// Sixel bits per colour and column (`colour * width + column`), zero outside a band's work.
    private var bits: [UInt8]
    /// Per colour: the first entry of its column list and the last (-1: absent from the band).
    private var head: [Int32], tail: [Int32]
    /// Per colour: where a row-by-row scan of the band first meets it (`row * width + column`).
    private var firstSeen: [Int]
    /// Linked column lists: an entry's column and the next entry of the same colour.
    private var column: [Int32], next: [Int32]
    private var entries = 0
    /// The colours present in the band.
    private var used: [Int] = []

    /// A band buffer for images `width` pixels wide with `colors` palette entries.
    init(width: Int, colors: Int) {
        self.width = width
        bits = [UInt8](repeating: 0, count: max(1, colors * width))
        head = [Int32](repeating: -1, count: colors)
        tail = head
        firstSeen = [Int](repeating: 0, count: colors)
        column = [Int32](repeating: 0, count: max(1, 6 * width))
        next = column
    }

    /// Reads rows `top ..< top + rows` (at most six) of `indices`; `transparent` pixels are skipped.
    mutating func collect(_ indices: UnsafeBufferPointer<UInt16>, top: Int, rows: Int, transparent: UInt16) {
        entries = 0
        used.removeAll(keepingCapacity: true)
        let width = self.width
        bits.withUnsafeMutableBufferPointer { bits in
            head.withUnsafeMutableBufferPointer { head in
                tail.withUnsafeMutableBufferPointer { tail in
                    firstSeen.withUnsafeMutableBufferPointer { firstSeen in
                        column.withUnsafeMutableBufferPointer { column in
                            next.withUnsafeMutableBufferPointer { next in
                                for x in 0..<width {
                                    for dy in 0..<rows {
                                        let index = indices[(top + dy) * width + x]
                                        if index == transparent { continue }
                                        let c = Int(index), cell = c * width + x, seen = dy * width + x
                                        if bits[cell] == 0 {
                                            let e = Int32(entries)
                                            entries += 1
                                            column[Int(e)] = Int32(x)
                                            next[Int(e)] = -1
                                            if head[c] < 0 {
                                                head[c] = e
                                                firstSeen[c] = seen
                                                used.append(c)
                                            } else {
                                                next[Int(tail[c])] = e
                                                if seen < firstSeen[c] { firstSeen[c] = seen }
                                            }
                                            tail[c] = e
                                        } else if seen < firstSeen[c] {
                                            firstSeen[c] = seen
                                        }
                                        bits[cell] |= 1 << UInt8(dy)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let seenAt = firstSeen
        used.sort { seenAt[$0] < seenAt[$1] }
    }

    /// Appends the band's colours (`$` between them) and clears the band for the next `collect`.
    mutating func emit(to out: inout [UInt8]) {
        for (k, c) in used.enumerated() {
            if k > 0 { out.append(UInt8(ascii: "$")) }
            out.append(UInt8(ascii: "#")); Escape.appendNumber(c, to: &out)
            var runValue: UInt8 = 0, runLength = 0, position = 0
            func add(_ value: UInt8, _ count: Int) {
                if runLength > 0 && value == runValue {
                    runLength += count
                } else {
                    Self.appendRun(runValue, runLength, to: &out)
                    runValue = value
                    runLength = count
                }
            }
            var e = Int(head[c])
            while e >= 0 {
                let x = Int(column[e]), cell = c * width + x
                if x > position { add(0, x - position) }
                add(bits[cell], 1)
                bits[cell] = 0
                position = x + 1
                e = Int(next[e])
            }
            Self.appendRun(runValue, runLength, to: &out)
            head[c] = -1
        }
    }

    /// `count` sixels of one value: `!count char` from four on, else the character repeated.
    private static func appendRun(_ value: UInt8, _ count: Int, to out: inout [UInt8]) {
        guard count > 0 else { return }
        let char = 63 + value
        if count >= 4 {
            out.append(UInt8(ascii: "!")); Escape.appendNumber(count, to: &out); out.append(char)
        } else {
            for _ in 0..<count { out.append(char) }
        }
    }
}
