import Engine
import Foundation
import Imaging
import Stylization
import Terminal
@testable import Workstation
import XCTest

/// Drives the workstation's state directly (no terminal), with a stand-in renderer that returns
/// the photo darkened by alpha, so every key's effect on the session and the frame can be checked.
final class WorkstationStateTests: XCTestCase {
    private struct DarkeningRenderer: Renderer {
        func render(_ request: RenderRequest, control: RenderControl) throws -> RGBImage {
            var image = request.content.image
            for i in image.pixels.indices { image.pixels[i] *= request.settings.alpha }
            return image
        }
    }

    private var folder: URL!
    private var styles: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-ws-state-\(UUID().uuidString)")
        styles = folder.appendingPathComponent("styles")
        try FileManager.default.createDirectory(at: styles, withIntermediateDirectories: true)
        let demo = AtelierInstall.repoRoot.appendingPathComponent("Resources")
        try FileManager.default.copyItem(at: demo.appendingPathComponent("demo-coffee.png"), to: folder.appendingPathComponent("coffee.png"))
        try FileManager.default.copyItem(at: demo.appendingPathComponent("demo-chelsea.png"), to: styles.appendingPathComponent("cat.png"))
        try FileManager.default.copyItem(at: demo.appendingPathComponent("demo-coffee.png"), to: styles.appendingPathComponent("cup.png"))
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("broken.png"))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func makeWorkstation(session: Session = Session()) -> Workstation {
        let studio = Studio(session: session, configuration: .init(autosaveURL: nil), renderer: DarkeningRenderer(),
                            featureCache: LRUFeatureCache(capacityBytes: 1 << 20), model: nil)
        addTeardownBlock { studio.shutdown() }
        return Workstation(studio: studio, launchFolder: folder, styleFolders: [styles], themes: ThemeCatalog(directories: []),
                           theme: Theme.standard, modelProblem: nil)
    }

    /// Polls the engine until `condition` holds (renders run on the studio's worker).
    private func settle(_ workstation: Workstation, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !condition() && Date() < deadline {
            workstation.pollEngine()
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertTrue(condition(), "condition not reached")
    }

    func testOpeningAPhotoAndTogglingAStyleRenders() {
        let ws = makeWorkstation()
        XCTAssertEqual(ws.focus, .picker)
        XCTAssertEqual(ws.browser.selected?.name, "broken.png", "the cursor starts on the first image")
        ws.handle(.character("j"))
        XCTAssertEqual(ws.browser.selected?.name, "coffee.png")
        ws.handle(.enter)
        XCTAssertEqual(ws.session.contentPath, folder.appendingPathComponent("coffee.png").path)
        ws.handle(.character("2"))
        XCTAssertEqual(ws.session.styles.map { ($0.path as NSString).lastPathComponent }, ["cup.png"])
        settle(ws) { ws.preview.latestFull != nil }
        XCTAssertEqual(ws.previewPictures.first?.caption, "after")
        ws.handle(.character("2"))
        XCTAssertEqual(ws.session.styles.first?.active, false, "the digit turns the style off again")
    }

    func testSliderStepsUndoAndRedo() {
        let ws = makeWorkstation(session: Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                                                  styles: [StyleChoice(path: styles.appendingPathComponent("cat.png").path)]))
        XCTAssertEqual(ws.focus, .gallery, "with a photo open the gallery has focus")
        ws.handle(.tab)
        XCTAssertEqual(ws.focus, .controls)
        XCTAssertEqual(ws.controlRows.first, .alpha)
        ws.handle(.character("h"))
        XCTAssertEqual(ws.session.alpha, 0.95, accuracy: 1e-6)
        ws.handle(.character("H"))
        XCTAssertEqual(ws.session.alpha, 0.70, accuracy: 1e-6)
        ws.handle(.character("L"))
        ws.handle(.character("l"))
        ws.handle(.character("l"))
        XCTAssertEqual(ws.session.alpha, 1, "clamped at 1")
        ws.perform(.undo)
        ws.perform(.undo)
        XCTAssertEqual(ws.session.alpha, 0.70, accuracy: 1e-6)
        ws.handle(.ctrl("r"))
        XCTAssertEqual(ws.session.alpha, 0.95, accuracy: 1e-6)
        // A pane-size change in between is no undo step.
        ws.studio.setPreviewBox(PreviewBox(size: PreviewSize(width: 300, height: 200)))
        ws.handle(.character("u"))
        XCTAssertEqual(ws.session.alpha, 0.70, accuracy: 1e-6)
        settle(ws) { ws.preview.shown.map { abs($0.image.pixels.max()! - 0.70) < 0.05 } ?? false }
    }

    func testMaskRowsAppearWithAPresetAndRegionsTakeAStyle() {
        let ws = makeWorkstation(session: Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                                                  styles: [StyleChoice(path: styles.appendingPathComponent("cat.png").path),
                                                           StyleChoice(path: styles.appendingPathComponent("cup.png").path)]))
        ws.handle(.tab)
        let maskRow = ws.controlRows.firstIndex(of: .mask)!
        ws.handle(.character("G"))
        XCTAssertEqual(ws.controlCursor, maskRow)
        ws.handle(.character("l"))
        XCTAssertEqual(ws.session.mask.preset?.shape, .leftRight)
        XCTAssertEqual(ws.controlRows.suffix(4), [.split, .feather, .inside, .outside])
        ws.handle(.character("j"))
        ws.handle(.character("L"))
        XCTAssertEqual(ws.session.mask.preset?.split ?? 0, 0.6, accuracy: 1e-6)
        ws.handle(.character("j"))
        ws.handle(.character("l"))
        XCTAssertEqual(ws.session.mask.preset?.feather ?? 0, 0.06, accuracy: 1e-6)
        ws.handle(.character("j"))
        ws.handle(.character("l"))
        XCTAssertEqual(ws.session.insideBlend, [WeightedStyle(index: 0, weight: 1)])
        ws.handle(.character("l"))
        XCTAssertEqual(ws.session.insideBlend, [WeightedStyle(index: 1, weight: 1)])
        ws.handle(.character("w"))
        XCTAssertEqual(ws.session.outsideBlend, [WeightedStyle(index: 1, weight: 1)])
        XCTAssertEqual(ws.session.insideBlend, [])
    }

    func testBadFileGivesAStatusMessage() {
        let ws = makeWorkstation(session: Session(styles: [StyleChoice(path: styles.appendingPathComponent("cat.png").path)]))
        ws.handle(.enter)  // broken.png
        settle(ws) { ws.message?.tone == .error }
        XCTAssertTrue(ws.message?.text.contains("broken.png") == true, ws.message?.text ?? "no message")
        XCTAssertTrue(ws.preview.failure?.contains("broken.png") == true)
    }

    func testExportPromptRefusesNonsenseAndQuitAsksAfterChanges() {
        let ws = makeWorkstation(session: Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                                                  styles: [StyleChoice(path: styles.appendingPathComponent("cat.png").path)]))
        ws.handle(.character("e"))
        XCTAssertEqual(ws.prompt?.purpose, .exportSize)
        for c in "12x" { ws.handle(.character(c)) }
        ws.handle(.enter)
        XCTAssertEqual(ws.prompt?.purpose, .exportSize, "a bad size keeps the prompt")
        let grid = CellGrid(size: CellSize(columns: 100, rows: 30))
        ws.draw(on: grid)
        XCTAssertTrue(grid.line(29).contains("'12x' is not a size"), "the error is on screen, in the prompt: \(grid.line(29))")
        ws.handle(.escape)
        XCTAssertNil(ws.prompt)
        ws.handle(.character("q"))
        XCTAssertTrue(ws.quitRequested, "nothing changed: quit at once")
        let changed = makeWorkstation(session: ws.session)
        changed.handle(.tab)
        changed.handle(.character("h"))
        changed.handle(.character("q"))
        XCTAssertEqual(changed.prompt?.purpose, .confirmQuit)
        changed.handle(.character("n"))
        XCTAssertFalse(changed.quitRequested)
        changed.handle(.character("q"))
        changed.handle(.character("y"))
        XCTAssertTrue(changed.quitRequested)
    }

    func testFrameShowsEveryPaneAndTheHelpOverlay() {
        let ws = makeWorkstation(session: Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                                                  styles: [StyleChoice(path: styles.appendingPathComponent("cat.png").path)]))
        let grid = CellGrid(size: CellSize(columns: 80, rows: 24))
        ws.draw(on: grid)
        let text = grid.text
        for title in ["Photos", "Styles · 1 on", "Controls", "Preview"] {
            XCTAssertTrue(text.contains(title), "frame lacks \(title):\n\(text)")
        }
        XCTAssertTrue(text.contains("● coffee.png"))
        XCTAssertTrue(text.contains("1 ■ cat"))
        XCTAssertTrue(grid.line(23).contains("? help"), grid.line(23))
        ws.handle(.character("?"))
        let slots = ws.draw(on: grid)
        XCTAssertTrue(slots.isEmpty, "no picture over the help")
        XCTAssertTrue(grid.text.contains("focus the next pane"))
        ws.handle(.escape)
        XCTAssertFalse(ws.helpVisible)
        let small = CellGrid(size: CellSize(columns: 40, rows: 10))
        ws.draw(on: small)
        XCTAssertTrue(small.text.contains("Terminal too small"))
    }
}

