/// How text is drawn: theme roles for the foreground and the background, plus attributes.
public struct CellStyle: Equatable, Hashable, Sendable {
    /// Role of the text colour.
    public var foreground: ThemeRole
    /// Role of the cell background.
    public var background: ThemeRole
    /// Bold.
    public var bold: Bool
    /// Underline.
    public var underline: Bool
    /// Swap foreground and background.
    public var reverse: Bool

    /// A style of `foreground` on `background`.
    public init(_ foreground: ThemeRole, on background: ThemeRole = .background,
                bold: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
    }

    /// The same colours, bold.
    public var emphasised: CellStyle { var s = self; s.bold = true; return s }

    /// Ordinary text.
    public static let text = CellStyle(.text)
    /// Secondary text.
    public static let dim = CellStyle(.dimText)
    /// Accent-coloured text.
    public static let accent = CellStyle(.accent)
    /// Pane title.
    public static let title = CellStyle(.title, bold: true)
    /// Pane border.
    public static let border = CellStyle(.border)
    /// Border of the focused pane.
    public static let focusedBorder = CellStyle(.focusedBorder)
    /// The selected row.
    public static let selection = CellStyle(.selectionText, on: .selection)
    /// The status bar.
    public static let statusBar = CellStyle(.statusText, on: .statusBar)
    /// A key name in the status bar.
    public static let keyHint = CellStyle(.keyHint, on: .statusBar, bold: true)
    /// A warning.
    public static let warning = CellStyle(.warning)
    /// An error.
    public static let error = CellStyle(.error, bold: true)
    /// A success message.
    public static let success = CellStyle(.success)
    /// A slider gauge: filled part in the foreground, empty track as the background.
    public static let gauge = CellStyle(.sliderFill, on: .sliderEmpty)
}
