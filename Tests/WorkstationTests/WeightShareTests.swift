import Foundation
import XCTest

/// Issue 11's friction "a single style's weight slider does nothing": weights are shares of the
/// blend, shown as such, and the only style's slider says why it does not move (tmux, 80x24).
final class WeightShareTests: TmuxTestCase {
    func testSharesAreShownAndTheOnlyStylesSliderSaysWhy() throws {
        let photo = folder.appendingPathComponent("coffee.png")
        try FileManager.default.copyItem(at: AtelierInstall.repoRoot.appendingPathComponent("Resources/demo-coffee.png"), to: photo)
        // A photo opened from the command line starts with the gallery's first style on.
        let tmux = try launch([photo.path])
        var screen = tmux.waitFor("Styles · 1 on", "render #")
        XCTAssertTrue(onRows(screen).allSatisfy { $0.hasSuffix("100%") } && onRows(screen).count == 1,
                      "the only style on shows its share, not its weight 1.00:\n\(screen)")
        tmux.send("h")                         // Styles has the focus, its cursor on that style
        screen = tmux.waitFor("why the slider does not move") { $0.contains("is the only style on") }
        XCTAssertTrue(screen.contains("100%"), screen)
        let rendered = renderNumber(screen)
        tmux.send("2")                         // a second style: 50% each
        screen = tmux.waitFor("Styles · 2 on")
        XCTAssertEqual(onRows(screen).filter { $0.hasSuffix("50%") }.count, 2, screen)
        tmux.send("g")
        tmux.send("H")                         // the first style 0.75 against 1: 43% / 57%
        screen = tmux.waitFor("the shares moved") { self.onRows($0).map { $0.suffix(3) } == ["43%", "57%"] }
        tmux.waitFor("a new render") { self.renderNumber($0) > rendered + 1 }
    }

    /// The Styles pane's rows of styles that are on ("1 ■ name ... 60%"), trimmed up to the pane's border.
    private func onRows(_ screen: String) -> [String] {
        screen.split(separator: "\n").filter { $0.contains("■") }.map {
            let row = $0.split(separator: "│", omittingEmptySubsequences: false)
            return (row.count > 1 ? String(row[1]) : String($0)).trimmingCharacters(in: .whitespaces)
        }
    }
}