extension WorkstationStateTests {
    func testCompareBeforeAfterThemeAndSave() throws {
        let ws = makeWorkstation(session: Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                                                  styles: [StyleChoice(path: styles.appendingPathComponent("cat.png").path)]))
        settle(ws) { ws.preview.latestFull != nil }
        ws.handle(.character("c"))
        XCTAssertEqual(ws.mode, .stylized, "one render is not enough to compare")
        XCTAssertEqual(ws.message?.tone, .warning)
        ws.handle(.tab)
        ws.handle(.character("h"))
        settle(ws) { ws.preview.previousFull != nil && ws.preview.latestFull?.generation != ws.preview.previousFull?.generation }
        ws.handle(.character("c"))
        XCTAssertEqual(ws.mode, .compare)
        XCTAssertEqual(ws.previewPictures.map(\.caption), ["previous", "latest"])
        let grid = CellGrid(size: CellSize(columns: 80, rows: 24))
        XCTAssertEqual(ws.draw(on: grid).count, 2, "two pictures side by side")
        ws.handle(.character("b"))
        XCTAssertEqual(ws.mode, .before)
        settle(ws) { ws.previewPictures.first?.caption == "before" }
        ws.handle(.character("b"))
        XCTAssertEqual(ws.mode, .stylized)

        let themeFile = folder.appendingPathComponent("theme")
        ws.themeFile = themeFile
        let first = ws.theme.id
        ws.handle(.character("T"))
        XCTAssertNotEqual(ws.theme.id, first)
        XCTAssertEqual(try String(contentsOf: themeFile, encoding: .utf8), ws.theme.id + "\n", "the theme is remembered for the next run")

