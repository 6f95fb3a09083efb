import Foundation
import Stylization
import XCTest
@testable import Engine

final class SessionStoreTests: XCTestCase {
    private func richSession() -> Session {
        Session(contentPath: "/photos/bridge.jpg",
                styles: [StyleChoice(path: "/styles/picasso.jpg", weight: 0.75),
                         StyleChoice(path: "/styles/whorls.jpg", weight: 2, active: false)],
                alpha: 0.35, transform: .wct, quality: .full, color: .luminance,
                mask: .preset(PresetMask(shape: .centreEllipse, split: 0.6, feather: 0.12)),
                insideBlend: [WeightedStyle(index: 1, weight: 1)],
                outsideBlend: [WeightedStyle(index: 0, weight: 0.5), WeightedStyle(index: 1, weight: 0.5)])
    }

    func testSaveAndLoadRoundTrip() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("nested/work.atelier.json")
        for session in [richSession(), Session(), Session(contentPath: "/p.png", mask: .image(path: "/m.png"))] {
            try SessionStore.save(session, to: url)
            XCTAssertEqual(try SessionStore.load(from: url), session)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["work.atelier.json"], "no temporary files left behind")
    }

    func testTheFileLooksAsDocumented() throws {
        let data = try SessionStore.encode(richSession())
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "atelier-session")
        XCTAssertEqual(json["version"] as? Int, 1)
        let session = try XCTUnwrap(json["session"] as? [String: Any])
        XCTAssertEqual(Set(session.keys), ["content", "styles", "alpha", "transform", "quality", "color", "mask",
                                           "inside", "outside"], "display settings (preview size, theme) are not in the file")
        XCTAssertEqual(session["transform"] as? String, "wct")
        let mask = try XCTUnwrap(session["mask"] as? [String: Any])
        XCTAssertEqual(mask["kind"] as? String, "preset")
        XCTAssertEqual(mask["shape"] as? String, "centreEllipse")
        let styles = try XCTUnwrap(session["styles"] as? [[String: Any]])
        XCTAssertEqual(styles[1]["active"] as? Bool, false)
    }

    func testHandWrittenMinimalFileGetsDefaultsAndRelativePaths() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("hand.json")
        try Data("""
        {"format": "atelier-session", "version": 1,
         "session": {"content": "photos/me.jpg", "styles": [{"path": "../paint.jpg"}],
                     "mask": {"kind": "preset", "shape": "leftRight"}}}
        """.utf8).write(to: url)
        let session = try SessionStore.load(from: url)
        XCTAssertEqual(session.contentPath, folder.appendingPathComponent("photos/me.jpg").path)
        XCTAssertEqual(session.styles, [StyleChoice(path: folder.deletingLastPathComponent().appendingPathComponent("paint.jpg").path)])
        XCTAssertEqual(session.mask, .preset(PresetMask(shape: .leftRight, split: 0.5, feather: 0.05)))
        XCTAssertEqual(session.alpha, 1)
    }

    /// A video frame's session names the clip and the frame (the photo is a temporary grab), as
    /// documented; a relative clip path is resolved like the others, a negative index reads as 0.
    func testAVideoFrameNamesItsClipAndFrame() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("clip.atelier.json")
        var session = Session()
        try session.apply(.setContent(path: "/tmp/.frames/frame-0000012.png", frame: ClipFrame(clip: "/videos/walk.mp4", index: 12)))
        try SessionStore.save(session, to: url)
        XCTAssertEqual(try SessionStore.load(from: url).frame, ClipFrame(clip: "/videos/walk.mp4", index: 12))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let frame = try XCTUnwrap((json["session"] as? [String: Any])?["frame"] as? [String: Any])
        XCTAssertEqual(frame["clip"] as? String, "/videos/walk.mp4")
        XCTAssertEqual(frame["index"] as? Int, 12)

        try session.apply(.setContent(path: "/photos/bridge.jpg"))
        XCTAssertNil(session.frame, "a photo is not a frame")
        try Data(#"{"format": "atelier-session", "version": 1, "session": {"frame": {"clip": "v/walk.mp4", "index": -3}}}"#.utf8).write(to: url)
        XCTAssertEqual(try SessionStore.load(from: url).frame, ClipFrame(clip: folder.appendingPathComponent("v/walk.mp4").path, index: 0))
        XCTAssertThrowsError(try session.apply(.setContent(path: "/p.png", frame: ClipFrame(clip: " ", index: 1))))
    }

    func testUnknownFutureVersionIsAClearError() throws {
        let data = Data(#"{"format": "atelier-session", "version": 7, "session": {"something": "new"}}"#.utf8)
        XCTAssertThrowsError(try SessionStore.decode(data, path: "future.json")) { error in
            XCTAssertEqual(error as? SessionFileError, .unsupportedVersion(path: "future.json", found: 7, supported: 1))
            XCTAssertEqual(String(describing: error),
                           "future.json uses session format version 7, but this Atelier reads versions 1...1: update Atelier to open it")
        }
    }

    func testOtherBadFilesAreClearErrors() throws {
        XCTAssertThrowsError(try SessionStore.decode(Data("not json".utf8), path: "x.json")) { error in
            XCTAssertEqual(error as? SessionFileError, .notASession(path: "x.json"))
        }
        XCTAssertThrowsError(try SessionStore.decode(Data(#"{"format": "other", "version": 1}"#.utf8), path: "x.json")) { error in
            XCTAssertEqual(error as? SessionFileError, .notASession(path: "x.json"))
        }
        XCTAssertThrowsError(try SessionStore.decode(Data(#"{"format": "atelier-session"}"#.utf8), path: "x.json")) { error in
            XCTAssertEqual(error as? SessionFileError,
                           .malformed(path: "x.json", reason: "\"version\" must be a whole number from 1"))
        }
        let wrongType = #"{"format": "atelier-session", "version": 1, "session": {"styles": [{"path": "a", "weight": "heavy"}]}}"#
        XCTAssertThrowsError(try SessionStore.decode(Data(wrongType.utf8), path: "x.json")) { error in
            XCTAssertEqual(String(describing: error), "session x.json is damaged: session.styles[0].weight has the wrong type")
        }
        let badEnum = #"{"format": "atelier-session", "version": 1, "session": {"transform": "fft"}}"#
        XCTAssertThrowsError(try SessionStore.decode(Data(badEnum.utf8), path: "x.json")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("session x.json is damaged: session.transform"), "\(error)")
        }
        XCTAssertThrowsError(try SessionStore.load(from: URL(fileURLWithPath: "/nonexistent/s.json"))) { error in
            XCTAssertEqual(String(describing: error), "cannot read session /nonexistent/s.json: no such file")
        }
    }

    func testAutosaveLocationFollowsAtelierHome() {
        let url = SessionStore.autosaveURL(environment: ["ATELIER_HOME": "/tmp/ah"])
        XCTAssertEqual(url.path, "/tmp/ah/sessions/autosave.json")
        XCTAssertTrue(SessionStore.autosaveURL(environment: [:]).path.hasSuffix("/.local/share/atelier/sessions/autosave.json"))
    }

    func testAutosaveIsDebouncedAndResumable() throws {
        let home = try makeScratchFolder(self)
        let environment = ["ATELIER_HOME": home.path]
        XCTAssertNil(try SessionStore.loadAutosave(environment: environment), "nothing to resume yet")
        let saver = Autosaver(url: SessionStore.autosaveURL(environment: environment), delay: 60)
        var history = SessionHistory(richSession())
        for step in 1...40 {
            try history.apply(.setAlpha(Float(step) / 40))
            saver.schedule(history.current)
        }
        XCTAssertEqual(saver.writeCount, 0, "still inside the quiet period")
        saver.flush()
        XCTAssertEqual(saver.writeCount, 1, "forty changes, one write")
        XCTAssertNil(saver.lastError)
        // A new process (after a crash or a dropped connection) finds the last state.
        XCTAssertEqual(try SessionStore.loadAutosave(environment: environment), history.current)
        saver.flush()
        XCTAssertEqual(saver.writeCount, 1, "nothing new to write")
    }

    func testAutosaveWritesAfterTheQuietPeriodOnItsOwn() throws {
        let home = try makeScratchFolder(self)
        let url = home.appendingPathComponent("sessions/autosave.json")
        let saver = Autosaver(url: url, delay: 0.05)
        saver.schedule(richSession())
        let deadline = Date(timeIntervalSinceNow: 30)
        while saver.writeCount == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertEqual(try SessionStore.load(from: url), richSession())
    }

    func testAutosaveReportsUnwritableLocations() throws {
        let home = try makeScratchFolder(self)
        let blocker = home.appendingPathComponent("file")
        try Data().write(to: blocker)
        let saver = Autosaver(url: blocker.appendingPathComponent("sessions/autosave.json"), delay: 60)
        saver.schedule(Session())
        saver.flush()
        XCTAssertEqual(saver.writeCount, 0)
        XCTAssertTrue(saver.lastError?.hasPrefix("cannot write session") ?? false, "\(saver.lastError ?? "nil")")
    }
}

final class SessionFileClampingTests: XCTestCase {
    func testOutOfRangeValuesAreClampedWhenRead() throws {
        let json = #"""
        {"format": "atelier-session", "version": 1, "session": {
          "alpha": 3, "styles": [{"path": "/a.jpg", "weight": -2}],
          "inside": [{"index": 0, "weight": -1}], "preview": {"width": 0, "height": 99999},
          "mask": {"kind": "preset", "shape": "topBottom", "split": 7, "feather": -1}}}
        """#
        let session = try SessionStore.decode(Data(json.utf8), path: "x.json")
        XCTAssertEqual(session.alpha, 1)
        XCTAssertEqual(session.styles[0].weight, 0)
        XCTAssertEqual(session.insideBlend, [WeightedStyle(index: 0, weight: 0)])
        XCTAssertEqual(session.mask, .preset(PresetMask(shape: .topBottom, split: 1, feather: 0)))
    }

    func testTheDocumentedExampleReads() throws {
        let doc = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/session-format.md"))
        let start = try XCTUnwrap(doc.range(of: "```json\n"))
        let end = try XCTUnwrap(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
        let session = try SessionStore.decode(Data(doc[start.upperBound..<end.lowerBound].utf8), path: "example")
        XCTAssertEqual(session.mask, .preset(PresetMask(shape: .leftRight, split: 0.4, feather: 0.05)))
        XCTAssertEqual(session.styles.count, 2)
        XCTAssertEqual(session.insideBlend, [WeightedStyle(index: 1, weight: 1)])
    }
}
