import XCTest
@testable import ProceduralStyles

/// The small building blocks: random streams, noise, colours, blur.
final class PrimitivesTests: XCTestCase {
    func testNamedStreamsAreIndependentAndStable() {
        var a = SplitMix64(seed: 5, stream: "one"), b = SplitMix64(seed: 5, stream: "two")
        var a2 = SplitMix64(seed: 5, stream: "one")
        let first = (0..<4).map { _ in a.next() }
        XCTAssertEqual(first, (0..<4).map { _ in a2.next() })
        XCTAssertNotEqual(first, (0..<4).map { _ in b.next() })
    }

    func testUnitDrawsAreUniformInHalfOpenRange() {
        var random = SplitMix64(seed: 11)
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 {
            let u = random.unit()
            XCTAssertTrue(u >= 0 && u < 1)
            buckets[Int(u * 10)] += 1
        }
        for count in buckets { XCTAssertEqual(Double(count), 10_000, accuracy: 500) }
    }

    func testNoiseIsSmoothBoundedAndSeeded() {
        let noise = GradientNoise(seed: 1), same = GradientNoise(seed: 1), other = GradientNoise(seed: 2)
        var differs = false
        var extreme: Float = 0
        for i in 0..<2000 {
            let x = Float(i) * 0.173, y = Float(i % 37) * 0.311
            let v = noise.value(x, y)
            XCTAssertEqual(v, same.value(x, y))
            if abs(v - other.value(x, y)) > 0.05 { differs = true }
            extreme = max(extreme, abs(v))
            // Smooth: a tiny step changes the value a little.
            XCTAssertLessThan(abs(noise.value(x + 0.001, y) - v), 0.02)
        }
        XCTAssertTrue(differs)
        XCTAssertLessThanOrEqual(extreme, 1.05)
        XCTAssertGreaterThan(extreme, 0.5)
        // Perlin noise vanishes on the lattice.
        XCTAssertEqual(noise.value(3, 7), 0, accuracy: 1e-6)
    }

    func testHSVRoundTrips() {
        for hex: UInt32 in [0xb3122e, 0x1c3f9e, 0x128a4a, 0xe39a17, 0x808080, 0xffffff, 0x000000] {
            let colour = PaintColor(hex: hex)
            let (h, s, v) = colour.hsv
            let back = PaintColor(hue: h, saturation: s, value: v)
            XCTAssertEqual(back.r, colour.r, accuracy: 1e-5)
            XCTAssertEqual(back.g, colour.g, accuracy: 1e-5)
            XCTAssertEqual(back.b, colour.b, accuracy: 1e-5)
        }
    }

    func testBoxBlurKeepsTheMeanAndSpreadsAnImpulse() {
        var plane = [Float](repeating: 0, count: 31 * 31)
        plane[15 * 31 + 15] = 1
        let blurred = PlaneBlur.box(plane, width: 31, height: 31, radius: 2, passes: 3)
        XCTAssertEqual(blurred.reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertLessThan(blurred[15 * 31 + 15], 0.1)
        XCTAssertGreaterThan(blurred[15 * 31 + 15], blurred[15 * 31 + 18])
        XCTAssertEqual(blurred[15 * 31 + 12], blurred[15 * 31 + 18], accuracy: 1e-6)
        XCTAssertEqual(blurred[0], 0)
    }

    func testDiscStampCoversItsAreaAndBlends() {
        var canvas = Canvas(width: 40, height: 40, fill: PaintColor(0, 0, 0))
        canvas.stampDisc(cx: 20, cy: 20, radius: 10, colour: PaintColor(1, 1, 1), alpha: 0.5)
        XCTAssertEqual(canvas[20, 20].r, 0.5, accuracy: 1e-6)
        XCTAssertEqual(canvas[0, 0].r, 0)
        let covered = canvas.pixels[0..<1600].reduce(0, +) / 0.5
        XCTAssertEqual(covered, Float.pi * 100, accuracy: 8)
    }
}
