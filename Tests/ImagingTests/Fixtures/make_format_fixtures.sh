#!/usr/bin/env bash
# Makes the format test fixtures with each format's own encoder (run by FormatFixtures.swift).
#   make_format_fixtures.sh PHOTO P3_PROFILE BIG_P3_PROFILE SRGB_PROFILE EXIF_JPEG COLOURFUL_PHOTO OUT_DIR
# PHOTO is an sRGB photograph; P3_PROFILE a Display P3 ICC profile; BIG_P3_PROFILE the same
# space in a profile over 64 KiB (so JPEG must split it over several APP2 segments);
# EXIF_JPEG a JPEG whose EXIF orientation is 6; COLOURFUL_PHOTO a saturated photograph for the
# colour-difference test. Tools: ImageMagick, cwebp, heif-enc, tiffcp, tiffset.
set -euo pipefail
photo=$1 p3=$2 big=$3 srgb=$4 exif_jpeg=$5 colourful=$6 out=$7
convert=/usr/bin/convert
mkdir -p "$out"
cd "$out"

# The photo in Display P3, 8 bits, with the profile in iCCP: the source of the colour fixtures.
$convert "$photo" -resize '160x120!' +profile '*' -profile "$srgb" -profile "$p3" -depth 8 p3.png
$convert "$photo" -resize '160x120!' +profile '*' -depth 8 srgb.png
$convert p3.png -quality 92 p3.jpg
$convert p3.png +profile '*' -profile "$big" -quality 92 p3-multi.jpg
cwebp -quiet -q 90 -metadata icc p3.png -o p3.webp
heif-enc -q 90 p3.png -o p3.heic >/dev/null
heif-enc -A -q 90 p3.png -o p3.avif >/dev/null
$convert p3.png -depth 16 p3-16.tif
tiffcp -c lzw -t p3-16.tif p3-16-tiled.tif

# Alpha, grey, palette, 16 bits, orientation.
$convert srgb.png \( -size 160x120 gradient:white-black \) -alpha off -compose CopyOpacity -composite rgba.png
cwebp -quiet -lossless rgba.png -o rgba-lossless.webp
heif-enc -q 90 rgba.png -o rgba.heic >/dev/null
$convert rgba.png -depth 8 rgba.tif
$convert srgb.png -colorspace Gray -depth 16 gray16.tif
$convert srgb.png -colors 32 -type Palette palette.tif
$convert srgb.png -depth 8 oriented.tif
tiffset -s 274 6 oriented.tif
cwebp -quiet -q 90 -metadata exif "$exif_jpeg" -o oriented.webp

# A saturated photo in Display P3, as a phone would write it (HEIC) and as a JPEG.
$convert "$colourful" -resize '256x256!' +profile '*' -profile "$srgb" -profile "$p3" -depth 8 photo-p3.png
heif-enc -q 90 photo-p3.png -o photo-p3.heic >/dev/null
$convert photo-p3.png -quality 92 photo-p3.jpg
