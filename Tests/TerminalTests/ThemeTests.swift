import Foundation
import XCTest
@testable import Terminal

final class ThemeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var themesFolder: URL { TestImages.repoRoot.appendingPathComponent("Themes") }

    private func darkText() throws -> String {
        try String(contentsOf: themesFolder.appendingPathComponent("dark.toml"), encoding: .utf8)
    }

    @discardableResult
    private func write(_ name: String, _ text: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private func loadError(_ text: String, file: String = "mine.toml") throws -> ThemeError {
        let url = try write(file, text)
        do {
            _ = try Theme.load(url)
        } catch let error as ThemeError {
            XCTAssertTrue(error.description.contains(url.path), "error names the file: \(error)")
            return error
        }
        XCTFail("\(file) loaded although broken")
        throw XCTSkip("no error")
    }

    func testShippedThemesLoadAndMatchTheBuiltins() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: themesFolder.path).filter { $0.hasSuffix(".toml") }
        XCTAssertEqual(Set(files), ["dark.toml", "light.toml", "high-contrast.toml", "frost.toml"])
        XCTAssertEqual(ThemeCatalog.builtin.count, ThemeCatalog.builtinSources.count, "every built-in parses")
        for source in ThemeCatalog.builtinSources {
            let url = themesFolder.appendingPathComponent("\(source.id).toml")
            XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), source.toml, "\(source.id).toml differs from BuiltinThemes.swift")
            let theme = try Theme.load(url)
            XCTAssertEqual(theme.id, source.id)
            XCTAssertEqual(ThemeCatalog.builtin.first { $0.theme.id == source.id }?.theme, theme)
        }
        let dark = try Theme.load(themesFolder.appendingPathComponent("dark.toml"))
        XCTAssertEqual(dark.name, "Dark")
        XCTAssertEqual(dark[.background], TrueColor(hex: "#1c1c1c"))
        XCTAssertEqual(dark[.error], TrueColor(hex: "#ff5f5f"))
        XCTAssertTrue(dark.isDark)
        XCTAssertFalse(try Theme.load(themesFolder.appendingPathComponent("light.toml")).isDark)
        XCTAssertEqual(Theme.standard, dark)
    }

    /// WCAG contrast ratio of two colours.
    private func contrast(_ a: TrueColor, _ b: TrueColor) -> Double {
        func luminance(_ c: TrueColor) -> Double {
            func linear(_ v: UInt8) -> Double {
                let s = Double(v) / 255
                return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    func testBuiltinThemesAreReadableInTruecolorAnd256Colours() {
        let pairs: [(ThemeRole, ThemeRole, Double)] = [
            (.text, .background, 7), (.selectionText, .selection, 4.5), (.statusText, .statusBar, 4.5),
            (.dimText, .background, 3), (.accent, .background, 3), (.error, .background, 3),
            (.keyHint, .statusBar, 3), (.keyHint, .background, 3), (.title, .background, 3),
            (.focusedBorder, .background, 3), (.warning, .background, 3), (.success, .background, 3),
            (.sliderFill, .sliderEmpty, 2),
        ]
        for entry in ThemeCatalog.builtin {
            let theme = entry.theme
            for (fg, bg, ratio) in pairs {
                let required = theme.id == "high-contrast" ? min(7, 2 * ratio) : ratio
                XCTAssertGreaterThanOrEqual(contrast(theme[fg], theme[bg]), required,
                                            "\(theme.id): \(fg) on \(bg)")
                let fg256 = XtermPalette.color(at: XtermPalette.nearest256(theme[fg]))
                let bg256 = XtermPalette.color(at: XtermPalette.nearest256(theme[bg]))
                XCTAssertGreaterThanOrEqual(contrast(fg256, bg256), ratio * 0.8, "\(theme.id) in 256 colours: \(fg) on \(bg)")
            }
        }
    }

    func testBrokenTomlNamesFileAndPosition() throws {
        let error = try loadError("name = \"x\"\n[colors\nbackground = \"#000000\"\n")
        guard case let .syntax(_, line, _, _) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(line, 2)
        XCTAssertTrue(error.description.contains("not valid TOML"), error.description)
    }

    func testMissingRole() throws {
        let text = try darkText().replacingOccurrences(of: "slider_fill", with: "# slider_fill")
        let error = try loadError(text)
        XCTAssertEqual(error, .missingRole(file: directory.appendingPathComponent("mine.toml").path, role: .sliderFill))
        XCTAssertTrue(error.description.contains("no 'slider_fill'"), error.description)
    }

    func testBadColourValues() throws {
        let dark = try darkText()
        let short = try loadError(dark.replacingOccurrences(of: "\"#ff5f5f\"", with: "\"#ff5f5\""))
        XCTAssertEqual(short, .badColor(file: directory.appendingPathComponent("mine.toml").path, role: .error, value: "\"#ff5f5\""))
        XCTAssertTrue(short.description.contains("'error' is \"#ff5f5\", not a colour"), short.description)
        let number = try loadError(dark.replacingOccurrences(of: "\"#1c1c1c\"", with: "28"))
        guard case let .badColor(_, role, value) = number else { return XCTFail("\(number)") }
        XCTAssertEqual(role, .background)
        XCTAssertEqual(value, "28")
    }

    func testUnknownKeyAndStructure() throws {
        let dark = try darkText()
        let typo = try loadError(dark.replacingOccurrences(of: "accent ", with: "acent  "))
        XCTAssertEqual(typo, .unknownKey(file: directory.appendingPathComponent("mine.toml").path, key: "acent"))
        let noColors = try loadError("name = \"Empty\"\n")
        guard case .badStructure = noColors else { return XCTFail("\(noColors)") }
        let wrongName = try loadError(dark.replacingOccurrences(of: "name = \"Dark\"", with: "name = 3"))
        guard case .badStructure = wrongName else { return XCTFail("\(wrongName)") }
    }

    func testUnreadableFiles() throws {
        do {
            _ = try Theme.load(directory.appendingPathComponent("absent.toml"))
            XCTFail("loaded a missing file")
        } catch let error as ThemeError {
            guard case .unreadable = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.description.contains("absent.toml"))
        }
        let url = directory.appendingPathComponent("binary.toml")
        try Data([0xff, 0xfe, 0x00, 0x80]).write(to: url)
        XCTAssertThrowsError(try Theme.load(url))
    }

    func testCatalogReportsBrokenFilesAndFallsBackToDefault() throws {
        try write("sunset.toml", try darkText().replacingOccurrences(of: "name = \"Dark\"", with: "name = \"Sunset\""))
        try write("broken.toml", "this is = = not toml")
        try write("light.toml", try darkText().replacingOccurrences(of: "name = \"Dark\"", with: "name = \"My light\""))
        try write("notes.txt", "ignored")
        let catalog = ThemeCatalog(directories: [directory, directory.appendingPathComponent("missing")])
        XCTAssertEqual(catalog.ids, ["dark", "light", "high-contrast", "frost", "sunset"])
        XCTAssertEqual(catalog.theme(id: "light")?.name, "My light", "a user file replaces the built-in")
        XCTAssertEqual(catalog.problems.count, 1)
        XCTAssertTrue(catalog.problems.first?.description.contains("broken.toml") ?? false)

        let broken = catalog.resolve("broken")
        XCTAssertEqual(broken.theme.id, "dark")
        XCTAssertEqual(broken.problem, catalog.problems.first)
        let missing = catalog.resolve("nope")
        XCTAssertEqual(missing.theme.id, "dark")
        XCTAssertEqual(missing.problem?.description, "no theme 'nope'; available: dark, light, high-contrast, frost, sunset")
        XCTAssertEqual(catalog.resolve("sunset").theme.name, "Sunset")
        XCTAssertNil(catalog.resolve(nil).problem)

        XCTAssertEqual(catalog.next(after: "frost").id, "sunset")
        XCTAssertEqual(catalog.next(after: "sunset").id, "dark")
        XCTAssertEqual(catalog.previous(before: "dark").id, "sunset")
    }

    func testUserDirectory() {
        XCTAssertEqual(ThemeCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/a"])?.path,
                       "/cfg/atelier/themes")
        XCTAssertEqual(ThemeCatalog.userDirectory(environment: ["HOME": "/home/a"])?.path, "/home/a/.config/atelier/themes")
        XCTAssertNil(ThemeCatalog.userDirectory(environment: [:]))
    }
}
