#!/usr/bin/env python3
"""Makes the small image fixtures used by ImagingTests (run from anywhere; writes next to itself).

PNGs are written by the tiny encoder below (Pillow cannot write 16-bit RGB, sub-byte palettes or
Adam7), then read back with Pillow to check the encoder. Pixel values come from the same formulas
that Tests/ImagingTests/FixtureFormulas.swift uses, so the Swift tests can assert exact values.
JPEGs are written by Pillow, except ycck.jpg (Pillow cannot write YCCK): a few lines of C against
libjpeg, compiled with the system C compiler (needs libjpeg-dev).
"""
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
W, H = 13, 7


# --- the formulas shared with FixtureFormulas.swift ---------------------------------------
def sample8(x, y, c):
    return (x * 19 + y * 37 + c * 85 + 3) % 256


def sample16(x, y, c):
    return (x * 4877 + y * 9241 + c * 21139 + 257) % 65536


def alpha8(x, y):
    return (x * 20 + y * 36) % 256


def alpha16(x, y):
    return (x * 5003 + y * 9001) % 65536


PALETTE = [(i * 16, 255 - i * 16, (i * 53) % 256) for i in range(16)]
PALETTE_ALPHA = [(i * 17) % 256 for i in range(12)]  # shorter than the palette: 12..15 opaque


def palette_index(x, y):
    return (x + 3 * y) % 16


def gray2(x, y):
    return (x + y) % 4


