import Engine
import Foundation
import Imaging
import Stylization
import Terminal
@testable import Workstation
import XCTest

/// The 1:1 view's bookkeeping without a terminal: what z needs first, a change of settings
/// cancelling the render under way, a failure said in the status bar, Esc leaving. The model
/// loader stands in: it waits, then fails, so a render is still running when the settings change.
final class DetailViewStateTests: XCTestCase {
    private struct Unstyled: Renderer {
        func render(_ request: RenderRequest, control: RenderControl) throws -> RGBImage { request.content.image }
    }

    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-detail-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let demo = AtelierInstall.repoRoot.appendingPathComponent("Resources")
        try FileManager.default.copyItem(at: demo.appendingPathComponent("demo-coffee.png"), to: folder.appendingPathComponent("coffee.png"))
        try FileManager.default.copyItem(at: demo.appendingPathComponent("demo-chelsea.png"), to: folder.appendingPathComponent("cat.png"))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func makeWorkstation(_ session: Session) -> Workstation {
        let studio = Studio(session: session, configuration: .init(autosaveURL: nil), renderer: Unstyled(),
                            featureCache: LRUFeatureCache(capacityBytes: 1 << 20), model: { _ in
                                Thread.sleep(forTimeInterval: 1.5)
                                throw StylizationError.modelUnavailable("the stand-in has no model")
                            })
        addTeardownBlock { studio.shutdown() }
        return Workstation(studio: studio, launchFolder: folder, styleFolders: [], themes: ThemeCatalog(directories: []),
                           theme: Theme.standard, modelProblem: nil)
    }

    private var styled: Session {
        Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                styles: [StyleChoice(path: folder.appendingPathComponent("cat.png").path)])
    }

    func testZNeedsAPhotoAndAStyle() {
        let empty = makeWorkstation(Session())
        empty.handle(.character("z"))
        XCTAssertEqual(empty.mode, .stylized)
        XCTAssertEqual(empty.message?.tone, .warning)
        XCTAssertNil(empty.detail.render)

        var unstyled = styled
        unstyled.styles[0].active = false
        let ws = makeWorkstation(unstyled)
        ws.handle(.character("z"))
        XCTAssertEqual(ws.mode, .stylized)
        XCTAssertTrue(ws.message?.text.contains("style") ?? false, "\(String(describing: ws.message))")
    }

    func testAChangeOfSettingsCancelsTheRenderAndStartsTheNext() throws {
        let ws = makeWorkstation(styled)
        ws.handle(.character("z"))
        XCTAssertEqual(ws.mode, .detail)
        let first = try XCTUnwrap(ws.detail.render)
        XCTAssertTrue(first.isRendering)
        XCTAssertEqual(first.request, ws.detailRequest)
        let grid = CellGrid(size: CellSize(columns: 100, rows: 30))
        ws.draw(on: grid)
        XCTAssertTrue(grid.text.contains("Rendering the export at full resolution"), grid.text)
        XCTAssertTrue(grid.text.contains("1:1 0%"), "the status bar shows the render's progress\n\(grid.text)")

        try ws.studio.perform(.setAlpha(0.5))
        ws.pollEngine()
        let second = try XCTUnwrap(ws.detail.render)
        XCTAssertFalse(first === second, "a new render for the new settings")
        XCTAssertEqual(second.request.session.alpha, 0.5)
        guard case .cancelled = first.wait() else { return XCTFail("the old render ends cancelled: \(first.state)") }

        // The stand-in fails: the status bar says so, the pane too.
        let deadline = Date().addingTimeInterval(20)
        while second.isRendering && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        ws.pollEngine()
        XCTAssertEqual(ws.message?.tone, .error)
        XCTAssertTrue(ws.message?.text.hasPrefix("1:1 view: ") ?? false, "\(String(describing: ws.message))")
        XCTAssertTrue(ws.message?.text.contains("the stand-in has no model") ?? false, "\(String(describing: ws.message))")

        ws.handle(.escape)
        XCTAssertEqual(ws.mode, .stylized)
    }

    func testArrowsAreTheViewsOnlyWhileItIsOn() {
        let ws = makeWorkstation(styled)
        ws.focus = .controls
        ws.handle(.down)
        XCTAssertEqual(ws.controlCursor, 1, "outside the view Down moves the cursor")
        ws.handle(.character("z"))
        ws.handle(.down)
        XCTAssertEqual(ws.controlCursor, 1, "in the view Down moves the point, not the cursor")
        ws.handle(.character("z"))
        XCTAssertEqual(ws.mode, .stylized)
    }

    /// One picture pixel per display pixel: the window is the interior's size in the adapter's
    /// samples, and every adapter then draws it without resampling (sixel and kitty: a cell's
    /// screen pixels; half blocks and symbols: 1x2 per cell, with 2:1 cells as tmux's fallback).
    func testTheWindowFillsThePaneWithoutResampling() {
        let ws = makeWorkstation(styled)
        let inner = CellRect(row: 1, column: 31, columns: 48, rows: 20)
        let cases: [(any PreviewAdapter, CellPixelSize)] = [
            (SixelAdapter(maxColors: 256), CellPixelSize(width: 6, height: 13)),
            (KittyAdapter(imageID: 31), CellPixelSize(width: 9, height: 18)),
            (HalfBlockAdapter(), .fallback),
            (SymbolAdapter(colorDepth: .trueColor), .fallback),
        ]
        for (adapter, cell) in cases {
            ws.detail.samplesPerCell = adapter.samplesPerCell(cell)
            let window = ws.detailWindowSize(inner)
            let samples = adapter.samplesPerCell(cell)
            XCTAssertEqual([window.width, window.height], [48 * samples.x, 20 * samples.y], adapter.name)
            let fit = ImageFit.fitting(imageWidth: window.width, imageHeight: window.height, columns: inner.columns, rows: inner.rows,
                                       cellPixels: cell, samplesPerCell: samples)
            XCTAssertEqual(fit, ImageFit(width: window.width, height: window.height, x: 0, y: 0,
                                         canvasWidth: window.width, canvasHeight: window.height), adapter.name)
            XCTAssertEqual(adapter.footprint(width: window.width, height: window.height, in: inner, cellPixels: cell), inner, adapter.name)
        }
    }
}
