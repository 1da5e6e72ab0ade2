#!/bin/sh
# Renders the application icon's PNG sizes from the SVG. Run it after editing the SVG and commit
# the PNGs: the build installs them as they are and needs no converter.
# Needs rsvg-convert (Debian: librsvg2-bin).
set -eu
cd "$(dirname "$0")"
id=io.github.quadventure.Quadventure
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert --width "$size" --height "$size" --output "hicolor/${size}x${size}/apps/$id.png" "$id.svg"
done
