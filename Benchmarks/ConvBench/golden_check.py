"""The golden encode/decode cases through the C conv kernels (see golden_check.sh)."""
import ctypes
import sys

import numpy as np

lib_path, shared, family = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, shared + "/reference")
import torch_legacy  # noqa: E402
import ust_reference as ref  # noqa: E402

lib = ctypes.CDLL(lib_path)
P, I = ctypes.c_void_p, ctypes.c_int
lib.ak_conv_create.restype = P
lib.ak_conv_create.argtypes = [P, P, I, I, I]
lib.ak_conv_scratch_floats.restype = ctypes.c_size_t
lib.ak_conv_scratch_floats.argtypes = [P, I, I, I]
lib.ak_conv_forward_rows.argtypes = [P, P, I, I, P, I, I, I, P]
lib.ak_conv_use_path.argtypes = [P, I]
lib.ak_conv_destroy.argtypes = [P]


def kernel_conv(x, w, b):
    o, c, k, _ = w.shape
    x, w, b = (np.ascontiguousarray(a, np.float32) for a in (x, w, b))
    conv = lib.ak_conv_create(w.ctypes.data, b.ctypes.data, o, c, k)
    if not lib.ak_conv_use_path(conv, family):
        sys.exit(f"family {family} does not run on this CPU")
    h, wd = x.shape[1:]
    out = np.empty((o, h, wd), np.float32)
    scratch = np.empty(lib.ak_conv_scratch_floats(conv, h, wd, h) + 64, np.float32)
    lib.ak_conv_forward_rows(conv, x.ctypes.data, h, wd, out.ctypes.data, 0, h, 0, scratch.ctypes.data)
    lib.ak_conv_destroy(conv)
    return out


ref.conv = kernel_conv
cases, models = shared + "/reference/cases/", shared + "/models/ust16x/"


def weights(name):
    return {k: np.asarray(v, np.float32) for k, v in torch_legacy.load_state_dict(models + name).items()}


for level in range(1, 6):
    content = np.load(cases + f"encode_l{level}/content.npy")
    enc = np.abs(ref.encode(weights(f"se{level}.pth"), content, level)
                 - np.load(cases + f"encode_l{level}/expected.npy"))
    features = np.load(cases + f"decode_l{level}/features.npy")
    dec = np.abs(ref.decode(weights(f"sd{level}.pth"), features)
                 - np.load(cases + f"decode_l{level}/expected.npy"))
    print(f"family {family} level {level}: encode mean {enc.mean():.2e} max {enc.max():.2e}, "
          f"decode mean {dec.mean():.2e} max {dec.max():.2e}")
