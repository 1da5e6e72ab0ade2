#!/bin/sh
# CTest fixture set-up: installs the pinned FHIR validator (package-lock.json) into the build
# directory with `npm ci`. Exits 77 (CTest: skipped) when npm is not installed.
#   npm_setup.sh <source dir with package.json> <install dir>
set -eu
src=$1
dest=$2
if ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: npm is not installed (Debian: nodejs, npm); the FHIR validator test is skipped"
    exit 77
fi
mkdir -p "$dest"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
npm ci --prefix "$dest" --no-audit --no-fund --loglevel=error
echo "installed: fhir $(node -p "require('$dest/node_modules/fhir/package.json').version")"
