import Foundation
import XCTest

/// The polish key (`p`) in the real binary under tmux: the step and loss in the status bar, a
/// settings change cancelling it, and an export afterwards recording the polish in its recipe.
final class PolishKeyTests: TmuxTestCase {
    private let stepAndLoss = #"polishing: step [0-9]+/100 · loss [0-9]+\.[0-9]{4}"#

    private func waitForFinalRender(_ tmux: TmuxSession) {
        tmux.waitFor("render # final", timeout: 60) { self.renderNumber($0) > 0 && !$0.contains("sharpening") }
    }

    func testPolishShowsStepAndLossAndASettingsChangeCancelsIt() throws {
        let tmux = try launch(["--demo"])
        waitForFinalRender(tmux)
        tmux.send("p")
        let screen = tmux.waitFor("a polish step with its loss", timeout: 120) {
            $0.range(of: #"polishing: step [1-9][0-9]*/100 · loss [0-9]+\.[0-9]{4}"#, options: .regularExpression) != nil
        }
        XCTAssertTrue(statusLines(screen).range(of: stepAndLoss, options: .regularExpression) != nil, statusLines(screen))
        tmux.send("Tab")
        tmux.waitFor("Controls focused") { self.alpha($0) == "1.00" }
        tmux.send("h")   // alpha 0.95: the settings changed
        let cancelled = tmux.waitFor("polish cancelled: the settings changed")
        XCTAssertNil(cancelled.range(of: stepAndLoss, options: .regularExpression), "no step is shown after the cancel")
        XCTAssertNil(tmux.exitStatus)
    }

    func testExportOfAPolishedPreviewAppliesAndRecordsIt() throws {
        let tmux = try launch(["--demo"])
        waitForFinalRender(tmux)
        tmux.send("p")
        tmux.waitFor("a polish step", timeout: 120) { $0.contains("polishing: step") }
        tmux.send("e")   // while the polish runs: the export applies it too
        tmux.waitFor("longer side in px")
        tmux.type("48")
        tmux.send("Enter")
        let image = folder.appendingPathComponent("demo-coffee-atelier.png")
        tmux.waitFor("the export's PNG and recipe", timeout: 300) { _ in
            FileManager.default.fileExists(atPath: image.path) && FileManager.default.fileExists(atPath: image.path + ".json")
        }
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: image.path + ".json"))) as! [String: Any]
        let polish = try XCTUnwrap(recipe["polish"] as? [String: Any], "the recipe records the polish")
        XCTAssertEqual(polish["steps"] as? Int, 100)
        let weights = try XCTUnwrap(polish["weights"] as? [String: Double])
        XCTAssertEqual(weights["style"]!, 10, accuracy: 1e-6)   // alpha 1: the defaults
        XCTAssertNotNil((recipe["modelFiles"] as? [String: String])?["se5"])
    }
}
