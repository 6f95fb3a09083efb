import CKernels

/// Process-wide allocator settings for a tensor workload.
public enum AllocatorTuning {
    /// Lets glibc's malloc keep freed feature maps for reuse instead of returning them to the
    /// kernel: every layer allocates maps of a few to a few hundred megabytes, and fresh pages
    /// cost a page fault and a zeroing each (about a fifth of a 256 px render's time). Peak
    /// memory is unchanged; memory freed after the peak stays with the process until it ends.
    public static func keepFreedBuffers() {
        ak_keep_freed_buffers()
    }
}