        ws.handle(.character("s"))
        XCTAssertEqual(ws.prompt?.purpose, .sessionPath)
        XCTAssertEqual(ws.prompt?.text, folder.appendingPathComponent("coffee.atelier.json").path)
        ws.handle(.enter)
        XCTAssertEqual(ws.message?.tone, .success)
        let saved = try SessionStore.load(from: folder.appendingPathComponent("coffee.atelier.json"))
        XCTAssertEqual(saved.alpha, 0.95, accuracy: 1e-6)
        ws.handle(.character("q"))
        XCTAssertTrue(ws.quitRequested, "saved: quitting asks nothing")
    }

    func testMouseSelectsRowsAndSetsSliders() {
        let ws = makeWorkstation(session: Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                                                  styles: [StyleChoice(path: styles.appendingPathComponent("cat.png").path)]))
        ws.handle(.tab)
        let grid = CellGrid(size: CellSize(columns: 80, rows: 24))
        ws.draw(on: grid)
        let controls = ws.layout!.controls
        let gauge = ws.gaugeColumns!
        ws.handle(.mouse(MouseEvent(row: controls.row + 1, column: gauge.lowerBound, button: .left)))
        XCTAssertEqual(ws.session.alpha, 0)
        ws.handle(.mouse(MouseEvent(row: controls.row + 1, column: gauge.upperBound - 1, button: .left)))
        XCTAssertEqual(ws.session.alpha, 1)
        ws.draw(on: grid)
        let picker = ws.layout!.picker
        ws.handle(.mouse(MouseEvent(row: picker.row + 1, column: picker.column + 3, button: .left)))
        XCTAssertEqual(ws.focus, .picker)
        XCTAssertEqual(ws.browser.cursor, 0)
    }
}

