import Foundation
import Terminal

/// A question in the status bar that takes the keyboard until it is answered or cancelled.
public struct Prompt: Equatable, Sendable {
    /// What the answer is for.
    public enum Purpose: Equatable, Sendable {
        /// The export's longer side ("" for full resolution).
        case exportSize
        /// The export file exists: y overwrites, n writes beside it under a free name.
        /// `upscale` is the photo's Real-ESRGAN enlargement (2 or 4), if asked for.
        case confirmOverwrite(destination: URL, longerSide: Int?, upscale: Int? = nil)
        /// Where to save the session.
        case sessionPath
        /// The session file exists: y replaces it.
        case confirmSessionOverwrite(URL)
        /// The path of a mask image.
        case maskPath
        /// Quit although an export runs or nothing was exported: y quits.
        case confirmQuit
    }

    /// What the answer is for.
    public var purpose: Purpose
    /// The question.
    public var question: String
    /// The text typed so far (text prompts).
    public var text: String

    /// Whether the prompt takes y/n rather than text.
    public var isYesNo: Bool {
        switch purpose {
        case .confirmOverwrite, .confirmSessionOverwrite, .confirmQuit: return true
        default: return false
        }
    }

    /// A prompt.
    public init(_ purpose: Purpose, question: String, text: String = "") {
        self.purpose = purpose
        self.question = question
        self.text = text
    }

    /// What a key does to the prompt.
    public enum Outcome: Equatable {
        /// Still editing.
        case editing
        /// Answered with this text ("y"/"n" for yes/no prompts).
        case answered(String)
        /// Escape: forget the question.
        case cancelled
    }

    /// Applies `key`: characters are typed, Backspace deletes, Enter answers, Escape cancels;
    /// a yes/no prompt answers on y or n.
    public mutating func handle(_ key: KeyEvent) -> Outcome {
        switch key {
        case .escape, .ctrl("c"), .ctrl("g"):
            return .cancelled
        case .enter:
            return isYesNo ? .editing : .answered(text)
        case .backspace:
            if !isYesNo, !text.isEmpty { text.removeLast() }
            return .editing
        case .ctrl("u"):
            text = ""
            return .editing
        case .character(let c):
            if isYesNo {
                let lower = Character(c.lowercased())
                return lower == "y" || lower == "n" ? .answered(String(lower)) : .editing
            }
            if text.count < 1024 { text.append(c) }
            return .editing
        default:
            return .editing
        }
    }
}

/// A line for the status bar: what happened, and how it should look.
public struct StatusMessage: Equatable, Sendable {
    /// How the message is coloured.
    public enum Tone: Equatable, Sendable {
        /// Neutral information.
        case info
        /// Something finished well (an export written, a session saved).
        case success
        /// Worth attention, nothing broken.
        case warning
        /// Something failed.
        case error

        /// The style it is drawn in.
        var style: CellStyle {
            switch self {
            case .info: return .statusBar
            case .success: return CellStyle(.success, on: .statusBar, bold: true)
            case .warning: return CellStyle(.warning, on: .statusBar, bold: true)
            case .error: return CellStyle(.error, on: .statusBar, bold: true)
            }
        }
    }

    /// The text (one line).
    public var text: String
    /// Its tone.
    public var tone: Tone

    /// A message.
    public init(_ text: String, _ tone: Tone = .info) {
        self.text = text.split(separator: "\n").first.map(String.init) ?? text
        self.tone = tone
    }
}
