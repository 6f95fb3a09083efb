/// The named colours every theme defines; the raw value is the key in the theme file's `[colors]`.
public enum ThemeRole: String, CaseIterable, Sendable {
    /// Screen and pane background.
    case background
    /// Ordinary text.
    case text
    /// Secondary text, hints, disabled items.
    case dimText = "dim_text"
    /// Highlights: the active value, the cursor row marker.
    case accent
    /// Pane titles.
    case title
    /// Pane borders.
    case border
    /// The border of the pane with keyboard focus.
    case focusedBorder = "focused_border"
    /// Background of the selected row.
    case selection
    /// Text on the selection.
    case selectionText = "selection_text"
    /// Filled part of a slider gauge.
    case sliderFill = "slider_fill"
    /// Empty track of a slider gauge.
    case sliderEmpty = "slider_empty"
    /// Status bar background.
    case statusBar = "status_bar"
    /// Status bar text.
    case statusText = "status_text"
    /// Key names in the status bar and help ("q quit").
    case keyHint = "key_hint"
    /// Warnings.
    case warning
    /// Errors.
    case error
    /// Finished renders, saved files.
    case success
}
