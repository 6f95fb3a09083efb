import Engine
import Foundation
import Imaging

/// What `atelier sheet` writes: SHEET.png with its description SHEET.png.json (one output pair,
/// replaced together) and the folder SHEET.png.cells/ of full-size recipes, one per cell, put in
/// place whole (made under a temporary name, then renamed).
struct SheetOutput {
    /// The sheet.
    let image: URL
    /// Its description, beside it.
    var description: URL { RenderRecipe.recipeURL(forOutput: image) }
    /// The folder of the cells' recipes.
    var cellsFolder: URL { image.deletingLastPathComponent().appendingPathComponent(image.lastPathComponent + ".cells") }

    /// What `--json` prints per cell: `cell` (0 is the photo itself), `label`, `model` (nil for
    /// the photo), `recipe` (the full-size recipe's absolute path, nil for the photo), `sheet`,
    /// and where the cell's picture is on it: `x`, `y`, `width`, `height` in pixels.
    struct CellResult: Encodable {
        var cell: Int
        var label: String
        var model: String?
        var recipe: String?
        var sheet: String
        var x: Int
        var y: Int
        var width: Int
        var height: Int
    }

    /// Fails before any work when the sheet, its description or its cells folder exists (without
    /// `overwrite`) or cannot be written.
    func check(overwrite: Bool) throws {
        let pair = try OutputPair.prepare(image: image, overwrite: overwrite)
        guard !pair.isStream else { throw CLIFailure.usage("\(image.path): a sheet is written to a regular file, with its recipes beside it") }
        if !overwrite, FileManager.default.fileExists(atPath: cellsFolder.path) {
            throw CLIFailure.usage("\(cellsFolder.path) already exists (use --force to replace it)")
        }
    }

    /// A private folder for the cells' renders (removed by the caller), named like any temporary
    /// of ours so that one left by a killed run is swept by the next (this sweeps them first).
    static func scratchFolder() throws -> URL {
        let temporary = FileManager.default.temporaryDirectory
        TemporaryFiles.sweep(temporary)
        let url = TemporaryFiles.url(beside: temporary.appendingPathComponent("atelier-sheet"), tag: "cells\(UInt32.random(in: 0...UInt32.max))")
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw CLIFailure.runtime("cannot make a scratch folder in \(url.deletingLastPathComponent().path): \(FileErrorText.reason(for: error))")
        }
        return url
    }

    /// Writes the cells folder (each rendered cell's recipe made full size: no `size`, no
    /// recorded execution, output beside it in the folder), then the sheet and its description.
    func write(_ sheet: RGBImage, plan: SheetPlan, recipes: [RenderRecipe?], frames: [ContactSheet.Frame],
               photo: RenderRecipe.InputFile, box: Int, overwrite: Bool) throws -> (cellsFolder: URL, cells: [CellResult]) {
        let fm = FileManager.default
        let staging = TemporaryFiles.url(beside: cellsFolder, tag: "cells")
        try? fm.removeItem(at: staging)
        do { try fm.createDirectory(at: staging, withIntermediateDirectories: false) } catch {
            throw CLIFailure.runtime("cannot write \(cellsFolder.path): \(FileErrorText.reason(for: error))")
        }
        var cleanup: URL? = staging
        defer { if let cleanup { try? fm.removeItem(at: cleanup) } }
        var described: [SheetDescription.Cell] = []
        var results: [CellResult] = []
        for (n, cell) in plan.cells.enumerated() {
            let frame = frames[n]
            var file: String?
            if var recipe = recipes[n] {
                recipe.size = nil
                recipe.execution = nil
                recipe.outputSHA256 = ""
                recipe.output = cellsFolder.appendingPathComponent(cell.fileStem + ".png").path
                do { try recipe.encoded().write(to: staging.appendingPathComponent(cell.fileStem + ".json")) } catch {
                    throw CLIFailure.runtime("cannot write \(cellsFolder.path): \(FileErrorText.reason(for: error))")
                }
                file = cellsFolder.lastPathComponent + "/" + cell.fileStem + ".json"
            }
            described.append(.init(label: cell.label, frame: frame, recipe: file))
            results.append(CellResult(cell: n, label: cell.label, model: recipes[n]?.family,
                                      recipe: file.map { image.deletingLastPathComponent().appendingPathComponent($0).path },
                                      sheet: image.path, x: frame.x, y: frame.y, width: frame.width, height: frame.height))
        }
        // The old folder (with --force) is moved aside, the new one renamed into place.
        let old = TemporaryFiles.url(beside: cellsFolder, tag: "oldcells")
        let hadOld = fm.fileExists(atPath: cellsFolder.path)
        if hadOld { guard rename(cellsFolder.path, old.path) == 0 else { throw cannotWrite(cellsFolder) } }
        guard rename(staging.path, cellsFolder.path) == 0 else {
            if hadOld { rename(old.path, cellsFolder.path) }
            throw cannotWrite(cellsFolder)
        }
        cleanup = hadOld ? old : nil
        do {
            let pair = try OutputPair.prepare(image: image, overwrite: overwrite)
            let writer = try pair.openImage(width: sheet.width, height: sheet.height)
            defer { writer.abort() }
            try writer.append(rows: sheet)
            let description = SheetDescription(photo: photo, box: box, cells: described)
            try pair.commit(writer) { _ in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                return try encoder.encode(description)
            }
        } catch {
            try? fm.removeItem(at: cellsFolder)
            if hadOld { rename(old.path, cellsFolder.path) }
            cleanup = nil
            throw error
        }
        return (cellsFolder, results)
    }

    private func cannotWrite(_ url: URL) -> CLIFailure {
        CLIFailure.runtime("cannot write \(url.path): \(String(cString: strerror(errno)))")
    }
}
