/// Something the person can ask the workstation to do; keys are bound to actions in `KeyMap`.
public enum Action: String, CaseIterable, Sendable {
    /// Move keyboard focus to the next pane.
    case nextPane
    /// Move keyboard focus to the previous pane.
    case previousPane
    /// Move the cursor up one row in the focused pane.
    case cursorUp
    /// Move the cursor down one row in the focused pane.
    case cursorDown
    /// Move the cursor to the first row.
    case cursorTop
    /// Move the cursor to the last row.
    case cursorBottom
    /// Lower the value under the cursor by a small step (or the previous choice).
    case decrease
    /// Raise the value under the cursor by a small step (or the next choice).
    case increase
    /// Lower the value under the cursor by a large step.
    case decreaseLarge
    /// Raise the value under the cursor by a large step.
    case increaseLarge
    /// Open the file or folder under the cursor (picker), toggle the style (gallery), or
    /// edit the row (controls: the mask image path, the next choice).
    case activate
    /// Go to the parent folder (picker).
    case parentFolder
    /// Use the image under the cursor as the mask (picker).
    case useAsMask
    /// Turn the style under the cursor on or off (gallery).
    case toggleStyle
    /// Turn style 1-9 on or off (the digit pressed).
    case toggleStyleNumber
    /// Exchange the inside and outside blends of the mask.
    case swapRegions
    /// Undo the last change.
    case undo
    /// Redo the change last undone.
    case redo
    /// Export the picture (asks for a size).
    case export
    /// Cancel the running export.
    case cancelExport
    /// Polish the preview in the background (Gatys-style L-BFGS steps; exports apply it too).
    case polish
    /// Save the session to a file (asks for the path).
    case saveSession
    /// Switch to the next colour theme.
    case cycleTheme
    /// Show the photo without style while held toggled (before/after).
    case beforeAfter
    /// Show the last two renders side by side.
    case compare
    /// Show or leave the 1:1 view (the export's own pixels around a movable point).
    case detailView
    /// Render the preview again (e.g. after a file changed on disk).
    case rerender
    /// Repaint the whole screen.
    case redraw
    /// Show or hide the list of keys.
    case help
    /// Show the previous frame of the open video.
    case previousFrame
    /// Show the next frame of the open video.
    case nextFrame
    /// Go one second back in the open video.
    case secondBack
    /// Go one second forward in the open video.
    case secondForward
    /// Go a tenth of the open video back.
    case tenthBack
    /// Go a tenth of the open video forward.
    case tenthForward
    /// Go to the first frame of the open video.
    case firstFrame
    /// Go to the last frame of the open video.
    case lastFrame
    /// Quit (asks first when an export is running or the look was never exported or saved).
    case quit
    /// Ctrl-C: quit with status 130, asking first like `quit`; Ctrl-C again while it asks quits.
    case interrupt
}
