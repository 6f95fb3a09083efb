import ArgumentParser

/// `--shard K/N`: part K (1-based) of a folder split N ways, for running one folder on several
/// hosts or array tasks with no shared state. A photo's part depends only on its name (FNV-1a
/// hash of the UTF-8 bytes, modulo N), so every process agrees on the split without talking to
/// the others, and adding photos does not move the others to other parts.
struct FolderShard: ExpressibleByArgument, Equatable {
    /// This part, 1...count.
    var index: Int
    /// How many parts.
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            return nil
        }
        self.index = index
        self.count = count
    }

    /// Whether the photo named `name` belongs to this part.
    func contains(_ name: String) -> Bool {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash % UInt32(count)) == index - 1
    }

    static var defaultValueDescription: String { "K/N" }
}