final class StatusTextTests: XCTestCase {
    func testPreviewSummaryNamesThePassShownAndBothTimes() {
        var history = PreviewHistory()
        XCTAssertNil(history.summary)
        let image = RGBImage(width: 2, height: 2)
        history.receive(PreviewFrame(generation: 3, kind: .quick, image: image, seconds: 0.038))
        XCTAssertEqual(history.summary, "#3 · rough 38 ms, sharpening…")
        history.receive(PreviewFrame(generation: 3, kind: .full, image: image, seconds: 0.412))
        XCTAssertEqual(history.summary, "#3 · 412 ms")
        history.receive(PreviewFrame(generation: 4, kind: .full, image: image, seconds: 12.5))
        XCTAssertEqual(history.summary, "#4 · 12 s", "a new render's timings replace the old ones")
        XCTAssertEqual(history.previousFull?.generation, 3)
    }

    func testMessagesCutPathsToFileNames() {
        XCTAssertEqual(Workstation.shortened("cannot read /tmp/a b/x/broken.png: not a PNG", folders: ["/tmp/a b/x"]),
                       "cannot read broken.png: not a PNG")
        XCTAssertEqual(Workstation.shortened("/srv/photos/cat.jpg: no such file"), "cat.jpg: no such file")
        XCTAssertEqual(Workstation.shortened("no style to apply"), "no style to apply")
    }
}

extension WorkstationStateTests {
    private func photoSession(_ names: [String] = ["cat.png"]) -> Session {
        Session(contentPath: folder.appendingPathComponent("coffee.png").path,
                styles: names.map { StyleChoice(path: styles.appendingPathComponent($0).path) })
    }

    func testWeightZeroOnTheOnlyStyleIsSaidAndThePictureIsNotCalledAfter() {
        // The only style on weighs nothing when the other style is turned off after its own
        // weight went to 0 (its slider no longer moves on its own).
        let ws = makeWorkstation(session: photoSession(["cat.png", "cup.png"]))
        settle(ws) { ws.previewPictures.first?.caption == "after" }
        ws.focus = .gallery
        for _ in 0..<5 { ws.handle(.character("H")) }   // Styles pane: much less of cat, down to 0
        XCTAssertEqual(ws.session.styles[0].weight, 0)
        ws.handle(.character("2"))                       // cup off: cat alone, weighing nothing
        settle(ws) { ws.preview.failure != nil }
        XCTAssertEqual(ws.message?.tone, .error)
        XCTAssertTrue(ws.message?.text.contains("weight above 0") == true, ws.message?.text ?? "")
        settle(ws) { ws.previewPictures.first != nil }
        XCTAssertNotEqual(ws.previewPictures.first?.caption, "after")
        // A step on the only style brings it back to its whole weight.
        ws.handle(.character("k"))
        ws.handle(.character("l"))
        XCTAssertEqual(ws.session.styles[0].weight, 1)
        settle(ws) { ws.previewPictures.first?.caption == "after" }
    }

