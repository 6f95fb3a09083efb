import Engine
import Imaging
import Foundation

/// `atelier render - -o OUT.png` (the photo on standard input) and `-o -` (the PNG on standard
/// output, with no recipe), and the line a finished render prints.
extension RenderCommand {
    /// The largest photo read from standard input (the limit of an image file).
    static let standardInputLimit = 1 << 32

    /// Refuses the standard streams that cannot work: a PNG written to a terminal, a photo read
    /// from one.
    func checkStandardStreams(_ recipe: RenderRecipe) throws {
        if recipe.writesStandardOutput, isatty(STDOUT_FILENO) == 1 {
            throw CLIFailure.usage("-o - writes the PNG to standard output, which is a terminal: redirect it (> out.png) or pipe it")
        }
        if recipe.readsStandardInput, isatty(STDIN_FILENO) == 1 {
            throw CLIFailure.usage("- reads the photo from standard input, which is a terminal: redirect a file into it (< photo.jpg) or pipe one")
        }
    }

    /// Every byte of standard input (the photo).
    func readStandardInput() throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw CLIFailure.runtime("cannot read the photo from standard input: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= Self.standardInputLimit else {
                throw CLIFailure.runtime("standard input is larger than 4 GiB, too large for a photo")
            }
        }
        guard !bytes.isEmpty else { throw CLIFailure.runtime("standard input is empty: no photo to read") }
        return bytes
    }

    /// Prints what a render wrote: on standard output, or on standard error when the PNG itself
    /// went to standard output.
    func report(_ outcome: RenderOutcome) {
        let size = "\(outcome.width)x\(outcome.height), \(String(format: "%.2f", outcome.seconds)) s"
        if outcome.recipeValue.writesStandardOutput {
            FileHandle.standardError.write(Data("wrote the PNG to standard output (\(size))\n".utf8))
            return
        }
        let recipeNote = outcome.wroteRecipe ? "and \(outcome.recipe.lastPathComponent)" : "(no recipe: the output is not a regular file)"
        print(PathBytes.shown("wrote \(outcome.output.path) (\(size)) \(recipeNote)"))
    }
}
