#!/bin/sh
# The udev rules in packaging/udev/ must be exactly what quadventure-udev-rules prints for the
# driver table this tree builds. Usage: check_udev_rules.sh GENERATOR PACKAGING_UDEV_DIR
set -u
gen=$1
dir=$2
status=0
check() { # check FILE [ARGS]
    file=$1
    shift
    if ! "$gen" "$@" | diff -u "$dir/$file" - ; then
        echo "FAIL: packaging/udev/$file is not the output of the driver table (input/registry.cpp)."
        echo "  Regenerate it after a build:"
        echo "    $gen $* > packaging/udev/$file"
        status=1
    else
        echo "ok: packaging/udev/$file matches quadventure-udev-rules $*"
    fi
}
check 70-quadventure.rules
check 70-quadventure-plugdev.rules --plugdev
exit $status
