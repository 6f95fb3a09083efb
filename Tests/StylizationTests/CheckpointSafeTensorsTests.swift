import Foundation
import XCTest
@testable import Stylization

final class CheckpointSafeTensorsTests: XCTestCase {
    private let sample = [
        NamedTensor(name: "conv0.weight", shape: [3, 3, 1, 1], values: (0..<9).map { Float($0) * 0.25 - 1 }),
        NamedTensor(name: "conv0.bias", shape: [3], values: [0.5, -Float.greatestFiniteMagnitude, .leastNonzeroMagnitude]),
        NamedTensor(name: "empty", shape: [0, 4], values: []),
        NamedTensor(name: "scalar \"quoted\"", shape: [], values: [42]),
    ]
    private let metadata = ["format": "pt", "source": "se1.pth", "note": "line\nbreak \"and\" \\ \u{1}"]

    func testRoundTripKeepsNamesOrderShapesValuesAndMetadata() throws {
        let url = try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("t.safetensors")
        try SafeTensors.write(sample, metadata: metadata, to: url)
        let (tensors, readMetadata) = try SafeTensors.read(url)
        XCTAssertEqual(tensors, sample)
        XCTAssertEqual(readMetadata, metadata)
    }

    func testByteLayout() throws {
        let data = try SafeTensors.encode(Array(sample.prefix(2)), metadata: ["a": "b"])
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(length % 8, 0, "header padded to 8 bytes")
        XCTAssertEqual(data.count, 8 + length + 12 * 4)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data[8..<8 + length]) as? [String: Any])
        let bias = try XCTUnwrap(header["conv0.bias"] as? [String: Any])
        XCTAssertEqual(bias["dtype"] as? String, "F32")
        XCTAssertEqual((bias["data_offsets"] as? [NSNumber])?.map(\.intValue), [36, 48])
        XCTAssertEqual(header["__metadata__"] as? [String: String], ["a": "b"])
        // The first value of conv0.weight, -1.0f, little-endian right after the header.
        XCTAssertEqual(Array(data[8 + length..<12 + length]), [0x00, 0x00, 0x80, 0xbf])
    }

    func testPythonReadsWhatWeWrite() throws {
        let url = try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("p.safetensors")
        try SafeTensors.write(Array(sample.prefix(2)), metadata: metadata, to: url)
        let script = """
        import json, struct, sys
        import numpy as np
        data = open(sys.argv[1], 'rb').read()
        n = struct.unpack('<Q', data[:8])[0]
        header = json.loads(data[8:8 + n])
        meta = header.pop('__metadata__')
        out = {k: np.frombuffer(data[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], '<f4')
               .reshape(v['shape']).astype(float).tolist() for k, v in header.items()}
        print(json.dumps({'tensors': out, 'meta': meta}))
        """
        let json = try CheckpointMaterial.python(script, [url.path])
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(parsed["meta"] as? [String: String], metadata)
        let tensors = try XCTUnwrap(parsed["tensors"] as? [String: Any])
        XCTAssertEqual((tensors["conv0.bias"] as? [NSNumber])?.map { Float($0.doubleValue) }, sample[1].values)
        let weight = try XCTUnwrap(tensors["conv0.weight"] as? [[[[NSNumber]]]])
        XCTAssertEqual(weight.flatMap { $0.flatMap { $0.flatMap { $0.map { Float($0.doubleValue) } } } }, sample[0].values)
    }

    func testWriterRejectsInvalidTensors() throws {
        let url = try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("bad.safetensors")
        XCTAssertThrowsError(try SafeTensors.write([NamedTensor(name: "w", shape: [2, 2], values: [1, 2, 3])], metadata: [:], to: url)) {
            XCTAssertEqual($0 as? SafeTensorsError, .invalidTensor(name: "w", reason: "shape [2, 2] does not match 3 values"))
        }
        let twice = [NamedTensor(name: "w", shape: [1], values: [1]), NamedTensor(name: "w", shape: [1], values: [2])]
        XCTAssertThrowsError(try SafeTensors.write(twice, metadata: [:], to: url))
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    /// Decodes `data` and returns the error's description (failing if it decodes).
    private func decodeError(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try SafeTensors.decode(data, path: "m.safetensors")
            XCTFail("decoded invalid data", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is SafeTensorsError, file: file, line: line)
            XCTAssertTrue("\(error)".contains("m.safetensors"), "\(error)", file: file, line: line)
            return "\(error)"
        }
    }

    /// A file with the given header JSON and `dataBytes` zero bytes of data.
    private func file(header: String, dataBytes: Int) -> Data {
        var data = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        data.append(Data(count: dataBytes))
        return data
    }

    func testCorruptFilesAreRejectedClearly() throws {
        let good = try SafeTensors.encode(Array(sample.prefix(2)), metadata: [:])
        XCTAssertTrue(decodeError(good.prefix(5)).contains("shorter than the header length"))

        var hugeLength = good
        hugeLength[6] = 0x01
        XCTAssertTrue(decodeError(hugeLength).contains("header length"))

        XCTAssertTrue(decodeError(good.dropLast(4)).contains("conv0"))  // last tensor runs past the end

        XCTAssertTrue(decodeError(file(header: "{not json", dataBytes: 0)).contains("JSON"))
        let pastEnd = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        XCTAssertTrue(decodeError(file(header: pastEnd, dataBytes: 4)).contains("data_offsets [0, 8]"))
        let wrongSize = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        XCTAssertTrue(decodeError(file(header: wrongSize, dataBytes: 8)).contains("needs 12 bytes"))
        let halfFloat = #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#
        XCTAssertTrue(decodeError(file(header: halfFloat, dataBytes: 4)).contains("F16"))
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        XCTAssertTrue(decodeError(file(header: overlap, dataBytes: 8)).contains("'b'"))
        let trailing = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        XCTAssertTrue(decodeError(file(header: trailing, dataBytes: 8)).contains("cover 4 of the 8"))
    }
}
