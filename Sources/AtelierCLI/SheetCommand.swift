import ArgumentParser
import Engine
import Foundation
import Imaging
import Stylization

/// `atelier sheet PHOTO -o SHEET.png`: the photo in each style and each model family on one
/// labelled contact sheet, with a full-size recipe per cell.
struct SheetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "A contact sheet: the photo in each style and model family, labelled, with a recipe per cell.",
        discussion: """
        Cells: the photo, then each -s style with each --model family (default: every family that \
        takes style images), then with --builtins each of CIN-26's 26 built-in styles. Beside \
        SHEET.png go SHEET.png.json (where each cell is) and the folder SHEET.png.cells/ with one \
        recipe per cell for the full-size render: `atelier render --recipe SHEET.png.cells/03-magenta-picasso.json` \
        writes SHEET.png.cells/03-magenta-picasso.png (or give -o).
        """)

    @Argument(help: "The photo.")
    var photo: String

    @Option(name: [.short, .customLong("output")], help: "The sheet to write (PNG).")
    var output: String

    @Option(name: [.short, .customLong("style")], help: "A style image (repeatable; default: the bundled paintings in Styles/).")
    var styles: [String] = []

    @Option(name: .customLong("model"), help: ArgumentHelp("A family for the -s styles (repeatable; default: \(SheetCommand.imageFamilies.map(\.id).joined(separator: ", "))).", valueName: "FAMILY"))
    var models: [String] = []

    @Flag(help: "Add CIN-26's 26 built-in styles.")
    var builtins = false

    @Option(help: "Each cell's longer side in pixels.")
    var size: Int = 256

    @Option(help: "Cells per row (default: as many as make the sheet roughly square).")
    var columns: Int?

    @Option(help: "Style strength for every cell, 0 (photo) to 1 (full style).")
    var alpha: Float = 1

    @Flag(help: "Replace SHEET.png, its description and its cells folder if they exist.")
    var force = false

    @Flag(help: "Print one JSON object per cell on standard output (see README).")
    var json = false

    @Option(help: "Where the models are installed (default: $ATELIER_HOME or ~/.local/share/atelier).")
    var home: String?

    /// The families that take style images.
    static var imageFamilies: [ModelFamily] { ModelCatalog.entries.map(\.family).filter { !$0.usesBuiltinStyles } }

    func validate() throws {
        guard (16...2048).contains(size) else { throw ValidationError("--size must be between 16 and 2048 (got \(size))") }
        if let columns, columns < 1 { throw ValidationError("--columns must be at least 1 (got \(columns))") }
        guard alpha.isFinite, (0...1).contains(alpha) else { throw ValidationError("--alpha must be between 0 and 1 (got \(alpha))") }
        guard output != RenderRecipe.standardStream else { throw ValidationError("-o -: a sheet is written to a file, with its recipes beside it") }
        for id in models {
            guard let entry = ModelCatalog.entry(id) else {
                throw ValidationError("--model \(id): unknown model family (known: \(ModelCatalog.ids.joined(separator: ", ")))")
            }
            if entry.family.usesBuiltinStyles { throw ValidationError("--model \(id) has built-in styles: give --builtins for them") }
        }
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL.path }
        let font: BitmapFont
        do { font = try BitmapFont(contentsOf: BitmapFont.labelFontPath) } catch { throw CLIFailure.runtime("\(error)") }
        let sheet = SheetOutput(image: URL(fileURLWithPath: absolute(output)))
        try sheet.check(overwrite: force)
        let styleFiles = styles.isEmpty ? try bundledStyles() : styles.map(absolute)
        let families = models.isEmpty ? Self.imageFamilies : models.compactMap { ModelCatalog.entry($0)?.family }
        let scratch = try SheetOutput.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plan = SheetPlan(photo: absolute(photo), styles: styleFiles, families: families,
                             builtinFamily: builtins ? ModelCatalog.entries.map(\.family).first(where: \.usesBuiltinStyles) : nil,
                             alpha: alpha, box: size, scratch: scratch)

        let runner = RenderRunner(home: home)
        let start = Date()
        var pictures: [RGBImage] = []
        var recipes: [RenderRecipe?] = []
        for (n, cell) in plan.cells.enumerated() {
            guard let recipe = cell.recipe else {
                let original = try ImageFile.read(URL(fileURLWithPath: absolute(photo))).resized(longerSide: size)
                pictures.append(original)
                recipes.append(nil)
                continue
            }
            let outcome = try runner.render(RenderJob(recipe: recipe), overwrite: true, verifyInputs: false,
                                            label: "\(n)/\(plan.cells.count - 1) \(cell.label)")
            pictures.append(try ImageFile.read(outcome.output))
            try? FileManager.default.removeItem(at: outcome.output)
            try? FileManager.default.removeItem(at: outcome.recipe)
            recipes.append(outcome.recipeValue)
            if !json { FileHandle.standardError.write(Data("cell \(n)/\(plan.cells.count - 1) \(cell.label) (\(String(format: "%.2f", outcome.seconds)) s)\n".utf8)) }
        }
        if runner.interrupted { throw CLIFailure.interrupted }
        let layout = ContactSheet(box: size, columns: columns ?? ContactSheet.columns(for: plan.cells.count), font: font)
        let (image, frames) = layout.compose(pictures, labels: plan.cells.map(\.label))
        let written = try sheet.write(image, plan: plan, recipes: recipes, frames: frames,
                                      photo: RenderRecipe.InputFile(path: absolute(photo), sha256: recipes.compactMap { $0 }.first?.content.sha256 ?? ""),
                                      box: size, overwrite: force)
        if json {
            for result in written.cells { JSONLines.print(result) }
        } else {
            print("wrote \(sheet.image.path) (\(image.width)x\(image.height), \(plan.cells.count) cells, \(String(format: "%.1f", Date().timeIntervalSince(start))) s), \(sheet.description.lastPathComponent) and \(written.cellsFolder.lastPathComponent)/")
        }
    }

    /// The paintings bundled in Styles/.
    private func bundledStyles() throws -> [String] {
        let folder = BundledFiles.root.appendingPathComponent("Styles")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let styles = names.filter { ImageFormat.fileExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !styles.isEmpty else { throw CLIFailure.usage("no bundled paintings in \(folder.path): give -s STYLE") }
        return styles.map { folder.appendingPathComponent($0).path }
    }
}
