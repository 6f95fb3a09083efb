import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

/// A folder under the system's temporary directory, removed by the test's teardown.
func makeScratchFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("atelier-engine-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Binary PPM (P6) and PGM (P5) files: a format simple enough to write in a test, decoded by
/// `PortableMapBackend`, so engine tests do not depend on the PNG/JPEG codecs.
enum PortableMap {
    /// Writes `image` as a P6 file.
    static func write(_ image: RGBImage, to url: URL) throws {
        var data = Data("P6\n\(image.width) \(image.height)\n255\n".utf8)
        data.append(contentsOf: image.rgb8Interleaved())
        try data.write(to: url)
    }

    /// Writes `mask` as a P5 file.
    static func write(_ mask: GrayImage, to url: URL) throws {
        var data = Data("P5\n\(mask.width) \(mask.height)\n255\n".utf8)
        data.append(contentsOf: mask.pixels.map { RGBImage.byte($0) })
        try data.write(to: url)
    }

    /// A width x height gradient picture whose colours depend on `seed`.
    static func picture(width: Int, height: Int, seed: Float) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                image[0, x, y] = (Float(x) / Float(width) + seed).truncatingRemainder(dividingBy: 1)
                image[1, x, y] = (Float(y) / Float(height) + seed * 0.5).truncatingRemainder(dividingBy: 1)
                image[2, x, y] = seed
            }
        }
        return image
    }
}

struct PortableMapError: Error, CustomStringConvertible {
    var description: String
}

/// Reads the files `PortableMap` writes; resizes by nearest neighbour. Counts reads.
final class PortableMapBackend: ImageBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var readCount = 0
    var reads: Int { lock.withLock { readCount } }

    func readImage(atPath path: String, maxPixels: Int) throws -> RGBImage {
        let (magic, width, height, bytes) = try parse(path)
        guard magic == "P6" else { throw PortableMapError(description: "not a P6 picture") }
        return RGBImage(width: width, height: height, rgb8: Array(bytes))
    }

    func readMask(atPath path: String) throws -> GrayImage {
        let (magic, width, height, bytes) = try parse(path)
        guard magic == "P5" else { throw PortableMapError(description: "not a P5 mask") }
        return GrayImage(width: width, height: height, pixels: bytes.map { Float($0) / 255 })
    }

    func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var out = RGBImage(width: width, height: height)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    out[c, x, y] = image[c, x * image.width / width, y * image.height / height]
                }
            }
        }
        return out
    }

    private func parse(_ path: String) throws -> (String, Int, Int, ArraySlice<UInt8>) {
        lock.withLock { readCount += 1 }
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var fields: [String] = []
        var index = 0
        while fields.count < 4 && index < data.count {
            while index < data.count, data[index] == 0x20 || data[index] == 0x0A { index += 1 }
            var token = ""
            while index < data.count, data[index] != 0x20 && data[index] != 0x0A {
                token.append(Character(UnicodeScalar(data[index])))
                index += 1
            }
            fields.append(token)
        }
        index += 1
        guard fields.count == 4, let width = Int(fields[1]), let height = Int(fields[2]), width > 0, height > 0 else {
            throw PortableMapError(description: "not a portable map")
        }
        let channels = fields[0] == "P6" ? 3 : 1
        guard data.count - index >= channels * width * height else {
            throw PortableMapError(description: "truncated picture data")
        }
        return (fields[0], width, height, data[index..<(index + channels * width * height)])
    }
}

/// A stand-in for the stylizer: takes `steps` steps of `stepSeconds`, checking cancellation
/// between steps like the real one does between layers, and returns a picture of the content's
/// size filled with the request's alpha (so a test can tell which session a picture came from).
final class FakeRenderer: Renderer, @unchecked Sendable {
    struct Call {
        var width: Int
        var height: Int
        var alpha: Float
        var control: RenderControl
    }

    private let lock = NSLock()
    private var log: [Call] = []
    private var gates: [Float: DispatchSemaphore] = [:]
    let steps: Int
    let stepSeconds: Double

    init(steps: Int = 4, stepSeconds: Double = 0.002) {
        self.steps = steps
        self.stepSeconds = stepSeconds
    }

    var calls: [Call] { lock.withLock { log } }

    /// Makes renders of sessions with this alpha wait for `release(alpha:)`, ignoring cancellation
    /// and then finishing without looking at it (a render that misses its cancellation).
    func hold(alpha: Float) -> DispatchSemaphore {
        let gate = DispatchSemaphore(value: 0)
        lock.withLock { gates[alpha] = gate }
        return gate
    }

    func render(_ request: RenderRequest, control: RenderControl) throws -> RGBImage {
        let alpha = request.settings.alpha
        let gate: DispatchSemaphore? = lock.withLock {
            log.append(Call(width: request.content.image.width, height: request.content.image.height,
                            alpha: alpha, control: control))
            return gates[alpha]
        }
        if let gate {
            gate.wait()
            return RGBImage(width: request.content.image.width, height: request.content.image.height,
                            red: alpha, green: alpha, blue: alpha)
        }
        for _ in 0..<steps {
            try control.checkCancelled()
            Thread.sleep(forTimeInterval: stepSeconds)
        }
        try control.checkCancelled()
        return RGBImage(width: request.content.image.width, height: request.content.image.height,
                        red: alpha, green: alpha, blue: alpha)
    }
}

/// Collects every event posted, in order, from any thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [EngineEvent] = []
    var events: [EngineEvent] { lock.withLock { log } }
    func record(_ event: EngineEvent) { lock.withLock { log.append(event) } }

    var frames: [PreviewFrame] {
        events.compactMap { if case .preview(let frame) = $0 { return frame } else { return nil } }
    }

    /// Waits (up to `timeout`) until `condition` holds for the events so far.
    func wait(timeout: TimeInterval = 30, until condition: ([EngineEvent]) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if condition(events) { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return condition(events)
    }
}

/// Writes a few pictures and returns their paths: a 320x240 photo and two 200x200 styles.
struct Fixtures {
    var folder: URL
    var photo: String
    var styleA: String
    var styleB: String

    init(_ test: XCTestCase) throws {
        folder = try makeScratchFolder(test)
        photo = folder.appendingPathComponent("photo.ppm").path
        styleA = folder.appendingPathComponent("a.ppm").path
        styleB = folder.appendingPathComponent("b.ppm").path
        try PortableMap.write(PortableMap.picture(width: 320, height: 240, seed: 0.1), to: URL(fileURLWithPath: photo))
        try PortableMap.write(PortableMap.picture(width: 200, height: 200, seed: 0.6), to: URL(fileURLWithPath: styleA))
        try PortableMap.write(PortableMap.picture(width: 200, height: 150, seed: 0.9), to: URL(fileURLWithPath: styleB))
    }

    /// A session using the photo and both styles, previewed in a 320x240 pane.
    var session: Session {
        Session(contentPath: photo, styles: [StyleChoice(path: styleA), StyleChoice(path: styleB, weight: 0.5)],
                previewSize: PreviewSize(width: 320, height: 240))
    }
}
