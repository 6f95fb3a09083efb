import ArgumentParser
import Engine
import Foundation
import Imaging
import Stylization

/// A failure reported as one line on stderr, with the exit code that says what kind it was.
struct CLIFailure: Error {
    /// The one-line message.
    var message: String
    /// 2 for usage errors (the command line asks for something impossible), 1 for run-time ones.
    var exitCode: Int32

    /// A failure with an explicit exit code.
    init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    /// A usage error (exit 2).
    static func usage(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 2) }
    /// A run-time error (exit 1).
    static func runtime(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 1) }

    /// Classifies any error: argument-parser and settings errors are usage errors, the rest
    /// (files, model, writing) run-time errors.
    init(classifying error: Error, fallback: String) {
        switch error {
        case let failure as CLIFailure:
            self = failure
        case let job as RenderJobError:
            if case .outputExists = job { self = .usage(job.description) } else { self = .runtime(job.description) }
        case let stylization as StylizationError:
            if case .invalidSettings = stylization { self = .usage(stylization.description) } else { self = .runtime(stylization.description) }
        case let image as ImageFileError:
            self = .runtime(image.description)
        case let video as VideoError:
            self = .runtime(video.description)
        case is CocoaError, is POSIXError:
            self = .runtime(FileErrorText.reason(for: error))
        default:
            self = Atelier.exitCode(for: error) == .validationFailure ? .usage(fallback) : .runtime(fallback)
        }
    }
}
