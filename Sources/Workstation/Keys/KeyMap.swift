import Terminal

/// The panes that take keyboard focus, in Tab order.
public enum PaneID: String, CaseIterable, Sendable {
    /// The browser of the folder's images.
    case picker
    /// The style paintings with their weights.
    case gallery
    /// Sliders and choices.
    case controls

    /// The pane `step` places after this one in Tab order (negative: before), wrapping around.
    public func neighbour(by step: Int) -> PaneID {
        let all = PaneID.allCases
        let here = all.firstIndex(of: self) ?? 0
        return all[((here + step) % all.count + all.count) % all.count]
    }

    /// The title drawn on the pane's border.
    public var title: String {
        switch self {
        case .picker: return "Photos"
        case .gallery: return "Styles"
        case .controls: return "Controls"
        }
    }
}

/// Where a binding applies: everywhere, or only while a pane has focus (pane bindings win).
public enum KeyScope: Equatable, Hashable, Sendable {
    /// Whatever pane has focus.
    case global
    /// Only while this pane has focus.
    case pane(PaneID)

    /// The heading of the scope's section in the help overlay and the README.
    public var heading: String {
        switch self {
        case .global: return "Everywhere"
        case .pane(let pane): return "\(pane.title) pane"
        }
    }
}

/// One row of the key map: the keys, what they do, and where.
public struct KeyBinding: Equatable, Sendable {
    /// The keys that trigger the action (any of them).
    public var keys: [KeyEvent]
    /// How the keys are written in help ("1-9"); nil joins the keys' names with " ".
    public var label: String?
    /// What happens.
    public var action: Action
    /// One line for the help overlay.
    public var description: String
    /// Where the binding applies.
    public var scope: KeyScope

    /// A binding.
    public init(_ keys: [KeyEvent], label: String? = nil, _ action: Action, _ description: String, scope: KeyScope = .global) {
        self.keys = keys
        self.label = label
        self.action = action
        self.description = description
        self.scope = scope
    }

    /// The keys as shown to people, e.g. "j Down" or "1-9".
    public var keyLabel: String {
        label ?? keys.map(\.name).joined(separator: " ")
    }
}

/// The one table of key bindings: the workstation dispatches on it and the help overlay and the
/// README's key list are generated from it, so they cannot disagree.
public struct KeyMap: Sendable {
    /// Every binding, in help order (global first, then per pane).
    public let bindings: [KeyBinding]

    /// A key map of `bindings`.
    public init(_ bindings: [KeyBinding]) {
        self.bindings = bindings
    }

    /// The action for `key` while `focus` has focus: a binding of the focused pane wins over a
    /// global one; nil when the key is not bound there.
    public func action(for key: KeyEvent, focus: PaneID) -> Action? {
        if let binding = bindings.first(where: { $0.scope == .pane(focus) && $0.keys.contains(key) }) {
            return binding.action
        }
        return bindings.first(where: { $0.scope == .global && $0.keys.contains(key) })?.action
    }

    /// The bindings grouped by scope, in the order the help shows them.
    public var sections: [(scope: KeyScope, bindings: [KeyBinding])] {
        let scopes: [KeyScope] = [.global] + PaneID.allCases.map { .pane($0) }
        return scopes.compactMap { scope in
            let rows = bindings.filter { $0.scope == scope }
            return rows.isEmpty ? nil : (scope, rows)
        }
    }

    /// The first key label bound to `action` in `scope` (for hints such as "x cancel").
    public func label(for action: Action, scope: KeyScope = .global) -> String {
        bindings.first { $0.action == action && $0.scope == scope }?.keys.first?.name ?? "?"
    }

    /// The key map as Markdown (the README's "The workstation" section embeds exactly this).
    public var markdown: String {
        var out = ""
        for section in sections {
            out += "**\(section.scope.heading)**\n\n| Keys | Action |\n| --- | --- |\n"
            for binding in section.bindings {
                let keys = binding.keyLabel.split(separator: " ").map { "`\($0)`" }.joined(separator: " ")
                out += "| \(keys) | \(binding.description) |\n"
            }
            out += "\n"
        }
        return out
    }

