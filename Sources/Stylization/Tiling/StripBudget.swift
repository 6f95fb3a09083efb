import Foundation

/// The memory a strip-by-strip render may give its whole feature maps: each map is held in
/// memory while it fits in what is left, else it goes to a spill file (`PlaneBuffer`). A map
/// hands its bytes back when it is dropped.
final class StripBudget {
    /// A map's claim on the budget, returned when the map is released.
    final class Lease {
        private let budget: StripBudget
        private let bytes: Int

        fileprivate init(budget: StripBudget, bytes: Int) {
            self.budget = budget
            self.bytes = bytes
        }

        deinit { budget.available += bytes }
    }

    /// Bytes still free for maps.
    private(set) var available: Int
    /// Where spill files go.
    let spillDirectory: URL
    /// How many maps went to memory and to spill files so far.
    private(set) var heldMaps = 0, spilledMaps = 0

    init(available: Int, spillDirectory: URL) {
        self.available = available
        self.spillDirectory = spillDirectory
    }

    /// A buffer for a `channels` x `height` x `width` map: in memory with its lease when it fits,
    /// else in a spill file (no lease).
    func buffer(channels: Int, height: Int, width: Int) throws -> (PlaneBuffer, Lease?) {
        let bytes = PlaneBuffer.bytes(channels: channels, height: height, width: width)
        if bytes <= available {
            available -= bytes
            heldMaps += 1
            return (PlaneBuffer(channels: channels, height: height, width: width), Lease(budget: self, bytes: bytes))
        }
        spilledMaps += 1
        return (try PlaneBuffer(spilledTo: spillDirectory, channels: channels, height: height, width: width), nil)
    }
}