    /// Weights are shares of the blend: the Styles pane and the Controls show each style's share,
    /// and the only style on (100% whatever its weight) has a slider that says why it does not move.
    func testWeightsAreSharesAndTheOnlyStylesSliderSaysWhy() {
        let ws = makeWorkstation(session: photoSession(["cat.png", "cup.png"]))
        ws.handle(.character("2"))                       // cup off: cat is the only style on
        settle(ws) { ws.previewPictures.first?.caption == "after" }
        let grid = CellGrid(size: CellSize(columns: 80, rows: 24))
        ws.draw(on: grid)
        let gallery = ws.layout!.gallery
        let stylesPane = (gallery.row..<(gallery.row + gallery.rows)).map { grid.line($0) }.joined(separator: "\n")
        XCTAssertTrue(stylesPane.contains("100%"), stylesPane)
        XCTAssertFalse(stylesPane.contains("1.00"), "weights are not shown as raw numbers:\n\(stylesPane)")
        XCTAssertEqual(ControlRow.weight(0).value(in: ws.session), "100%")
        XCTAssertEqual(ControlRow.weight(0).fraction(in: ws.session), 1)
        let generation = ws.studio.previewGeneration
        for (pane, key) in [(PaneID.gallery, Character("h")), (.gallery, "L"), (.controls, "h")] {
            ws.focus = pane
            if pane == .gallery { ws.handle(.character("g")) }
            if pane == .controls, let row = ws.controlRows.firstIndex(of: .weight(0)) { ws.controlCursor = row }
            ws.message = nil
            ws.handle(.character(key))
            XCTAssertEqual(ws.session.styles[0].weight, 1, "\(pane) \(key)")
            XCTAssertEqual(ws.message?.tone, .warning, "\(pane) \(key)")
            XCTAssertTrue(ws.message?.text.contains("cat is the only style on: it takes 100%") == true, ws.message?.text ?? "none")
        }
        XCTAssertEqual(ws.studio.previewGeneration, generation, "a slider that cannot change the picture renders nothing")
        // Two styles: a step moves the shares, and both panes show them.
        ws.focus = .gallery
        ws.handle(.character("2"))
        ws.handle(.character("g"))
        ws.handle(.character("H"))                       // cat 0.75, cup 1: 43% / 57%
        XCTAssertEqual(ws.message?.text, "cat 43%")
        XCTAssertEqual(ControlRow.weight(1).value(in: ws.session), "57%")
        ws.draw(on: grid)
        XCTAssertTrue(grid.text.contains("43%") && grid.text.contains("57%"), grid.text)
    }

    func testRegionRowsNameTheStylesTheRenderUses() {
        var session = photoSession(["cat.png", "cup.png"])
        session.mask = .preset(PresetMask(shape: .leftRight))
        session.insideBlend = [WeightedStyle(index: 1, weight: 1)]
        let ws = makeWorkstation(session: session)
        XCTAssertEqual(ControlRow.inside.value(in: ws.session), "cup")
        ws.handle(.character("2"))   // cup off: the render falls back to the active styles
        XCTAssertEqual(ws.session.styles[1].active, false)
        XCTAssertEqual(ControlRow.inside.value(in: ws.session), "all active styles")
    }

