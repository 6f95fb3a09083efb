import Foundation

/// How a tiled render may use memory: the budget, the tile size, where spill files go.
public struct TilingOptions: Equatable, Sendable {
    /// Tile edge in pixels of the padded image (the part each tile computes, halo excluded);
    /// nil derives it from `memory`.
    public var tile: Int?
    /// The memory budget in bytes: tiles, buffers and the photo together.
    public var memory: Int
    /// The folder for spill files (memory-mapped temporary files, removed when done).
    public var spillDirectory: URL

    /// Creates options; by default the tile size follows from the budget.
    public init(tile: Int? = nil, memory: Int = TilingOptions.defaultMemory,
                spillDirectory: URL = FileManager.default.temporaryDirectory) {
        self.tile = tile
        self.memory = memory
        self.spillDirectory = spillDirectory
    }

    /// The budget used when none is given: 4 GiB, or half the machine's memory if that is less.
    public static let defaultMemory = min(4 << 30, Int(ProcessInfo.processInfo.physicalMemory / 2))

    /// Padded images with more pixels than this (2048 x 2048) are rendered in tiles even when
    /// the untiled pipeline would fit the budget: their output is streamed row by row.
    public static let untiledPixelLimit = 2048 * 2048

    /// The smallest tile edge accepted (one pooling cell of the deepest level).
    public static let minimumTile = 16

    /// The smallest tile edge chosen automatically: below it, halos cost more than tiles.
    public static let smallestAutomaticTile = 64
}

/// Why a tiled render cannot go ahead.
public enum TilingError: Error, Equatable, CustomStringConvertible {
    /// The tile edge is below `TilingOptions.minimumTile`.
    case tileTooSmall(Int)
    /// The memory budget cannot hold one tile with its halo.
    case budgetTooSmall(budget: Int, tile: Int, needed: Int)
    /// A spill file could not be created.
    case spillFailed(directory: String, reason: String)

    /// One line for the user, saying what to change.
    public var description: String {
        switch self {
        case .tileTooSmall(let tile):
            return "tile size \(tile) is too small: use at least \(TilingOptions.minimumTile) pixels"
        case .budgetTooSmall(let budget, let tile, let needed):
            return "memory budget \(MemorySize(bytes: budget)) is too small for one \(tile)-pixel tile plus its halo "
                + "(needs at least \(MemorySize(bytes: needed))); raise the memory budget or use smaller tiles"
        case .spillFailed(let directory, let reason):
            return "cannot create a spill file in \(directory) (\(reason)); free disk space there or raise the memory budget"
        }
    }
}
