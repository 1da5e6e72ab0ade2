#!/bin/sh
# CTest: the validator's self-test. A bundle that breaks FHIR R4 must be rejected, or passing
# bundles prove nothing. Exits 77 (skipped) when node or the validator is missing.
#   expect_invalid.sh <install dir> <validate_bundle.js> <invalid.json>
set -u
dest=$1
script=$2
bundle=$3
if ! command -v node >/dev/null 2>&1 || [ ! -d "$dest/node_modules/fhir" ]; then
    echo "SKIP: node or the validator is not installed"
    exit 77
fi
if node "$script" "$dest/node_modules" "$bundle"; then
    echo "FAIL: the validator accepted $bundle, which breaks FHIR R4"
    exit 1
fi
echo "ok: the validator rejects $bundle"
