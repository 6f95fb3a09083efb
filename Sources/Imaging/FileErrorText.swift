#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// User-facing wording for the errors Foundation's file APIs throw, whose own descriptions
/// ("The operation could not be completed. (NSCocoaErrorDomain error 256.)", "Code=512
/// (null)") must never reach a user. Prefers the underlying POSIX error ("No space left on
/// device", "Permission denied").
public enum FileErrorText {
    /// A short reason, e.g. "Permission denied" or "the disk is full".
    public static func reason(for error: Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        if !(error is CocoaError) {
            let text = "\(error)"
            if !text.contains("Domain") && !text.contains("Code=") { return text }
        }
        let ns = error as NSError
        if let posix = posixCode(ns) { return String(cString: strerror(posix)) }
        switch ns.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or folder"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "the disk is full"
        case NSFileWriteVolumeReadOnlyError: return "the disk is read-only"
        case NSFileWriteFileExistsError: return "a file with that name already exists"
        case NSFileReadTooLargeError: return "the file is too large"
        case NSFileReadCorruptFileError: return "the file is damaged"
        case NSFileReadInapplicableStringEncodingError, NSFileWriteInapplicableStringEncodingError: return "not UTF-8 text"
        default: return "the file system refused (error \(ns.code))"
        }
    }

    /// The POSIX error behind a Foundation error, if it says.
    private static func posixCode(_ error: NSError) -> Int32? {
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError { return posixCode(underlying) }
        return nil
    }
}
