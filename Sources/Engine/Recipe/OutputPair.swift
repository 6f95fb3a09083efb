#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Imaging

/// The two files a render writes, the PNG and its recipe beside it (`<png>.json`), replaced
/// together or not at all: both are written to temporary files first, and the old pair stays
/// on disk until both new files are in place. Everything that can be checked before a render
/// (folder, permissions, names too long, folders or devices in the way) is checked by `prepare`.
///
/// A device or FIFO as the PNG (`-o /dev/null`) is written straight into, never replaced, and
/// gets no recipe.
public struct OutputPair: Sendable {
    /// The PNG.
    public let image: URL
    /// The recipe beside it.
    public let recipe: URL
    /// Whether the PNG goes straight into a device or FIFO (and no recipe is written).
    public let isStream: Bool

    /// Checks that the pair can be written, before any work: the folder exists and is
    /// writable, no folder or other non-file stands in the way, the names are not too long,
    /// and an existing PNG is only replaced with `overwrite`. Sweeps temporary files that
    /// killed renders left in the folder.
    public static func prepare(image: URL, overwrite: Bool) throws -> OutputPair {
        let recipe = RenderRecipe.recipeURL(forOutput: image)
        switch kind(of: image) {
        case .stream:
            return OutputPair(image: image, recipe: recipe, isStream: true)
        case .folder:
            throw RenderJobError.cannotWrite(path: image.path, reason: "it is a folder")
        case .other:
            throw RenderJobError.cannotWrite(path: image.path, reason: "it is not a regular file, a character device or a FIFO")
        case .file where !overwrite:
            throw RenderJobError.outputExists(path: image.path)
        case .file, .missing:
            break
        }
        let folder = image.deletingLastPathComponent()
        guard kind(of: folder) == .folder else {
            throw RenderJobError.cannotWrite(path: image.path, reason: "folder \(folder.path) does not exist")
        }
        let limit = max(pathconf(folder.systemPath, Int32(_PC_NAME_MAX)), 14)
        for url in [image, recipe] where PathBytes.encode(url.lastPathComponent).count > limit {
            throw RenderJobError.cannotWrite(
                path: url.path, reason: "its name is \(PathBytes.encode(url.lastPathComponent).count) bytes long, over this folder's limit of \(limit) (a recipe adds .json to the PNG's name)")
        }
        switch kind(of: recipe) {
        case .folder: throw RenderJobError.cannotWrite(path: recipe.path, reason: "it is a folder")
        case .stream, .other: throw RenderJobError.cannotWrite(path: recipe.path, reason: "it is not a regular file")
        case .file, .missing: break
        }
        TemporaryFiles.sweep(folder)
        let probe = TemporaryFiles.url(beside: recipe, tag: "probe")
        TemporaryFiles.register(probe)
        defer { TemporaryFiles.unregister(probe) }
        let fd = open(probe.systemPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = errno == EACCES || errno == EPERM ? "folder \(folder.path) is not writable" : String(cString: strerror(errno))
            throw RenderJobError.cannotWrite(path: image.path, reason: reason)
        }
        close(fd)
        unlink(probe.systemPath)
        return OutputPair(image: image, recipe: recipe, isStream: false)
    }

    /// Starts the PNG: a temporary file beside it, or the device or FIFO itself.
    public func openImage(width: Int, height: Int) throws -> PNGStreamWriter {
        try PNGStreamWriter.open(image, width: width, height: height, stream: isStream)
    }

    /// Finishes the PNG and puts it in place with the recipe `makeRecipe` returns for it (given
    /// the finished PNG, e.g. to hash it). On any failure the old pair is left as it was and
    /// no temporary file remains. Returns false for a stream (no recipe was written).
    @discardableResult
    public func commit(_ writer: PNGStreamWriter, recipe makeRecipe: (URL) throws -> Data) throws -> Bool {
        if isStream {
            try writer.finish()
            return false
        }
        try commit(staged: try writer.finishStaged(), recipe: makeRecipe)
        return true
    }

    /// Puts `stagedImage`, a finished registered temporary file beside `image` (a PNG or a
    /// video), in place with the recipe `makeRecipe` returns for it, as `commit(_:recipe:)`
    /// does; `stagedImage` is gone afterwards either way.
    public func commit(staged stagedImage: URL, recipe makeRecipe: (URL) throws -> Data) throws {
        var staged = [stagedImage]
        defer { for url in staged { unlink(url.systemPath); TemporaryFiles.unregister(url) } }
        let stagedRecipe = TemporaryFiles.url(beside: recipe, tag: "r\(OutputPair.nextTag())")
        TemporaryFiles.register(stagedRecipe)
        staged.append(stagedRecipe)
        do {
            try Self.writeSynced(try makeRecipe(stagedImage), to: stagedRecipe, naming: recipe)
        } catch let error as RenderJobError {
            throw error
        } catch {
            throw RenderJobError.cannotWrite(path: recipe.path, reason: Self.reason(error))
        }
        // Keep the old pair reachable (hard links) until both new files are in place.
        var backups: [(backup: URL, original: URL)] = []
        let existed = [image, recipe].filter { kind(of: $0) == .file }
        for original in existed {
            let backup = TemporaryFiles.url(beside: original, tag: "o\(OutputPair.nextTag())")
            TemporaryFiles.register(backup)
            staged.append(backup)
            if link(original.systemPath, backup.systemPath) == 0 { backups.append((backup, original)) }
        }
        /// Puts the old PNG back (the recipe was not replaced), or removes the new one if there was none.
        func restore() {
            if let old = backups.first(where: { $0.original == image }) {
                rename(old.backup.systemPath, image.systemPath)
            } else if !existed.contains(image) {
                unlink(image.systemPath)
            }
        }
        guard rename(stagedImage.systemPath, image.systemPath) == 0 else {
            let reason = String(cString: strerror(errno))
            throw RenderJobError.cannotWrite(path: image.path, reason: reason)
        }
        guard rename(stagedRecipe.systemPath, recipe.systemPath) == 0 else {
            let reason = String(cString: strerror(errno))
            restore()
            throw RenderJobError.cannotWrite(path: recipe.path, reason: reason)
        }
        Self.syncFolder(image.deletingLastPathComponent())
    }

    private enum Kind { case missing, file, folder, stream, other }

    private static func kind(of url: URL) -> Kind {
        var info = stat()
        guard stat(url.systemPath, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFCHR, S_IFIFO: return .stream
        default: return .other
        }
    }

    private func kind(of url: URL) -> Kind { Self.kind(of: url) }

    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLock()

    private static func nextTag() -> Int {
        counterLock.lock()
        defer { counterLock.unlock() }
        counter += 1
        return counter
    }

    /// Writes `data` to a new file at `url` and syncs it to disk.
    private static func writeSynced(_ data: Data, to url: URL, naming destination: URL) throws {
        func failure() -> RenderJobError { .cannotWrite(path: destination.path, reason: String(cString: strerror(errno))) }
        let fd = open(url.systemPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure() }
        defer { close(fd) }
        var written = 0
        try data.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure() }
                written += n
            }
        }
        guard fsync(fd) == 0 else { throw failure() }
    }

    private static func syncFolder(_ folder: URL) {
        let fd = open(folder.systemPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    private static func reason(_ error: Error) -> String { FileErrorText.reason(for: error) }
}
