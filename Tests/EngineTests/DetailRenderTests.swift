import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

/// The 1:1 view's render: the pixels it shows are the export's pixels (byte-equal, with the same
/// settings), it is cancelled cleanly, and its windows are cut pixel for pixel.
final class DetailRenderTests: XCTestCase {
    /// Two styles blended inside a feathered preset mask, another blend outside, alpha and a colour mode:
    /// every setting the export honours.
    private func maskedSession() throws -> Session {
        var session = Session(contentPath: RealModel.image("content/chicago.png"),
                              styles: [StyleChoice(path: RealModel.image("style/picasso.jpg")),
                                       StyleChoice(path: RealModel.image("style/whorls.jpg"), weight: 0.5)],
                              alpha: 0.8)
        try session.apply(.setMaskShape(.centreEllipse))
        try session.apply(.setFeather(0.2))
        try session.apply(.setRegionBlend(.inside, [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 1)]))
        try session.apply(.setRegionBlend(.outside, [WeightedStyle(index: 1, weight: 1)]))
        try session.apply(.setColor(.luminance))
        return session
    }

    /// The export's PNG as interleaved bytes.
    private func exportBytes(_ session: Session, longerSide: Int?, upscale: PhotoUpscale? = nil, home: URL? = nil,
                             in folder: URL) throws -> (width: Int, height: Int, bytes: [UInt8]) {
        let output = folder.appendingPathComponent("export.png")
        let job = ExportJob.start(session: session, to: output, longerSide: longerSide, upscale: upscale,
                                  upscalerHome: home ?? ModelStore.defaultHome, model: { try RealModel.load() })
        guard case .finished = job.wait() else {
            throw NSError(domain: "DetailRenderTests", code: 2, userInfo: [NSLocalizedDescriptionKey: "the export failed: \(job.state)"])
        }
        let image = try ImageFile.read(output)
        return (image.width, image.height, image.rgb8Interleaved())
    }

    private func detail(_ request: DetailRequest, home: URL? = nil) throws -> DetailImage {
        let render = DetailRender.start(request, model: { try RealModel.load() }, upscalerHome: home ?? ModelStore.defaultHome)
        switch render.wait() {
        case .ready(let image): return image
        case let other: throw NSError(domain: "DetailRenderTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "detail render: \(other)"])
        }
    }

    /// The window at `centre` compared byte for byte with the same region of the export.
    private func assertWindow(of image: DetailImage, equals export: (width: Int, height: Int, bytes: [UInt8]),
                              centre: (Int, Int), size: (Int, Int), file: StaticString = #filePath, line: UInt = #line) {
        let window = image.window(centredOn: centre.0, centre.1, width: size.0, height: size.1).rgb8Interleaved()
        let c = image.clampedCentre(x: centre.0, y: centre.1, windowWidth: size.0, windowHeight: size.1)
        let left = c.x - size.0 / 2, top = c.y - size.1 / 2
        var expected: [UInt8] = []
        for row in top..<(top + size.1) {
            let start = 3 * (row * export.width + left)
            expected += export.bytes[start..<(start + 3 * size.0)]
        }
        XCTAssertEqual(window.count, expected.count, file: file, line: line)
        let differing = zip(window, expected).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "the 1:1 window differs from the export in \(differing) bytes", file: file, line: line)
    }

    func testTheWindowIsTheExportsOwnPixelsWithMaskBlendsAlphaAndColour() throws {
        try RealModel.require()
        let folder = try makeScratchFolder(self)
        let session = try maskedSession()
        let export = try exportBytes(session, longerSide: 320, in: folder)
        let image = try detail(DetailRequest(session: session, longerSide: 320))
        XCTAssertEqual(image.width, export.width)
        XCTAssertEqual(image.height, export.height)
        XCTAssertEqual(image.bytes, export.bytes, "the whole 1:1 render equals the exported PNG byte for byte")
        assertWindow(of: image, equals: export, centre: (160, 100), size: (80, 48))
        assertWindow(of: image, equals: export, centre: (0, 0), size: (64, 40))       // clamped to the corner
        assertWindow(of: image, equals: export, centre: (9999, 9999), size: (64, 40)) // and to the other one
        // Not an enlarged preview: a smaller render scaled up is something else.
        let small = try detail(DetailRequest(session: session, longerSide: 160))
        let enlarged = RGBImage(width: small.width, height: small.height, rgb8: small.bytes).resized(width: image.width, height: image.height)
        XCTAssertNotEqual(enlarged.rgb8Interleaved(), image.bytes)
    }

    func testFullResolutionWithoutASizeMatchesTheExport() throws {
        try RealModel.require()
        let folder = try makeScratchFolder(self)
        var session = try maskedSession()
        session.mask = .none
        try session.apply(.setTransform(.wct))
        let export = try exportBytes(session, longerSide: nil, in: folder)
        let image = try detail(DetailRequest(session: session))
        XCTAssertEqual([image.width, image.height], [384, 256], "full resolution is the photo's own size")
        XCTAssertEqual(image.bytes, export.bytes)
    }

    func testAnUpscaledExportIsRenderedUpscaled() throws {
        try RealModel.require()
        let folder = try makeScratchFolder(self)
        let home = folder.appendingPathComponent("home")
        try UpscalerStore(home: home).install(from: sharedFolder().appendingPathComponent("models"), progress: { _ in })
        let session = Session(contentPath: RealModel.image("content/chicago.png"),
                              styles: [StyleChoice(path: RealModel.image("style/picasso.jpg"))])
        let export = try exportBytes(session, longerSide: 64, upscale: PhotoUpscale(factor: 2, upscaler: UpscalerModel.x4plus.option),
                                     home: home, in: folder)
        let image = try detail(DetailRequest(session: session, longerSide: 64, upscaleFactor: 2), home: home)
        XCTAssertEqual(image.width, 128)
        XCTAssertEqual(image.bytes, export.bytes)
    }

    func testACancelledRenderEndsCancelledAndLeavesNoFiles() throws {
        try RealModel.require()
        let session = Session(contentPath: RealModel.image("content/blossom.jpg"),
                              styles: [StyleChoice(path: RealModel.image("style/picasso.jpg"))])
        let render = DetailRender.start(DetailRequest(session: session), model: { try RealModel.load() })
        XCTAssertTrue(render.isRendering)
        render.cancel()
        guard case .cancelled = render.wait() else { return XCTFail("expected cancelled, got \(render.state)") }
        let prefix = "atelier-detail-\(getpid())-"
        let left = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix(prefix) }
        XCTAssertEqual(left, [], "the render's temporary folder is removed")
    }

    func testAFailedRenderSaysWhy() throws {
        let session = Session(contentPath: "/nonexistent/photo.png", styles: [StyleChoice(path: "/nonexistent/style.jpg")])
        let render = DetailRender.start(DetailRequest(session: session), model: { throw StylizationError.modelUnavailable("none") })
        guard case .failed(let text) = render.wait() else { return XCTFail("expected a failure, got \(render.state)") }
        XCTAssertFalse(text.isEmpty)
        XCTAssertFalse(text.contains("\n"), text)
    }

    // MARK: Windows

    /// A 7x5 picture whose bytes say where they are.
    private func numbered() -> DetailImage {
        var bytes: [UInt8] = []
        for y in 0..<5 { for x in 0..<7 { bytes += [UInt8(x * 30), UInt8(y * 50), 7] } }
        return DetailImage(width: 7, height: 5, bytes: bytes)
    }

    func testAWindowIsCutPixelForPixelAndClampedInside() {
        let image = numbered()
        let window = image.window(centredOn: 3, 2, width: 3, height: 3).rgb8Interleaved()
        // Centre (3, 2), 3x3: columns 2...4, rows 1...3.
        XCTAssertEqual(Array(window[0..<3]), [60, 50, 7])
        XCTAssertEqual(Array(window[(3 * 8)..<(3 * 9)]), [120, 150, 7])
        XCTAssertEqual(image.clampedCentre(x: 0, y: 0, windowWidth: 4, windowHeight: 2).x, 2)
        XCTAssertEqual(image.clampedCentre(x: 100, y: 100, windowWidth: 4, windowHeight: 2).x, 5)  // columns 3...6
        XCTAssertEqual(image.clampedCentre(x: 100, y: 100, windowWidth: 4, windowHeight: 2).y, 4)  // rows 3...4
        let corner = image.window(centredOn: 100, 100, width: 4, height: 2).rgb8Interleaved()
        XCTAssertEqual(Array(corner.suffix(3)), [180, 200, 7], "the last pixel is the picture's last")
    }

    func testAWindowLargerThanThePictureCentresItOnPadding() {
        let image = numbered()
        let window = image.window(centredOn: 0, 0, width: 9, height: 7, padding: 0).rgb8Interleaved()
        XCTAssertEqual(Array(window[0..<3]), [0, 0, 0], "padding")
        // The picture starts at (1, 1).
        let first = 3 * (1 * 9 + 1)
        XCTAssertEqual(Array(window[first..<(first + 3)]), [0, 0, 7])
    }
}
