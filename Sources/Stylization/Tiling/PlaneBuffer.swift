import Foundation
import Runtime

/// Something tiles read windows of float planes (channels x height x width) from.
protocol PlaneSource: AnyObject {
    var channels: Int { get }
    var height: Int { get }
    var width: Int { get }
    /// The values inside `rect` (within the planes' bounds), every channel.
    func read(_ rect: CellRect) -> Tensor
}

/// Float planes held in memory or, when the memory budget says so, in a memory-mapped
/// temporary file ("spill file").
///
/// A spill file is unlinked as soon as it is created, so it disappears when the buffer is
/// released, when the render fails and even when the process is killed; the disk space is
/// reserved up front so a full disk fails cleanly here rather than during a write. Pages are
/// handed back after every window read or written, so a spilled buffer adds almost nothing to
/// the resident set.
final class PlaneBuffer: PlaneSource {
    let channels: Int
    let height: Int
    let width: Int
    /// Whether the values live in a spill file.
    let isSpilled: Bool
    private let base: UnsafeMutablePointer<Float>
    private let byteCount: Int

    /// Bytes `channels x height x width` floats take.
    static func bytes(channels: Int, height: Int, width: Int) -> Int {
        channels * height * width * MemoryLayout<Float>.size
    }

    /// A buffer in memory (values undefined until written).
    init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        byteCount = Self.bytes(channels: channels, height: height, width: width)
        base = .allocate(capacity: max(1, channels * height * width))
        isSpilled = false
    }

    /// A buffer in a spill file in `directory`.
    init(spilledTo directory: URL, channels: Int, height: Int, width: Int) throws {
        self.channels = channels
        self.height = height
        self.width = width
        byteCount = max(1, Self.bytes(channels: channels, height: height, width: width))
        base = try SpillFile.map(bytes: byteCount, in: directory)
        isSpilled = true
    }

    /// A buffer placed as `storage` says.
    convenience init(_ storage: BufferStorage, channels: Int, height: Int, width: Int) throws {
        switch storage {
        case .memory: self.init(channels: channels, height: height, width: width)
        case .spill(let directory): try self.init(spilledTo: directory, channels: channels, height: height, width: width)
        }
    }

    deinit {
        if isSpilled {
            munmap(UnsafeMutableRawPointer(base), byteCount)
        } else {
            base.deallocate()
        }
    }

    func read(_ rect: CellRect) -> Tensor {
        read(rect, channels: 0..<channels)
    }

    /// The values inside `rect` of the channels `selection`.
    func read(_ rect: CellRect, channels selection: Range<Int>) -> Tensor {
        precondition(rect.y0 >= 0 && rect.y1 <= height && rect.x0 >= 0 && rect.x1 <= width && rect.area > 0
                     && selection.lowerBound >= 0 && selection.upperBound <= channels && !selection.isEmpty,
                     "window outside the buffer")
        let (h, w, n) = (rect.height, rect.width, selection.count)
        let data = [Float](unsafeUninitializedCapacity: n * h * w) { out, initialized in
            for (k, c) in selection.enumerated() {
                for y in 0..<h {
                    let source = base + (c * height + rect.y0 + y) * width + rect.x0
                    (out.baseAddress! + (k * h + y) * w).update(from: source, count: w)
                }
            }
            initialized = n * h * w
        }
        release(rows: rect.y0..<rect.y1, channels: selection)
        return Tensor(channels: n, height: h, width: w, data: data)
    }

    /// Writes the part `part` of `tensor` (in the tensor's coordinates) at rows and columns
    /// starting `(y, x)`, into channels `firstChannel...` (as many as the tensor has).
    func write(_ tensor: Tensor, part: CellRect, y: Int, x: Int, firstChannel: Int = 0) {
        precondition(firstChannel >= 0 && firstChannel + tensor.channels <= channels && y >= 0 && x >= 0
                     && y + part.height <= height && x + part.width <= width, "window outside the buffer")
        tensor.data.withUnsafeBufferPointer { source in
            for k in 0..<tensor.channels {
                for row in 0..<part.height {
                    let from = source.baseAddress! + (k * tensor.height + part.y0 + row) * tensor.width + part.x0
                    (base + ((firstChannel + k) * height + y + row) * width + x).update(from: from, count: part.width)
                }
            }
        }
        release(rows: y..<(y + part.height), channels: firstChannel..<(firstChannel + tensor.channels))
    }

    /// Hands the pages holding `rows` of every channel back to the kernel (spill files only;
    /// their contents stay in the file).
    private func release(rows: Range<Int>, channels selection: Range<Int>) {
        guard isSpilled, !rows.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = UnsafeMutableRawPointer(base)
        for c in selection {
            let first = ((c * height + rows.lowerBound) * width) * MemoryLayout<Float>.size
            let last = ((c * height + rows.upperBound) * width) * MemoryLayout<Float>.size
            let alignedFirst = first / page * page
            let alignedLast = min(byteCount, (last + page - 1) / page * page)
            madvise(start + alignedFirst, alignedLast - alignedFirst, Int32(MADV_DONTNEED))
        }
    }
}

/// Where a buffer's values live.
enum BufferStorage: Equatable, Sendable {
    /// In ordinary memory.
    case memory
    /// In a memory-mapped temporary file in this folder.
    case spill(URL)

    var isSpill: Bool { if case .spill = self { return true } else { return false } }
}

/// Creating and mapping spill files.
enum SpillFile {
    /// The prefix of every spill file's name.
    static let prefix = "atelier-spill-"

    /// Creates a file of `bytes` bytes in `directory`, maps it shared and read-write, and
    /// unlinks it (the mapping keeps it alive until unmapped).
    static func map(bytes: Int, in directory: URL) throws -> UnsafeMutablePointer<Float> {
        var template = Array(directory.appendingPathComponent(prefix + "XXXXXX").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw TilingError.spillFailed(directory: directory.path, reason: lastError()) }
        let path = String(cString: template)
        defer { close(fd) }
        unlink(path)
        #if os(Linux)
        let reserved = posix_fallocate(fd, 0, off_t(bytes))
        guard reserved == 0 else {
            throw TilingError.spillFailed(directory: directory.path, reason: String(cString: strerror(reserved)))
        }
        #else
        guard ftruncate(fd, off_t(bytes)) == 0 else {
            throw TilingError.spillFailed(directory: directory.path, reason: lastError())
        }
        #endif
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw TilingError.spillFailed(directory: directory.path, reason: lastError())
        }
        return mapped.bindMemory(to: Float.self, capacity: bytes / MemoryLayout<Float>.size)
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
