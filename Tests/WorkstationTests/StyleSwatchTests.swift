import Foundation
import Stylization
import XCTest

/// Issue 9: with CIN-26 the Styles pane lists the 26 built-ins, each with a swatch of its look
/// (a small fixed scene rendered in that style in the background), so numbers are not all a
/// person has to choose by.
final class StyleSwatchTests: TmuxTestCase {
    /// The swatch cells in front of each visible "style N" row: N -> each cell's character and colours.
    private func swatches(_ tmux: TmuxSession) -> [Int: [String]] {
        let cells = ScreenCells(captured: tmux.capture(escapes: true))
        var found: [Int: [String]] = [:]
        for row in cells.rows {
            let characters = row.map { $0.unicodeScalars.first.map(String.init) ?? " " }
            let name = Array("style ")
            for column in 5..<max(5, characters.count - name.count) where characters[column..<(column + name.count)].joined() == String(name) {
                let digits = characters[(column + name.count)...].prefix { $0.first?.isNumber == true }.joined()
                guard let number = Int(digits) else { continue }
                found[number] = Array(row[(column - 5)..<(column - 1)])
            }
        }
        return found
    }

    private func model(_ screen: String) -> String? {
        guard let range = screen.range(of: #"Model +‹ [^›]+ ›"#, options: .regularExpression) else { return nil }
        return screen[range].split(separator: "‹").last?.dropLast().trimmingCharacters(in: .whitespaces)
    }

    func testCIN26BuiltinsShowSwatchesThatDifferAfterSwitching() throws {
        let cin26 = try XCTUnwrap(ModelCatalog.entries.map(\.family).first { $0.id == "cin26" })
        let tmux = try launch(["--demo"])
        tmux.waitFor("first full picture", timeout: 60) { self.renderNumber($0) > 0 }
        XCTAssertEqual(swatches(tmux), [:], "UST-16x lists paintings by name, without swatches")
        tmux.send("Tab")
        tmux.waitFor("Controls focused") { $0.contains("Alpha") }
        tmux.send("j", "j")   // Alpha, the demo style's weight, Model
        tmux.waitFor("Model row") { self.model($0) != nil }
        for _ in ModelCatalog.entries where model(tmux.screen()) != cin26.title {
            let shown = model(tmux.screen())
            tmux.send("l")
            tmux.waitFor("the next family") { self.model($0) != shown }
        }
        tmux.waitFor("CIN-26 chosen") { self.model($0) == cin26.title }
        var found: [Int: [String]] = [:]
        tmux.waitFor("swatches in front of the built-ins", timeout: 120) { _ in
            found = self.swatches(tmux)
            return found.count >= 3 && found.values.allSatisfy { $0.allSatisfy { $0.hasPrefix("\u{2580}|") } }
        }
        let looks = found.values.map { $0.joined(separator: " ") }
        XCTAssertEqual(Set(looks).count, looks.count, "each built-in's swatch differs: \(found)")
        XCTAssertNil(tmux.exitStatus)
    }
}
