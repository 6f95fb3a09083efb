import Foundation
import Stylization
import XCTest

/// The workstation in tmux (80x24) switching model families from the Model row: every family of
/// the catalog renders a new picture, built-in families list their styles, and what carries over
/// (alpha, the paintings) is still there after going round to UST-16x again.
final class ModelSwitchingTests: TmuxTestCase {
    /// The value shown on the Model row.
    private func model(_ screen: String) -> String? {
        guard let range = screen.range(of: #"Model +‹ [^›]+ ›"#, options: .regularExpression) else { return nil }
        return screen[range].split(separator: "‹").last?.dropLast().trimmingCharacters(in: .whitespaces)
    }

    func testTheModelRowSwitchesFamiliesAndEachRendersAPicture() throws {
        let families = ModelCatalog.entries.map(\.family)
        let tmux = try launch(["--demo"])
        var screen = tmux.waitFor("first full picture", timeout: 60) { self.renderNumber($0) > 0 && !$0.contains("sharpening") }
        tmux.send("Tab")
        tmux.waitFor("Controls focused with Alpha 1.00") { $0.contains("Alpha") && $0.contains("1.00") }
        tmux.send("h")   // alpha 0.95: it must survive the family round trip
        tmux.send("j", "j")   // Alpha, the demo style's weight, Model
        screen = tmux.waitFor("Model row shows UST-16x") { self.model($0) == "UST-16x" }
        XCTAssertTrue(screen.contains("Transform"), "UST-16x shows its transform row:\n\(screen)")
        let round = families.count > 1 ? Array(families.dropFirst() + families.prefix(1)) : []
        for family in round {
            let before = renderNumber(tmux.screen())
            tmux.send("l")
            screen = tmux.waitFor("\(family.title) chosen and rendered", timeout: 120) {
                self.model($0) == family.title && self.renderNumber($0) > before && !$0.contains("sharpening")
            }
            XCTAssertFalse(screen.lowercased().contains("error"), "\(family.id):\n\(screen)")
            XCTAssertEqual(screen.contains("Transform"), family.options.contains(.transform),
                           "the Transform row follows the family (\(family.id)):\n\(screen)")
            if family.usesBuiltinStyles {
                tmux.send("BTab")   // the Styles pane
                screen = tmux.waitFor("built-in styles listed") { $0.contains("style 0") && $0.contains("style 1") }
                tmux.send("Tab")
                tmux.waitFor("Controls again") { self.model($0) == family.title }
            }
        }
        screen = tmux.waitFor("back at UST-16x with alpha 0.95") { $0.contains("0.95") && self.model($0) == "UST-16x" }
        XCTAssertNil(tmux.exitStatus)
    }
}
