#!/bin/sh
# CTest: exports FHIR bundles from a filled scratch database and validates them with the
# independent validator installed by npm_setup.sh. Exits 77 (skipped) when node or the
# validator is missing, 1 with the validator's messages when a bundle is invalid.
#   validate.sh <report_fhir_sample> <install dir> <validate_bundle.js>
set -eu
sample=$1
dest=$2
script=$3
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: node is not installed (Debian: nodejs); the FHIR validator test is skipped"
    exit 77
fi
if [ ! -d "$dest/node_modules/fhir" ]; then
    echo "SKIP: the validator is not installed in $dest (its npm set-up was skipped)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$sample" "$work/adult.json" "$work/child.json"
node "$script" "$dest/node_modules" "$work/adult.json" "$work/child.json"
