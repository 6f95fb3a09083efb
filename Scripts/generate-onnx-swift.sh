#!/usr/bin/env bash
# Regenerates Sources/Stylization/Magenta/onnx.pb.swift from onnx.proto. Run by hand, once per
# onnx.proto change; NOT part of the build (the generated file is committed).
#
#   Scripts/generate-onnx-swift.sh PATH/TO/onnx.proto
#
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift built from the same
# swift-protobuf version the package depends on (1.39.0), in a scratch folder outside the repo:
#   git clone https://github.com/apple/swift-protobuf /tmp/sp && cd /tmp/sp && git checkout 1.39.0
#   swift build -c release --product protoc-gen-swift
# The committed file was made from onnx 1.23.2's onnx/onnx.proto (proto2, package onnx).
set -euo pipefail
proto="${1:?usage: $0 PATH/TO/onnx.proto}"
plugin="${PROTOC_GEN_SWIFT:-/tmp/sp/.build/release/protoc-gen-swift}"
out="$(cd "$(dirname "$0")/.." && pwd)/Sources/Stylization/Magenta"
cd "$(dirname "$proto")"
protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$out" --swift_opt=Visibility=Internal "$(basename "$proto")"
echo "wrote $out/onnx.pb.swift"
