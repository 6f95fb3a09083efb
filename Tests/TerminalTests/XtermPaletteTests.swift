import XCTest
@testable import Terminal

final class XtermPaletteTests: XCTestCase {
    private func nearest(_ hex: String) -> Int? { TrueColor(hex: hex).map(XtermPalette.nearest256) }

    func testKnownColoursMapToTheirEntries() {
        XCTAssertEqual(nearest("#000000"), 16)
        XCTAssertEqual(nearest("#ffffff"), 231)
        XCTAssertEqual(nearest("#ff0000"), 196)
        XCTAssertEqual(nearest("#00ff00"), 46)
        XCTAssertEqual(nearest("#0000ff"), 21)
        XCTAssertEqual(nearest("#5f87af"), 67)   // exact cube colour (1, 2, 3)
        XCTAssertEqual(nearest("#808080"), 244)  // grey ramp 8 + 10 * 12
        XCTAssertEqual(nearest("#eeeeee"), 255)  // lightest grey
        XCTAssertEqual(nearest("#121212"), 233)
        XCTAssertEqual(nearest("#ff8700"), 208)
        XCTAssertEqual(nearest("#fe0102"), 196)  // near red stays red
    }

    func testEveryPaletteEntryMapsToItselfOrAnIdenticalColour() {
        for index in 16...255 {
            let colour = XtermPalette.color(at: index)
            XCTAssertEqual(XtermPalette.color(at: XtermPalette.nearest256(colour)), colour, "entry \(index)")
        }
    }

    func testPaletteValues() {
        XCTAssertEqual(XtermPalette.color(at: 16).description, "#000000")
        XCTAssertEqual(XtermPalette.color(at: 67).description, "#5f87af")
        XCTAssertEqual(XtermPalette.color(at: 232).description, "#080808")
        XCTAssertEqual(XtermPalette.color(at: 255).description, "#eeeeee")
        XCTAssertEqual(XtermPalette.color(at: 9).description, "#ff0000")
    }

    func testBasicColoursForEightColourTerminals() {
        XCTAssertEqual(TrueColor(hex: "#1c1c1c").map { XtermPalette.nearest($0, amongFirst: 8) }, 0)
        XCTAssertEqual(TrueColor(hex: "#eeeeee").map { XtermPalette.nearest($0, amongFirst: 8) }, 7)
        XCTAssertEqual(TrueColor(hex: "#ff5f5f").map { XtermPalette.nearest($0, amongFirst: 16) }, 9)
        XCTAssertEqual(TrueColor(hex: "#d70000").map { XtermPalette.nearest($0, amongFirst: 8) }, 1)
        // A dark grey border stays grey: never red, even when black is taken by the background.
        let border = TrueColor(red: 0x4e, green: 0x4e, blue: 0x4e)
        XCTAssertEqual(XtermPalette.nearest(border, amongFirst: 8), 0)
        XCTAssertEqual(XtermPalette.nearest(border, amongFirst: 8, excluding: 0), 7)
        XCTAssertEqual(XtermPalette.nearest(border, amongFirst: 16, excluding: 0), 8)
        // In 256 colours a colour that collides with the background moves to its next-nearest entry.
        let nearBlack = TrueColor(red: 0x1a, green: 0x1a, blue: 0x1a)
        XCTAssertEqual(XtermPalette.nearest(nearBlack, amongFirst: 256), 234)
        XCTAssertNotEqual(XtermPalette.nearest(nearBlack, amongFirst: 256, excluding: 234), 234)
    }

    func testHexParsing() {
        XCTAssertEqual(TrueColor(hex: "#1A2b3C"), TrueColor(red: 0x1a, green: 0x2b, blue: 0x3c))
        XCTAssertNil(TrueColor(hex: "1a2b3c"))
        XCTAssertNil(TrueColor(hex: "#1a2b3"))
        XCTAssertNil(TrueColor(hex: "#1a2b3g"))
        XCTAssertNil(TrueColor(hex: "#1a2b3c4d"))
    }
}
