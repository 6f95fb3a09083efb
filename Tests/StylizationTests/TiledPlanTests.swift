import Foundation
import Runtime
@testable import Stylization
import XCTest

/// Halos, tile grids and budget decisions of tiled renders.
final class TiledPlanTests: XCTestCase {
    /// Encoder L runs L - 1 pools; its halo in output cells and the decoder's in input cells
    /// follow from the layer lists (hand-counted: 1, 2, 3, 4, 5 cells at levels 1 to 5).
    func testHalosPerLevelFollowTheLayerLists() throws {
        let model = try TestModel.shared()
        for level in 1...5 {
            let encoder = try XCTUnwrap(model.encoders[level]), decoder = try XCTUnwrap(model.decoders[level])
            XCTAssertEqual(encoder.poolCount, level - 1)
            XCTAssertEqual(decoder.upsampleCount, level - 1)
            XCTAssertEqual(encoder.interiorEdgeReach, level, "encoder \(level)")
            XCTAssertEqual(decoder.haloCells, level, "decoder \(level)")
        }
        XCTAssertEqual(model.decoders[5]!.interiorEdgeReach, 70, "decoder 5 reach in pixels")
        XCTAssertEqual(model.decoders[4]!.interiorEdgeReach, 30)
    }

    /// Tiles of 200 pixels: every boundary lies on the level's pooling grid in padded-image
    /// pixels, tiles cover the padded image exactly once, and none is larger than 200 plus a cell.
    func testTileOriginsAlignWithThePoolingGridWhateverTheTileSize() throws {
        let plan = try UST16xTiledStylizer(model: try TestModel.shared(), options: TilingOptions(tile: 200, memory: 8 << 30))
            .plan(width: 1000, height: 750, styleSizes: [(256, 200)], regionCount: 0, quality: .full)
        XCTAssertEqual(plan.paddedWidth, 1008)
        XCTAssertEqual(plan.paddedHeight, 752)
        var boundaries: [Int: Set<Int>] = [:]
        for level in plan.levels {
            let f = level.cellSize
            XCTAssertEqual(f, 1 << (level.level - 1))
            var covered = [Int](repeating: 0, count: plan.paddedWidth * plan.paddedHeight)
            for tile in level.bands.joined() {
                let pixels = tile.scaled(by: f)
                XCTAssertEqual(pixels.x0 % f, 0)
                XCTAssertEqual(pixels.y0 % f, 0)
                XCTAssertLessThanOrEqual(max(pixels.width, pixels.height), 200 + f)
                let window = level.encoderWindow(tile)
                XCTAssertEqual(window.x0 % f, 0, "encoder windows start on the pooling grid")
                XCTAssertEqual(window.y0 % f, 0)
                XCTAssertTrue(window.width % f == 0 && window.height % f == 0)
                for y in pixels.y0..<pixels.y1 { for x in pixels.x0..<pixels.x1 { covered[y * plan.paddedWidth + x] += 1 } }
                boundaries[level.level, default: []].insert(pixels.x0)
            }
            XCTAssertTrue(covered.allSatisfy { $0 == 1 }, "level \(level.level) tiles must cover the image once")
        }
        XCTAssertTrue(boundaries[5]!.allSatisfy { $0 % 16 == 0 })
        XCTAssertNotEqual(boundaries[1], boundaries[5], "level 1 is not held to level 5's grid")
    }

    func testMemorySizesParseWithBinarySuffixes() throws {
        XCTAssertEqual(try MemorySize(parsing: "2G").bytes, 2 << 30)
        XCTAssertEqual(try MemorySize(parsing: "512M").bytes, 512 << 20)
        XCTAssertEqual(try MemorySize(parsing: "64k").bytes, 64 << 10)
        XCTAssertEqual(try MemorySize(parsing: "1.5G").bytes, 3 << 29)
        XCTAssertEqual(try MemorySize(parsing: "2GiB").bytes, 2 << 30)
        XCTAssertEqual(try MemorySize(parsing: "2gb").bytes, 2 << 30)
        XCTAssertEqual(try MemorySize(parsing: "1000").bytes, 1000)
        XCTAssertEqual(MemorySize(bytes: 2 << 30).description, "2.0 GiB")
        XCTAssertThrowsError(try MemorySize(parsing: "0")) { XCTAssertEqual($0 as? MemorySizeError, .notPositive("0")) }
        XCTAssertThrowsError(try MemorySize(parsing: "-1G")) { XCTAssertEqual($0 as? MemorySizeError, .notPositive("-1G")) }
        for bad in ["", "G", "2X", "two", "1.2.3M", "2 G B"] {
            XCTAssertThrowsError(try MemorySize(parsing: bad), bad)
        }
    }

    /// A roomy budget keeps everything in memory with large tiles; a tight one spills the image
    /// between levels and the features of the expensive levels and recomputes the cheap ones.
    func testTheBudgetDecidesTileSizeAndWhatSpills() throws {
        let model = try TestModel.shared()
        func plan(_ memory: Int, tile: Int? = nil) throws -> TilePlan {
            try UST16xTiledStylizer(model: model, options: TilingOptions(tile: tile, memory: memory))
                .plan(width: 3000, height: 2000, styleSizes: [(512, 384)], regionCount: 1, quality: .full)
        }
        let roomy = try plan(16 << 30)
        XCTAssertFalse(roomy.spills)
        XCTAssertTrue(roomy.levels.allSatisfy { $0.features == .memory })
        let modest = try plan(1 << 30)
        XCTAssertLessThan(modest.tile, roomy.tile)
        XCTAssertLessThanOrEqual(modest.estimatedPeakBytes, 1 << 30)
        let minimum = try TilePlan.minimumBudget(model: model, quality: .full, tile: 64, regionCount: 1, threads: WorkerPool.shared.threadCount)
        let tight = try plan(minimum, tile: 64)
        XCTAssertTrue(tight.spills)
        XCTAssertEqual(tight.imageStorage?.isSpill, true)
        XCTAssertEqual(tight.levels.map(\.features), [.spill, .spill, .recompute, .recompute, .recompute])
        XCTAssertThrowsError(try plan(minimum - 1, tile: 64)) { error in
            guard case TilingError.budgetTooSmall(_, 64, minimum)? = error as? TilingError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue("\(error)".contains("64-pixel tile plus its halo"), "\(error)")
        }
        XCTAssertThrowsError(try plan(1 << 30, tile: 8)) { XCTAssertEqual($0 as? TilingError, .tileTooSmall(8)) }
    }

    func testLargeImagesAndTightBudgetsAreTiledSmallOnesAreNot() throws {
        let model = try TestModel.shared()
        let roomy = UST16xTiledStylizer(model: model, options: TilingOptions(memory: 4 << 30))
        XCTAssertFalse(try roomy.needsTiles(width: 1024, height: 768, styleSizes: [(512, 384)], regionCount: 0, quality: .full))
        XCTAssertTrue(try roomy.needsTiles(width: 3000, height: 2000, styleSizes: [(512, 384)], regionCount: 0, quality: .fast))
        let tight = UST16xTiledStylizer(model: model, options: TilingOptions(memory: 200 << 20))
        XCTAssertTrue(try tight.needsTiles(width: 1024, height: 768, styleSizes: [(512, 384)], regionCount: 0, quality: .full))
    }
}
