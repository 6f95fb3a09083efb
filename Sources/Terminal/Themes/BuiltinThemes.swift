// The built-in themes, identical to Themes/*.toml (a test checks), so the `atelier` binary
// works from any directory. Regenerate by copying the files' text if they change.

extension ThemeCatalog {
    /// The built-in themes as (id, TOML text), in cycling order; "dark" is the default.
    static let builtinSources: [(id: String, toml: String)] = [
        ("dark", #"""
        # Atelier theme "dark": The default: light grey on near-black, blue accents.
        # Every role below is required; colours are "#rrggbb". Terminals with 256 colours show
        # the nearest xterm palette entry. Copy this file to ~/.config/atelier/themes/ to make your own.
        name = "Dark"

        [colors]
        background     = "#1c1c1c"  # screen and pane background
        text           = "#d0d0d0"  # ordinary text
        dim_text       = "#7a7a7a"  # secondary text, hints, disabled items
        accent         = "#5fafd7"  # highlights: the active value, links, the cursor row marker
        title          = "#87d7ff"  # pane titles
        border         = "#4e4e4e"  # pane borders
        focused_border = "#5fafd7"  # the border of the pane with keyboard focus
        selection      = "#005f87"  # background of the selected row
        selection_text = "#ffffff"  # text on the selection
        slider_fill    = "#5fafd7"  # filled part of a slider gauge
        slider_empty   = "#3a3a3a"  # empty track of a slider gauge
        status_bar     = "#303030"  # status bar background
        status_text    = "#bcbcbc"  # status bar text
        key_hint       = "#ffaf5f"  # key names in the status bar and help ("q quit")
        warning        = "#ffd75f"  # warnings
        error          = "#ff5f5f"  # errors
        success        = "#87d787"  # finished renders, saved files

        """#),
        ("light", #"""
        # Atelier theme "light": Dark text on a light grey background, for light terminals.
        # Every role below is required; colours are "#rrggbb". Terminals with 256 colours show
        # the nearest xterm palette entry. Copy this file to ~/.config/atelier/themes/ to make your own.
        name = "Light"

        [colors]
        background     = "#f4f4f4"  # screen and pane background
        text           = "#262626"  # ordinary text
        dim_text       = "#6c6c6c"  # secondary text, hints, disabled items
        accent         = "#005faf"  # highlights: the active value, links, the cursor row marker
        title          = "#005f87"  # pane titles
        border         = "#b2b2b2"  # pane borders
        focused_border = "#005faf"  # the border of the pane with keyboard focus
        selection      = "#afd7ff"  # background of the selected row
        selection_text = "#000000"  # text on the selection
        slider_fill    = "#005faf"  # filled part of a slider gauge
        slider_empty   = "#d0d0d0"  # empty track of a slider gauge
        status_bar     = "#dadada"  # status bar background
        status_text    = "#303030"  # status bar text
        key_hint       = "#af5f00"  # key names in the status bar and help ("q quit")
        warning        = "#af8700"  # warnings
        error          = "#d70000"  # errors
        success        = "#008700"  # finished renders, saved files

        """#),
        ("high-contrast", #"""
        # Atelier theme "high-contrast": Pure black and white with saturated accents, for low vision and bright rooms.
        # Every role below is required; colours are "#rrggbb". Terminals with 256 colours show
        # the nearest xterm palette entry. Copy this file to ~/.config/atelier/themes/ to make your own.
        name = "High contrast"

        [colors]
        background     = "#000000"  # screen and pane background
        text           = "#ffffff"  # ordinary text
        dim_text       = "#d0d0d0"  # secondary text, hints, disabled items
        accent         = "#ffff00"  # highlights: the active value, links, the cursor row marker
        title          = "#ffff00"  # pane titles
        border         = "#ffffff"  # pane borders
        focused_border = "#ffff00"  # the border of the pane with keyboard focus
        selection      = "#ffff00"  # background of the selected row
        selection_text = "#000000"  # text on the selection
        slider_fill    = "#00ffff"  # filled part of a slider gauge
        slider_empty   = "#585858"  # empty track of a slider gauge
        status_bar     = "#262626"  # status bar background
        status_text    = "#ffffff"  # status bar text
        key_hint       = "#00ffff"  # key names in the status bar and help ("q quit")
        warning        = "#ffaf00"  # warnings
        error          = "#ff5f5f"  # errors
        success        = "#00ff00"  # finished renders, saved files

        """#),
        ("frost", #"""
        # Atelier theme "frost": Cool blue-grey dark theme.
        # Every role below is required; colours are "#rrggbb". Terminals with 256 colours show
        # the nearest xterm palette entry. Copy this file to ~/.config/atelier/themes/ to make your own.
        name = "Frost"

        [colors]
        background     = "#2e3440"  # screen and pane background
        text           = "#e5e9f0"  # ordinary text
        dim_text       = "#7b88a1"  # secondary text, hints, disabled items
        accent         = "#88c0d0"  # highlights: the active value, links, the cursor row marker
        title          = "#8fbcbb"  # pane titles
        border         = "#4c566a"  # pane borders
        focused_border = "#88c0d0"  # the border of the pane with keyboard focus
        selection      = "#434c5e"  # background of the selected row
        selection_text = "#eceff4"  # text on the selection
        slider_fill    = "#81a1c1"  # filled part of a slider gauge
        slider_empty   = "#3b4252"  # empty track of a slider gauge
        status_bar     = "#3b4252"  # status bar background
        status_text    = "#d8dee9"  # status bar text
        key_hint       = "#ebcb8b"  # key names in the status bar and help ("q quit")
        warning        = "#ebcb8b"  # warnings
        error          = "#bf616a"  # errors
        success        = "#a3be8c"  # finished renders, saved files

        """#),
    ]
}