# --- a minimal PNG encoder ------------------------------------------------------------------
def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """Packs one row of samples (ints) at the given bit depth, big-endian, MSB first."""
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    per_byte = 8 // depth
    out = bytearray()
    for i in range(0, len(samples), per_byte):
        byte = 0
        group = samples[i:i + per_byte]
        for j, s in enumerate(group):
            byte |= s << (8 - depth * (j + 1))
        out.append(byte)
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def encode_png(path, width, height, color_type, depth, pixel, extra=b"", interlace=False):
    """pixel(x, y) -> tuple of samples. Rows use filter type 0 (none) except odd rows use 1 (sub)
    for 8/16-bit data, so the decoder's unfiltering is exercised too."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    bpp = max(1, channels * depth // 8)

    def scanlines(xs, ys):
        raw = bytearray()
        for row_number, y in enumerate(ys):
            samples = [s for x in xs for s in pixel(x, y)]
            row = pack_row(samples, depth)
            if depth >= 8 and row_number % 2 == 1:
                sub = bytes((row[i] - (row[i - bpp] if i >= bpp else 0)) % 256 for i in range(len(row)))
                raw += b"\x01" + sub
            else:
                raw += b"\x00" + row
        return raw

    if interlace:
        raw = bytearray()
        for x0, y0, dx, dy in ADAM7:
            xs, ys = list(range(x0, width, dx)), list(range(y0, height, dy))
            if xs and ys:
                raw += scanlines(xs, ys)
    else:
        raw = scanlines(list(range(width)), list(range(height)))
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlace else 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(data)


def check_png(path, expected):
    """Reads back with Pillow; expected(x, y) -> the value Pillow should report."""
    im = Image.open(os.path.join(HERE, path))
    im.load()
    for y in range(im.height):
        for x in range(im.width):
            got, want = im.getpixel((x, y)), expected(x, y)
            assert got == want, (path, x, y, got, want)


def make_pngs():
    encode_png("rgb16.png", W, H, 2, 16, lambda x, y: tuple(sample16(x, y, c) for c in range(3)))
    encode_png("gray16.png", W, H, 0, 16, lambda x, y: (sample16(x, y, 0),))
    check_png("gray16.png", lambda x, y: sample16(x, y, 0))
    encode_png("gray_alpha.png", W, H, 4, 8, lambda x, y: (sample8(x, y, 0), alpha8(x, y)))
    check_png("gray_alpha.png", lambda x, y: (sample8(x, y, 0), alpha8(x, y)))
    encode_png("gray_alpha16.png", W, H, 4, 16, lambda x, y: (sample16(x, y, 0), alpha16(x, y)))
    plte = chunk(b"PLTE", bytes(v for rgb in PALETTE for v in rgb))
    trns = chunk(b"tRNS", bytes(PALETTE_ALPHA))
    encode_png("palette_trns.png", W, H, 3, 8, lambda x, y: (palette_index(x, y),), extra=plte + trns)
    check_png("palette_trns.png", lambda x, y: palette_index(x, y))
    encode_png("palette4.png", W, H, 3, 4, lambda x, y: (palette_index(x, y),), extra=plte)
    check_png("palette4.png", lambda x, y: palette_index(x, y))
    encode_png("gray2.png", W, H, 0, 2, lambda x, y: (gray2(x, y),))
    encode_png("gray_trns.png", W, H, 0, 8, lambda x, y: (sample8(x, y, 0),),
               extra=chunk(b"tRNS", struct.pack(">H", sample8(0, 0, 0))))
    encode_png("rgba.png", W, H, 6, 8, lambda x, y: tuple(sample8(x, y, c) for c in range(3)) + (alpha8(x, y),))
    check_png("rgba.png", lambda x, y: tuple(sample8(x, y, c) for c in range(3)) + (alpha8(x, y),))
    encode_png("interlaced.png", W, H, 2, 8, lambda x, y: tuple(sample8(x, y, c) for c in range(3)), interlace=True)
    check_png("interlaced.png", lambda x, y: tuple(sample8(x, y, c) for c in range(3)))
    encode_png("interlaced_rgba16.png", W, H, 6, 16,
               lambda x, y: tuple(sample16(x, y, c) for c in range(3)) + (alpha16(x, y),), interlace=True)
    assert Image.open(os.path.join(HERE, "interlaced_rgba16.png")).info.get("interlace") == 1


# --- JPEGs ---------------------------------------------------------------------------------
QUADRANTS = [(230, 30, 40), (40, 200, 60), (30, 60, 220), (240, 230, 40)]  # TL, TR, BL, BR


def quadrant_image(width=32, height=16):
    im = Image.new("RGB", (width, height))
    for y in range(height):
        for x in range(width):
            im.putpixel((x, y), QUADRANTS[(2 if y >= height // 2 else 0) + (1 if x >= width // 2 else 0)])
    return im


def exif_orientation(value, big_endian):
    order = ">" if big_endian else "<"
    tiff = (b"MM" if big_endian else b"II") + struct.pack(order + "HI", 42, 8)
    tiff += struct.pack(order + "H", 1) + struct.pack(order + "HHI", 0x0112, 3, 1)
    tiff += struct.pack(order + "H", value) + b"\x00\x00" + struct.pack(order + "I", 0)
    return b"Exif\x00\x00" + tiff


def strip_app14(data):
    """Removes the Adobe APP14 segment."""
    out, i = bytearray(data[:2]), 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xDA:
            out += data[i:]
            break
        if marker != 0xEE:
            out += data[i:i + 2 + length]
        i += 2 + length
    return bytes(out)


def make_jpegs():
    base = quadrant_image()
    for value in range(1, 9):
        path = os.path.join(HERE, f"orientation{value}.jpg")
        base.save(path, quality=95, subsampling=0, exif=exif_orientation(value, big_endian=value % 2 == 0))
        shown = ImageOps.exif_transpose(Image.open(path))
        print(f"orientation{value}.jpg", shown.size, [shown.getpixel(p) for p in
              [(0, 0), (shown.width - 1, 0), (0, shown.height - 1), (shown.width - 1, shown.height - 1)]])
    cmyk = Image.new("CMYK", (16, 16))
    inks = [(0, 255, 255, 0), (200, 0, 150, 30), (100, 50, 0, 120), (0, 0, 0, 0)]
    for y in range(16):
        for x in range(16):
            cmyk.putpixel((x, y), inks[(2 if y >= 8 else 0) + (1 if x >= 8 else 0)])
    cmyk.save(os.path.join(HERE, "cmyk.jpg"), quality=100)
    # The same file without its Adobe APP14 segment: still read as inverted CMYK (as Pillow,
    # Chrome and Firefox do), so it must decode exactly like cmyk.jpg.
    with open(os.path.join(HERE, "cmyk.jpg"), "rb") as f:
        with_adobe = f.read()
    with open(os.path.join(HERE, "cmyk_no_adobe.jpg"), "wb") as f:
        f.write(strip_app14(with_adobe))
    for name in ["cmyk.jpg", "cmyk_no_adobe.jpg"]:
        im = Image.open(os.path.join(HERE, name))
        print(name, im.mode, "adobe" in im.info, [im.convert("RGB").getpixel(p) for p in [(3, 3), (12, 3), (3, 12), (12, 12)]])


YCCK_WRITER = r"""
#include <stdio.h>
#include <jpeglib.h>
/* Writes the 16x16 CMYK quadrants of cmyk.jpg (stored inverted, Adobe style) as YCCK. */
int main(int argc, char **argv) {
    static const unsigned char inks[4][4] = {{0, 255, 255, 0}, {200, 0, 150, 30}, {100, 50, 0, 120}, {0, 0, 0, 0}};
    unsigned char row[16 * 4];
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    FILE *f = fopen(argv[1], "wb");
    if (!f) return 1;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = 16; c.image_height = 16; c.input_components = 4; c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_colorspace(&c, JCS_YCCK);
    for (int i = 0; i < c.num_components; i++) c.comp_info[i].h_samp_factor = c.comp_info[i].v_samp_factor = 1;
    jpeg_set_quality(&c, 100, TRUE);
    jpeg_start_compress(&c, TRUE);
    for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++)
            for (int k = 0; k < 4; k++) row[4 * x + k] = (unsigned char)(255 - inks[(y >= 8 ? 2 : 0) + (x >= 8 ? 1 : 0)][k]);
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return fclose(f) != 0;
}
"""


def make_ycck():
    compiler = shutil.which("cc") or shutil.which("clang") or shutil.which("gcc")
    if not compiler:
        print("no C compiler: ycck.jpg left as it is")
        return
    with tempfile.TemporaryDirectory() as tmp:
        source, binary = os.path.join(tmp, "ycck.c"), os.path.join(tmp, "ycck")
        with open(source, "w") as f:
            f.write(YCCK_WRITER)
        subprocess.run([compiler, source, "-o", binary, "-ljpeg"], check=True)
        subprocess.run([binary, os.path.join(HERE, "ycck.jpg")], check=True)
    im = Image.open(os.path.join(HERE, "ycck.jpg"))
    assert im.info.get("adobe_transform") == 2, "expected an Adobe YCCK file"
    print("ycck.jpg", im.mode, [im.convert("RGB").getpixel(p) for p in [(3, 3), (12, 3), (3, 12), (12, 12)]])


if __name__ == "__main__":
    make_pngs()
    make_jpegs()
    make_ycck()
