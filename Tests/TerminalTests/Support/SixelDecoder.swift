/// A small, strict sixel decoder for the tests: DCS introducer, raster attributes, colour
/// registers `#n;2;r;g;b` (percent), colour selection `#n`, sixel characters, `!n` repeats,
/// `$` (back to the band's first column) and `-` (next band), up to ST.
struct SixelDecoder {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The decoded picture: `width` x `height` pixels, nil where nothing was painted.
    struct Picture {
        var width: Int
        var height: Int
        var pixels: [(UInt8, UInt8, UInt8)?]
        var registers: [Int: (UInt8, UInt8, UInt8)]
        func at(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8)? { pixels[y * width + x] }
    }

    static func decode(_ bytes: [UInt8]) throws -> Picture {
        var i = 0
        func fail(_ s: String) -> Failure { Failure(description: "\(s) at byte \(i)") }
        func number() -> Int? {
            var value: Int?
            while i < bytes.count, (48...57).contains(bytes[i]) { value = (value ?? 0) * 10 + Int(bytes[i] - 48); i += 1 }
            return value
        }
        func numbers() -> [Int] {
            var list: [Int] = []
            repeat {
                if i < bytes.count, bytes[i] == UInt8(ascii: ";") { i += 1 }
                list.append(number() ?? 0)
            } while i < bytes.count && bytes[i] == UInt8(ascii: ";")
            return list
        }
        guard bytes.count > 2, bytes[0] == 0x1B, bytes[1] == UInt8(ascii: "P") else { throw fail("no DCS") }
        i = 2
        _ = numbers()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "q") else { throw fail("no 'q'") }
        i += 1
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("no raster attributes") }
        i += 1
        let raster = numbers()
        guard raster.count == 4, raster[0] == 1, raster[1] == 1 else { throw fail("bad raster attributes \(raster)") }
        var picture = Picture(width: raster[2], height: raster[3],
                              pixels: Array(repeating: nil, count: raster[2] * raster[3]), registers: [:])
        var colour = 0, x = 0, band = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x1B:
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\") else { throw fail("ESC without ST") }
                return picture
            case UInt8(ascii: "#"):
                i += 1
                let args = numbers()
                if args.count == 5 {
                    guard args[1] == 2, args[2...].allSatisfy({ $0 <= 100 }) else { throw fail("bad colour \(args)") }
                    func byte(_ p: Int) -> UInt8 { UInt8((Double(p) * 255 / 100).rounded()) }
                    picture.registers[args[0]] = (byte(args[2]), byte(args[3]), byte(args[4]))
                } else if args.count == 1 {
                    guard picture.registers[args[0]] != nil else { throw fail("undefined colour \(args[0])") }
                    colour = args[0]
                } else { throw fail("bad # arguments \(args)") }
            case UInt8(ascii: "!"):
                i += 1
                guard let count = number(), i < bytes.count, (63...126).contains(bytes[i]) else { throw fail("bad repeat") }
                paint(bytes[i], count: count, colour: colour, x: &x, band: band, picture: &picture)
                i += 1
            case UInt8(ascii: "$"): x = 0; i += 1
            case UInt8(ascii: "-"): x = 0; band += 1; i += 1
            case 63...126:
                paint(b, count: 1, colour: colour, x: &x, band: band, picture: &picture)
                i += 1
            default:
                throw fail("unexpected byte \(b)")
            }
        }
        throw fail("no string terminator")
    }

    private static func paint(_ char: UInt8, count: Int, colour: Int, x: inout Int, band: Int, picture: inout Picture) {
        let bits = char - 63
        let rgb = picture.registers[colour]
        for _ in 0..<count {
            for dy in 0..<6 where bits & (1 << dy) != 0 {
                let y = band * 6 + dy
                if x < picture.width && y < picture.height { picture.pixels[y * picture.width + x] = rgb }
            }
            x += 1
        }
    }
}
