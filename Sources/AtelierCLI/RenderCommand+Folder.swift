import Engine
import Foundation
import Imaging
import Stylization

/// `atelier render DIR -o OUTDIR ...`: every photo of a folder with the same settings, each into
/// `OUTDIR/<name>.png` with its recipe. Existing renders are skipped unless `--force`; a photo
/// that fails is reported and the others go on; the command exits 1 at the end, after one line
/// per failure, when any failed (130 on Ctrl-C, the photo being rendered not written).
extension RenderCommand {
    func runFolder(_ folder: PhotoFolder) throws {
        let outputs = try outputFolder(for: folder)
        let all = try folder.photos()
        guard !all.isEmpty else {
            throw CLIFailure.runtime("\(folder.url.path) has no photos (\(ImageFormatNames.listed))")
        }
        let photos = shard.map { part in all.filter { part.contains($0.name) } } ?? all
        guard !photos.isEmpty else {
            printSummary([], seconds: 0)
            return
        }
        let runner = RenderRunner(home: home)
        let first = try makeRecipe(photo: photos[0].url.path, output: outputs.appendingPathComponent(photos[0].outputName).path)
        try checkSharedInputs(first)
        try checkTileFits(model: try runner.model(family: first.family).model, recipe: first)

        let start = Date()
        var results: [RenderResult] = []
        for photo in photos {
            let output = outputs.appendingPathComponent(photo.outputName)
            var result = RenderResult(status: .rendered, input: photo.url.path, output: output.path)
            if !force, FileManager.default.fileExists(atPath: output.path) {
                result.status = .skipped
                result.error = "\(output.path) exists (--force replaces it)"
                json ? JSONLines.print(result) : print("skipped \(photo.name): \(result.error!)")
                results.append(result)
                continue
            }
            do {
                if ClipRender.isVideo(photo.name) {
                    let outcome = try runner.renderClip(try clipRender(photo: photo.url.path, output: output.path), overwrite: force,
                                                        label: photo.name)
                    result = RenderResult(outcome, input: photo.url.path)
                    json ? JSONLines.print(result) : report(outcome)
                } else {
                    let job = RenderJob(recipe: try makeRecipe(photo: photo.url.path, output: output.path))
                    let outcome = try runner.render(job, overwrite: force, verifyInputs: false, label: photo.name)
                    result = RenderResult(outcome, input: photo.url.path)
                    json ? JSONLines.print(result) : report(outcome)
                }
            } catch let failure as CLIFailure where failure.exitCode == CLIFailure.interrupted.exitCode {
                printSummary(results, seconds: Date().timeIntervalSince(start))
                throw CLIFailure(message: "interrupted: \(photo.name) was not written (\(results.filter { $0.status == .rendered }.count) rendered before it)",
                                 exitCode: failure.exitCode)
            } catch {
                result.status = .failed
                result.error = CLIFailure(classifying: error, fallback: "\(error)").message
                FileHandle.standardError.write(Data(PathBytes.shown("atelier: \(photo.name): \(result.error!)\n").utf8))
                if json { JSONLines.print(result) }
            }
            results.append(result)
        }
        printSummary(results, seconds: Date().timeIntervalSince(start))
        let failed = results.filter { $0.status == .failed }
        guard failed.isEmpty else {
            for result in failed {
                FileHandle.standardError.write(Data(PathBytes.shown("failed: \((result.input as NSString).lastPathComponent): \(result.error!)\n").utf8))
            }
            throw CLIFailure.runtime("\(failed.count) of \(results.count) photos failed")
        }
    }

    /// The folder renders go to (made when missing): not the photos' own folder, whose next run
    /// would take the renders for photos.
    private func outputFolder(for folder: PhotoFolder) throws -> URL {
        guard let output, output != RenderRecipe.standardStream else {
            throw CLIFailure.usage("a folder of photos needs -o OUTDIR, a folder for the renders")
        }
        let url = URL(fileURLWithPath: absolute(output))
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIFailure.usage("-o \(output): not a folder (a folder of photos renders into a folder)") }
        } else {
            do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
                throw CLIFailure.runtime("cannot make the folder \(url.path): \(FileErrorText.reason(for: error))")
            }
        }
        var a = stat(), b = stat()
        if stat(url.path, &a) == 0, stat(folder.url.path, &b) == 0, a.st_dev == b.st_dev, a.st_ino == b.st_ino {
            throw CLIFailure.usage("-o \(output) is the photos' own folder: give another folder for the renders")
        }
        return url
    }

    /// Fails before any render when a style or mask every photo needs cannot be read (instead
    /// of failing once per photo).
    private func checkSharedInputs(_ recipe: RenderRecipe) throws {
        for path in recipe.styles.map(\.path) + recipe.regions.map(\.mask.path) {
            var info = stat()
            guard stat(path, &info) == 0 else { throw CLIFailure.runtime("\(path): no such file") }
            guard (info.st_mode & S_IFMT) == S_IFREG, access(path, R_OK) == 0 else {
                throw CLIFailure.runtime("\(path): cannot read it (not a readable regular file)")
            }
        }
    }

    /// The closing line: how many photos were rendered, skipped and failed (not with --json).
    private func printSummary(_ results: [RenderResult], seconds: Double) {
        guard !json else { return }
        func count(_ status: RenderResult.Status) -> Int { results.filter { $0.status == status }.count }
        let part = shard.map { " (part \($0.index)/\($0.count))" } ?? ""
        print("\(results.count) photos\(part): \(count(.rendered)) rendered, \(count(.skipped)) skipped, \(count(.failed)) failed (\(String(format: "%.1f", seconds)) s)")
    }
}

extension RenderResult {
    /// The result of a finished render of `input`.
    init(_ outcome: RenderOutcome, input: String) {
        let stream = outcome.recipeValue.writesStandardOutput
        self.init(status: .rendered, input: input, output: stream ? RenderRecipe.standardStream : outcome.output.path,
                  recipe: outcome.wroteRecipe ? outcome.recipe.path : nil, width: outcome.width, height: outcome.height,
                  seconds: (outcome.seconds * 1000).rounded() / 1000)
    }
}

/// The formats a folder's photos may be in, for messages.
enum ImageFormatNames {
    static let listed = "PNG, JPEG, WebP, TIFF, HEIC or AVIF files"
}
