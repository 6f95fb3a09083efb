import ArgumentParser
import Foundation
import Imaging
import ProceduralStyles

/// `atelier styles`: the procedural style paintings Atelier ships in `Styles/`.
struct StylesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "styles",
        abstract: "List and generate Atelier's own procedural style paintings.",
        subcommands: [Generate.self, List.self])
}

extension StylesCommand {
    /// `atelier styles generate [--output DIR] [--size N] [--seed N] [--only NAME ...]`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paint the style gallery and write <name>.png for each painting.",
            discussion: """
            The paintings are pure functions of size and seed, so the defaults reproduce the \
            committed Styles/ folder exactly. Without --only, CREDITS.md is written too.
            """)

        @Option(name: .long, help: ArgumentHelp("Folder to write into (created if missing).", valueName: "DIR"))
        var output: String = "Styles"

        @Option(name: .long, help: ArgumentHelp("Edge length of each square painting in pixels.", valueName: "N"))
        var size: Int = StyleCatalog.defaultSize

        @Option(name: .long, help: ArgumentHelp("Seed for every painting.", valueName: "N"))
        var seed: UInt64 = StyleCatalog.defaultSeed

        @Option(name: .long, help: ArgumentHelp("Only this painting (repeatable); see `atelier styles list`.",
                                                valueName: "NAME"))
        var only: [String] = []

        func validate() throws {
            do {
                _ = try gallery()
            } catch let error as StyleGalleryError {
                throw ValidationError(error.description)
            }
        }

        /// The gallery the options ask for.
        func gallery() throws -> StyleGallery {
            let paintings = only.isEmpty ? StyleCatalog.all : try StyleCatalog.paintings(named: only)
            return try StyleGallery(size: size, seed: seed, paintings: paintings)
        }

        func run() throws {
            let gallery = try gallery()
            let folder = URL(fileURLWithPath: output)
            do {
                try gallery.write(to: folder) { url, seconds in
                    print("wrote \(url.path) (\(gallery.size)x\(gallery.size), seed \(gallery.seed), "
                          + String(format: "%.2f s)", seconds))
                    fflush(stdout)
                }
            } catch let error as StyleGalleryError {
                throw CLIFailure.runtime(error.description)
            }
            guard only.isEmpty else { return }
            let credits = folder.appendingPathComponent("CREDITS.md")
            do {
                try Data(gallery.credits.utf8).write(to: credits, options: .atomic)
            } catch {
                throw CLIFailure.runtime("cannot write \(credits.path): \(FileErrorText.reason(for: error)) (check the folder's permissions)")
            }
            print("wrote \(credits.path)")
        }
    }

    /// `atelier styles list`: names, titles and descriptions of the paintings.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the procedural style paintings.")

        func run() {
            let width = StyleCatalog.names.map(\.count).max() ?? 0
            for painting in StyleCatalog.all {
                let padded = painting.name.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(padded)  \(painting.title): \(painting.summary)")
            }
        }
    }
}
