import Foundation
import Stylization
import XCTest
@testable import Engine

/// The session's model family: choosing it, what carries over, what renders and recipes get.
final class ModelFamilySessionTests: XCTestCase {
    func testChoosingAFamilyKeepsStylesAlphaColourAndMask() throws {
        var session = Session(contentPath: "/p.png", styles: [StyleChoice(path: "/a.png")], alpha: 0.4, color: .luminance,
                              mask: .preset(PresetMask(shape: .leftRight)))
        XCTAssertEqual(session.family, "ust16x")
        XCTAssertThrowsError(try session.apply(.setModel("nope"))) { error in
            XCTAssertEqual(error as? SessionCommandError, .noSuchModel("nope"))
            XCTAssertTrue("\(error)".contains("ust16x"), "\(error)")
        }
        for id in ModelCatalog.ids {
            try session.apply(.setModel(id))
            XCTAssertEqual(session.family, id)
            // Image styles carry over; a built-in family starts with a built-in (builtin:0) beside them.
            XCTAssertEqual(session.styles.filter { $0.builtinIndex == nil }, [StyleChoice(path: "/a.png")])
            if ModelCatalog.entry(id)!.family.usesBuiltinStyles {
                XCTAssertTrue(session.styles.contains { $0.builtinIndex != nil }, "\(id): \(session.styles)")
            }
            XCTAssertEqual(session.alpha, 0.4)
            XCTAssertEqual(session.color, .luminance)
            XCTAssertEqual(session.mask, .preset(PresetMask(shape: .leftRight)))
        }
    }

    func testTheFamilyIsSavedWithTheSessionAndOldFilesMeanUST16x() throws {
        var session = Session(contentPath: "/p.png")
        try session.apply(.setModel("ust16x"))
        let decoded = try JSONDecoder().decode(Session.self, from: JSONEncoder().encode(session))
        XCTAssertEqual(decoded.family, "ust16x")
        let old = try JSONDecoder().decode(Session.self, from: Data(#"{"content": "/p.png"}"#.utf8))
        XCTAssertNil(old.model)
        XCTAssertEqual(old.family, "ust16x")
    }

    func testBuiltinChoicesAreNamedByNumberAndIgnoredByImageFamilies() throws {
        XCTAssertEqual(StyleChoice.builtin(19).builtinIndex, 19)
        XCTAssertEqual(StyleChoice.builtin(19).path, "builtin:19")
        XCTAssertNil(StyleChoice(path: "/styles/builtin.png").builtinIndex)
        let fixtures = try Fixtures(self)
        var session = fixtures.session
        session.styles.insert(.builtin(3), at: 1)
        XCTAssertTrue(session.styleFits(0))
        XCTAssertFalse(session.styleFits(1), "UST-16x takes images, not built-ins")
        XCTAssertEqual(session.activeBlend.map(\.index), [0, 2])
        let blends = try Blends(session)
        XCTAssertEqual(blends.used, [0, 2])
        let recipe = try RenderRecipe(session: session, output: URL(fileURLWithPath: "/tmp/x.png"), longerSide: 64, maskFile: nil)
        XCTAssertEqual(recipe.model, "ust16x")
        XCTAssertEqual(recipe.styles.map(\.path), [fixtures.styleA, fixtures.styleB])
        XCTAssertEqual(recipe.styleSize, RenderRecipe.defaultStyleSize)
    }
}
