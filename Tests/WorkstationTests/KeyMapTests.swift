import Foundation
import Terminal
import Workstation
import XCTest

final class KeyMapTests: XCTestCase {
    let map = KeyMap.standard

    func testPaneBindingsWinOverGlobalOnes() {
        XCTAssertEqual(map.action(for: .character("l"), focus: .controls), .increase)
        XCTAssertEqual(map.action(for: .character("L"), focus: .controls), .increaseLarge)
        XCTAssertEqual(map.action(for: .shiftLeft, focus: .controls), .decreaseLarge)
        XCTAssertEqual(map.action(for: .character("l"), focus: .picker), .activate)
        XCTAssertEqual(map.action(for: .character("h"), focus: .picker), .parentFolder)
        XCTAssertEqual(map.action(for: .character("h"), focus: .gallery), .decrease)
        XCTAssertEqual(map.action(for: .enter, focus: .gallery), .toggleStyle)
        XCTAssertEqual(map.action(for: .enter, focus: .controls), .activate)
    }

    func testGlobalKeysWorkInEveryPane() {
        for pane in PaneID.allCases {
            XCTAssertEqual(map.action(for: .tab, focus: pane), .nextPane)
            XCTAssertEqual(map.action(for: .backtab, focus: pane), .previousPane)
            XCTAssertEqual(map.action(for: .character("u"), focus: pane), .undo)
            XCTAssertEqual(map.action(for: .ctrl("r"), focus: pane), .redo)
            XCTAssertEqual(map.action(for: .character("?"), focus: pane), .help)
            XCTAssertEqual(map.action(for: .character("q"), focus: pane), .quit)
            XCTAssertEqual(map.action(for: .character("e"), focus: pane), .export)
            XCTAssertEqual(map.action(for: .character("j"), focus: pane), .cursorDown)
            XCTAssertEqual(map.action(for: .up, focus: pane), .cursorUp)
            for digit in 1...9 {
                XCTAssertEqual(map.action(for: .character(Character(String(digit))), focus: pane), .toggleStyleNumber)
            }
        }
        XCTAssertNil(map.action(for: .character("0"), focus: .controls))
        XCTAssertNil(map.action(for: .character("Z"), focus: .picker))
        XCTAssertNil(map.action(for: .character("m"), focus: .controls), "m is the picker's only")
    }

    func testTabOrderWrapsAround() {
        XCTAssertEqual(PaneID.picker.neighbour(by: 1), .gallery)
        XCTAssertEqual(PaneID.controls.neighbour(by: 1), .picker)
        XCTAssertEqual(PaneID.picker.neighbour(by: -1), .controls)
    }

    func testEveryActionIsBoundAndNoKeyIsBoundTwiceInOneScope() {
        let bound = Set(map.bindings.map(\.action))
        for action in Action.allCases {
            XCTAssertTrue(bound.contains(action), "\(action) has no key")
        }
        for section in map.sections {
            var seen: [KeyEvent: Action] = [:]
            for binding in section.bindings {
                for key in binding.keys {
                    XCTAssertNil(seen[key], "\(key.name) bound twice in \(section.scope.heading)")
                    seen[key] = binding.action
                }
            }
        }
    }

    func testHelpIsGeneratedFromTheBindings() {
        let lines = map.helpLines.map(\.text)
        XCTAssertEqual(lines.first, "Everywhere")
        for binding in map.bindings {
            XCTAssertTrue(lines.contains { $0.contains(binding.keyLabel) && $0.hasSuffix(binding.description) },
                          "help lacks \(binding.keyLabel) \(binding.description)")
        }
        XCTAssertEqual(lines.filter { $0 == "Photos pane" || $0 == "Styles pane" || $0 == "Controls pane" }.count, 3)
        XCTAssertEqual(map.bindings.first { $0.action == .toggleStyleNumber }?.keyLabel, "1-9")
        XCTAssertEqual(map.bindings.first { $0.action == .redo }?.keyLabel, "Ctrl-R")
    }

    func testReadmeListsExactlyTheKeyMap() throws {
        let readme = try String(contentsOf: AtelierInstall.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains("## The workstation"))
        XCTAssertTrue(readme.contains(map.markdown), "README's key table differs from KeyMap.standard.markdown; "
                      + "regenerate it with `atelier --keymap-markdown`")
    }
}
