import Engine
import Foundation
import XCTest
@testable import Workstation

/// `atelier --resume` with an autosave that cannot be read: the workstation opens on a new
/// session, says so, and keeps the damaged file aside so the next --resume is not blocked.
final class DamagedAutosaveTests: XCTestCase {
    func testADamagedAutosaveIsSetAsideAndANewSessionStarts() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["ATELIER_HOME": home.path]
        let autosave = SessionStore.autosaveURL(environment: environment)
        try FileManager.default.createDirectory(at: autosave.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{\"format\": \"atelier-session\", \"version\": 1, \"session\": {\"alpha\": \"high\"".utf8).write(to: autosave)

        let launch = WorkstationLaunch(folder: home, resume: true, styleFolders: [], home: home, environment: environment)
        let (session, note) = try launch.initialSession(gallery: StyleGallery(folders: []))
        XCTAssertEqual(session, Session())
        let text = try XCTUnwrap(note?.text)
        XCTAssertTrue(text.contains("autosave.json.damaged") && text.contains("starting a new session"), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: autosave.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: autosave.path + ".damaged"))

        let (_, again) = try launch.initialSession(gallery: StyleGallery(folders: []))
        XCTAssertEqual(again?.text, "no autosaved session yet: starting a new one")
    }
}
