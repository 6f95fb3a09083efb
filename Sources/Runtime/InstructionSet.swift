import CKernels

/// The vector instruction set the kernels use on this machine: the widest the CPU has, capped
/// by the environment variable `ATELIER_ISA` (`scalar`, `avx2`, `avx512`). Timings and, between
/// kernel families, the last bits of a picture depend on it, so benchmarks print it.
public enum InstructionSet {
    /// `avx512`, `avx2` or `scalar`.
    public static var name: String {
        switch Int(ak_isa()) {
        case AK_ISA_AVX512: "avx512"
        case AK_ISA_AVX2: "avx2"
        default: "scalar"
        }
    }
}
