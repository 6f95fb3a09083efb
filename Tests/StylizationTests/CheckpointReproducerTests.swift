import Foundation
import XCTest
@testable import Stylization

/// The legacy-torch reader on the inputs fuzzing found (Fuzz/Reproducers/legacy-torch): each is
/// refused with a `CheckpointError`, without crashing, overflowing the stack or asking for
/// gigabytes, and cyclic values are freed.
final class CheckpointReproducerTests: XCTestCase {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Reproducers/legacy-torch")

    private func reproducer(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
    }

    /// Runs `body` on a thread with a 512 KiB stack, like the workstation's worker threads.
    private func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
    }

    func testEveryReproducerIsRefusedWithACheckpointError() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 4)
        for name in names {
            let bytes = try reproducer(name)
            nonisolated(unsafe) var outcome: Error?
            onSmallStack {
                do { _ = try LegacyTorchCheckpoint.read(bytes: bytes, path: name) } catch { outcome = error }
            }
            XCTAssertTrue(outcome is CheckpointError, "\(name): \(String(describing: outcome))")
        }
    }

    func testDeepNestingIsRefusedBeforeItCanOverflowTheStack() throws {
        let bytes = try reproducer("deep-nesting-60000.bin")
        nonisolated(unsafe) var outcome = "no error"
        onSmallStack {
            var machine = PickleMachine(reader: ByteReader(bytes: bytes, path: "deep"), host: NoHost())
            do { _ = try machine.load() } catch { outcome = "\(error)" }
        }
        XCTAssertTrue(outcome.contains("nesting containers more than 100 deep"), outcome)
        // 100 levels are fine.
        let hundred: [UInt8] = [0x80, 2, 0x29] + [UInt8](repeating: 0x85, count: 99) + [0x2e]
        var machine = PickleMachine(reader: ByteReader(bytes: hundred, path: "hundred"), host: NoHost())
        XCTAssertNoThrow(try machine.load())
    }

    func testBroadcastViewsAreRefusedRatherThanMaterialised() throws {
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(bytes: try reproducer("broadcast-view-40GB.bin"), path: "b")) { error in
            XCTAssertTrue("\(error)".contains("broadcast view (10000000000 elements of a storage of 1)"), "\(error)")
        }
    }

    func testContainersCannotHoldThemselvesOrChangeOnceInside() throws {
        let cases: [([UInt8], String)] = [
            // EMPTY_DICT, BINPUT 0, "self", BINGET 0, SETITEM, STOP: d["self"] = d.
            ([0x80, 2, 0x7d, 0x71, 0, 0x8c, 4] + Array("self".utf8) + [0x68, 0, 0x73, 0x2e], "a dict that contains itself"),
            // EMPTY_LIST, BINPUT 0, BINGET 0, APPEND: l.append(l).
            ([0x80, 2, 0x5d, 0x71, 0, 0x68, 0, 0x61, 0x2e], "a list that contains itself"),
            // a = [], b = [a], then a.append(b) through the memo: a cycle of two.
            ([0x80, 2, 0x5d, 0x71, 0, 0x5d, 0x68, 0, 0x61, 0x71, 1, 0x30, 0x68, 0, 0x68, 1, 0x61, 0x2e],
             "changing a list or dict after it was put inside another container"),
        ]
        for (bytes, message) in cases {
            var machine = PickleMachine(reader: ByteReader(bytes: bytes, path: "cycle"), host: NoHost())
            XCTAssertThrowsError(try machine.load()) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }
}

private struct NoHost: PickleHost {
    func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
        throw CheckpointError.unsupported(path: "test", detail: "persistent id")
    }
    func call(module: String, name: String, arguments: [PickleValue]) throws -> PickleValue {
        throw CheckpointError.unsupported(path: "test", detail: "\(module).\(name)")
    }
}