    func testTheMaskPromptStartsEmptyAndEnterUsesTheLastMask() throws {
        let ws = makeWorkstation(session: photoSession())
        ws.handle(.tab)
        let maskRow = try XCTUnwrap(ws.controlRows.firstIndex(of: .mask))
        for _ in 0..<maskRow { ws.handle(.character("j")) }
        ws.handle(.enter)
        XCTAssertEqual(ws.prompt?.purpose, .maskPath)
        XCTAssertEqual(ws.prompt?.text, "", "nothing pre-filled: typing does not append")
        for c in "missing/mask.png" { ws.handle(.character(c)) }
        ws.handle(.enter)
        XCTAssertTrue(ws.message?.text.hasPrefix("missing/mask.png: no such file") == true, ws.message?.text ?? "")
        ws.handle(.enter)
        for c in "styles/cat.png" { ws.handle(.character(c)) }
        ws.handle(.enter)
        XCTAssertEqual(ws.session.mask, .image(path: styles.appendingPathComponent("cat.png").path))
        ws.handle(.enter)
        XCTAssertTrue(ws.prompt?.question.contains("Enter: cat.png") == true, ws.prompt?.question ?? "")
        ws.handle(.enter)
        XCTAssertEqual(ws.session.mask, .image(path: styles.appendingPathComponent("cat.png").path))
    }

    func testExportMasksAreNotListedAsPhotos() throws {
        try FileManager.default.copyItem(at: folder.appendingPathComponent("coffee.png"),
                                         to: folder.appendingPathComponent("coffee-atelier.png.mask.png"))
        let ws = makeWorkstation()
        XCTAssertFalse(ws.browser.entries.contains { $0.name.hasSuffix(".mask.png") }, ws.browser.entries.map(\.name).description)
        XCTAssertTrue(ws.browser.entries.contains { $0.name == "coffee.png" })
    }

    func testKeysWaitWhileTheWindowIsTooSmall() {
        let ws = makeWorkstation(session: photoSession())
        ws.draw(on: CellGrid(size: CellSize(columns: 40, rows: 10)))
        XCTAssertTrue(ws.tooSmall)
        ws.handle(.character("1"))
        XCTAssertEqual(ws.session.styles[0].active, true, "keys do nothing while only the notice shows")
        ws.draw(on: CellGrid(size: CellSize(columns: 80, rows: 24)))
        ws.handle(.character("1"))
        XCTAssertEqual(ws.session.styles[0].active, false)
    }
}

/// Issue 11's frictions not covered elsewhere: the sixel quick-picture flash, status feedback for
/// undo/redo, the help's mouse/prompt/list lines.
extension WorkstationStateTests {
    func testAQuickPictureIsNotShownWhereTheAdapterDrawsOnlyFullOnes() {
        let ws = makeWorkstation(session: photoSession())
        settle(ws) { ws.preview.latestFull != nil && !ws.studio.isRendering }
        let full = ws.preview.latestFull!
        let quick = PreviewFrame(generation: full.generation + 1, kind: .quick, image: full.image, seconds: 0.01)
        ws.preview.receive(quick)
        XCTAssertEqual(ws.previewPictures.first?.id, "g\(quick.generation)quick", "half-blocks show the quick picture")
        ws.policy = PreviewPolicy(showsQuickPasses: false, usesPalette: false)   // sixel, kitty
        XCTAssertEqual(ws.previewPictures.first?.id, "g\(full.generation)full", "sixel keeps the last full picture, no pale flash")
    }

    func testUndoAndRedoSayWhatTheyDid() {
        let ws = makeWorkstation(session: photoSession())
        ws.handle(.tab)
        ws.handle(.character("h"))
        XCTAssertEqual(ws.message?.text, "Alpha 0.95")
        ws.handle(.character("u"))
        XCTAssertEqual(ws.message?.text, "undone (Ctrl-R redoes)")
        ws.handle(.ctrl("r"))
        XCTAssertEqual(ws.message?.text, "redone")
        ws.handle(.ctrl("r"))
        XCTAssertEqual(ws.message?.text, "nothing to redo")
    }

    func testTheHelpNamesTheMouseThePromptKeysAndTheScrollPosition() {
        let help = KeyMap.standard.helpLines.map(\.text).joined(separator: "\n")
        for words in ["click a gauge to set it", "the wheel scrolls", "Ctrl-U clears the answer", "the cursor's row and the number of rows"] {
            XCTAssertTrue(help.contains(words), "the help says '\(words)'")
        }
    }
}
