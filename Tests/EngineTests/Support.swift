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

/// Test pictures written as real PNG files through the Imaging layer.
enum TestPictures {
    /// Writes `image` as a PNG.
    static func write(_ image: RGBImage, to url: URL) throws {
        try ImageFile.writePNG(image, to: url)
    }

    /// Writes `mask` as a grey PNG (white = 1).
    static func write(_ mask: GrayImage, to url: URL) throws {
        let n = mask.pixels.count
        var planes = [Float](repeating: 0, count: 3 * n)
        for c in 0..<3 { for i in 0..<n { planes[c * n + i] = mask.pixels[i] } }
        try ImageFile.writePNG(RGBImage(width: mask.width, height: mask.height, pixels: planes), to: url)
    }

    /// A width x height gradient picture whose colours depend on `seed`.
    static func gradient(width: Int, height: Int, seed: Float) -> RGBImage {
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

/// The product's backend, counting how many files it decodes.
final class CountingBackend: ImageBackend, @unchecked Sendable {
    private let inner = ImagingBackend()
    private let lock = NSLock()
    private var readCount = 0
    var reads: Int { lock.withLock { readCount } }

    func readImage(atPath path: String, maxPixels: Int) throws -> RGBImage {
        lock.withLock { readCount += 1 }
        return try inner.readImage(atPath: path, maxPixels: maxPixels)
    }

    func readMask(atPath path: String) throws -> GrayImage {
        lock.withLock { readCount += 1 }
        return try inner.readMask(atPath: path)
    }

    func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        inner.resize(image, width: width, height: height)
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

/// Writes a few PNG pictures and returns their paths: a 320x240 photo, a 200x200 and a 200x150 style.
struct Fixtures {
    var folder: URL
    var photo: String
    var styleA: String
    var styleB: String

    init(_ test: XCTestCase) throws {
        folder = try makeScratchFolder(test)
        photo = folder.appendingPathComponent("photo.png").path
        styleA = folder.appendingPathComponent("a.png").path
        styleB = folder.appendingPathComponent("b.png").path
        try TestPictures.write(TestPictures.gradient(width: 320, height: 240, seed: 0.1), to: URL(fileURLWithPath: photo))
        try TestPictures.write(TestPictures.gradient(width: 200, height: 200, seed: 0.6), to: URL(fileURLWithPath: styleA))
        try TestPictures.write(TestPictures.gradient(width: 200, height: 150, seed: 0.9), to: URL(fileURLWithPath: styleB))
    }

    /// A session using the photo and both styles (previewed at its own 320x240: the default box is larger).
    var session: Session {
        Session(contentPath: photo, styles: [StyleChoice(path: styleA), StyleChoice(path: styleB, weight: 0.5)])
    }
}