    /// The workstation's key map.
    public static let standard = KeyMap([
        KeyBinding([.tab], .nextPane, "focus the next pane"),
        KeyBinding([.backtab], .previousPane, "focus the previous pane"),
        KeyBinding([.character("k"), .up], .cursorUp, "move up"),
        KeyBinding([.character("j"), .down], .cursorDown, "move down"),
        KeyBinding([.character("g"), .home], .cursorTop, "go to the first row"),
        KeyBinding([.character("G"), .end], .cursorBottom, "go to the last row"),
        KeyBinding(digitKeys, label: "1-9", .toggleStyleNumber, "turn style 1-9 on or off"),
        KeyBinding([.character("u")], .undo, "undo"),
        KeyBinding([.ctrl("r")], .redo, "redo"),
        KeyBinding([.character("b")], .beforeAfter, "before/after: show the photo without style"),
        KeyBinding([.character("c")], .compare, "compare the last two renders side by side"),
        KeyBinding([.character("z")], .detailView, "1:1 view: the export's own pixels around a point (arrows/hjkl/click move it; z or Esc leaves)"),
        KeyBinding([.character("w")], .swapRegions, "swap the inside and outside blends"),
        KeyBinding([.character("e")], .export, "export a PNG and its recipe (asks for the size)"),
        KeyBinding([.character("x")], .cancelExport, "cancel the running export"),
        KeyBinding([.character(",")], .previousFrame, "video: previous frame"),
        KeyBinding([.character(".")], .nextFrame, "video: next frame"),
        KeyBinding([.character("<")], .secondBack, "video: one second back"),
        KeyBinding([.character(">")], .secondForward, "video: one second forward"),
        KeyBinding([.character("[")], .tenthBack, "video: a tenth of the clip back"),
        KeyBinding([.character("]")], .tenthForward, "video: a tenth of the clip forward"),
        KeyBinding([.character("{")], .firstFrame, "video: first frame"),
        KeyBinding([.character("}")], .lastFrame, "video: last frame"),
        KeyBinding([.character("p")], .polish, "polish the preview (100 optimisation steps; exports apply it too)"),
        KeyBinding([.character("s")], .saveSession, "save the session to a file"),
        KeyBinding([.character("r")], .rerender, "render the preview again"),
        KeyBinding([.character("T")], .cycleTheme, "next colour theme"),
        KeyBinding([.ctrl("l")], .redraw, "repaint the screen"),
        KeyBinding([.character("?"), .function(1)], .help, "show or hide this help"),
        KeyBinding([.character("q")], .quit, "quit (asks while an export runs or nothing was exported)"),
        KeyBinding([.ctrl("c")], .interrupt, "quit like q (asks the same); Ctrl-C again while it asks quits at once"),

        KeyBinding([.enter, .character("l"), .right], .activate, "open the photo, saved session (.atelier.json) or folder", scope: .pane(.picker)),
        KeyBinding([.character("h"), .left, .backspace], .parentFolder, "go to the parent folder", scope: .pane(.picker)),
        KeyBinding([.character("m")], .useAsMask, "use the image as the mask", scope: .pane(.picker)),

        KeyBinding([.enter, .character(" ")], .toggleStyle, "turn the style on or off", scope: .pane(.gallery)),
        KeyBinding([.character("h"), .left], .decrease, "less of this style", scope: .pane(.gallery)),
        KeyBinding([.character("l"), .right], .increase, "more of this style", scope: .pane(.gallery)),
        KeyBinding([.character("H"), .shiftLeft], .decreaseLarge, "much less of this style", scope: .pane(.gallery)),
        KeyBinding([.character("L"), .shiftRight], .increaseLarge, "much more of this style", scope: .pane(.gallery)),

        KeyBinding([.character("h"), .left], .decrease, "slider down a small step / previous choice", scope: .pane(.controls)),
        KeyBinding([.character("l"), .right], .increase, "slider up a small step / next choice", scope: .pane(.controls)),
        KeyBinding([.character("H"), .shiftLeft], .decreaseLarge, "slider down a large step", scope: .pane(.controls)),
        KeyBinding([.character("L"), .shiftRight], .increaseLarge, "slider up a large step", scope: .pane(.controls)),
        KeyBinding([.enter], .activate, "next choice; on Mask: type a mask image path", scope: .pane(.controls)),
    ])

    private static let digitKeys: [KeyEvent] = (1...9).map { .character(Character(String($0))) }
}
