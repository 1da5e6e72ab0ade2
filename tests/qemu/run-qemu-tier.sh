#!/usr/bin/env bash
# The QEMU real-kernel tier (docs/testing-usb.md): boots the stock Debian kernel under QEMU
# (software emulation) with an initramfs holding busybox, the USB host and gadget modules and the
# probe; guest-init.sh plugs a configfs HID gadget posing as the open sensor into dummy_hcd and
# the probe runs the real OpenSensorSource against the real usbhid/usbfs.
#
#   run-qemu-tier.sh --probe PATH/qemu_open_sensor_probe --work-dir DIR
#
# Exit status: 0 the guest printed `QV-QEMU-RESULT: ok ...`; 1 it failed (the guest log's tail is
# printed); 77 skipped (no qemu-system-x86_64, no Debian kernel with the modules, or the kernel
# is unreadable), with the reason on a `SKIPPED:` line.
#
# Environment:
#   QV_QEMU_KERNEL    kernel version to boot (a /boot/vmlinuz-VER with /lib/modules/VER);
#                     default: the newest one that has dummy_hcd
#   QV_QEMU_TIMEOUT   seconds before QEMU is killed (default 150)
#   QV_QEMU_COUNT     reports the gadget sends (default 200)
#   QV_QEMU_RATE_HZ   their rate (default 100)
#   QV_QEMU_REPORT_LENGTH  the gadget's report_length, i.e. its wMaxPacketSize (default 12: a
#                     report fills a packet, so f_hid follows each with a zero-length packet)
#   QV_QEMU_HIGH_SPEED=1  dummy_hcd at high speed (default: full speed, as the real sensors)
#   QV_QEMU_REQUIRE=1 fail instead of skipping when something is missing (for CI)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
probe=""
work=""
while [ $# -gt 0 ]; do
    case "$1" in
    --probe) probe=$2; shift 2 ;;
    --work-dir) work=$2; shift 2 ;;
    *) echo "usage: $0 --probe PATH --work-dir DIR" >&2; exit 2 ;;
    esac
done
if [ -z "$probe" ] || [ -z "$work" ]; then
    echo "usage: $0 --probe PATH --work-dir DIR" >&2
    exit 2
fi
[ -x "$probe" ] || { echo "FAIL: the probe $probe is not built" >&2; exit 1; }

skip() {
    if [ "${QV_QEMU_REQUIRE:-0}" = 1 ]; then
        echo "FAIL (QV_QEMU_REQUIRE=1): $*" >&2
        exit 1
    fi
    echo "SKIPPED: $*"
    exit 77
}

# Debian puts modprobe and friends in /sbin, which a user's PATH may not hold.
export PATH="$PATH:/usr/sbin:/sbin"

# ---- what the tier needs from the host -------------------------------------------------------
qemu=$(command -v qemu-system-x86_64 || true)
[ -n "$qemu" ] || skip "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)"
for tool in modprobe cpio; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (Debian packages kmod, cpio)"
done
busybox=""
for b in /bin/busybox /usr/bin/busybox; do
    if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then # static: ldd says "not a dynamic executable"
        busybox=$b
        break
    fi
done
[ -n "$busybox" ] || skip "no static busybox (Debian package busybox-static)"

# The modules, in load order; modprobe --show-depends adds what each needs.
modules=(usb-common usbcore udc-core dummy_hcd configfs libcomposite usb_f_hid hid usbhid hid-generic)
optional_modules=(usbmon) # counts zero-length packets on the wire; the tier runs without it

kver=${QV_QEMU_KERNEL:-}
if [ -z "$kver" ]; then
    for dir in $(ls -d /lib/modules/*/ 2>/dev/null | sort -rV); do
        v=$(basename "$dir")
        if [ -e "/boot/vmlinuz-$v" ] && modprobe -S "$v" --show-depends dummy_hcd >/dev/null 2>&1; then
            kver=$v
            break
        fi
    done
fi
[ -n "$kver" ] || skip "no kernel with dummy_hcd in /boot and /lib/modules (Debian package linux-image-amd64)"
kernel=/boot/vmlinuz-$kver
[ -e "$kernel" ] || skip "$kernel does not exist"
[ -r "$kernel" ] || skip "$kernel is not readable by $(id -un)"

# ---- the initramfs -----------------------------------------------------------------------------
mkdir -p "$work"
root="$work/root"
rm -rf "$root"
mkdir -p "$root"/{bin,lib/modules,dev,proc,sys,tmp}

# Copies a module, decompressed, and appends "name params" to the load list (once per module).
declare -A loaded=()
add_module_file() {
    local path=$1 params=$2 name
    name=$(basename "$path")
    name=${name%.xz}
    name=${name%.zst}
    name=${name%.gz}
    [ -z "${loaded[$name]:-}" ] || return 0
    loaded[$name]=1
    case "$path" in
    *.ko.xz) xz -dc "$path" >"$root/lib/modules/$name" ;;
    *.ko.zst) zstd -qdc "$path" >"$root/lib/modules/$name" ;;
    *.ko.gz) gzip -dc "$path" >"$root/lib/modules/$name" ;;
    *) cp "$path" "$root/lib/modules/$name" ;;
    esac
    echo "$name $params" >>"$root/modules.list"
}
add_module() {
    local m=$1 deps verb path params
    deps=$(modprobe -S "$kver" --show-depends "$m" 2>&1) || return 1
    while read -r verb path params; do
        # "builtin NAME" lines: built into this kernel, nothing to load.
        if [ "$verb" = insmod ]; then
            add_module_file "$path" "$params"
        fi
    done <<<"$deps"
}
: >"$root/modules.list"
for m in "${modules[@]}"; do
    add_module "$m" || skip "kernel $kver has no module $m"
done
for m in "${optional_modules[@]}"; do
    add_module "$m" || echo "note: kernel $kver has no $m; zero-length packets will not be counted"
done
# dummy_hcd at full speed by default, as the real sensors (RP2040, ATmega32u4) are.
high_speed=0
[ "${QV_QEMU_HIGH_SPEED:-0}" = 1 ] && high_speed=1
sed -i "s/^dummy_hcd\.ko\b.*$/dummy_hcd.ko is_high_speed=$high_speed/" "$root/modules.list"

cp "$busybox" "$root/bin/busybox"
# Without its debug information the probe loads faster; keep it when strip is missing.
strip -o "$root/qemu_open_sensor_probe" "$probe" 2>/dev/null || cp "$probe" "$root/qemu_open_sensor_probe"
# The probe is dynamically linked (Debian's libusb needs libudev, which has no static archive):
# copy every library ldd names, and the loader, to the same paths.
while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done < <(ldd "$probe" | awk '/=> \// { print $3 } /^\t\// { print $1 }')

cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox" "$root/qemu_open_sensor_probe"
cat >"$root/qv.conf" <<EOF
QV_COUNT=${QV_QEMU_COUNT:-200}
QV_RATE_HZ=${QV_QEMU_RATE_HZ:-100}
QV_REPORT_LENGTH=${QV_QEMU_REPORT_LENGTH:-12}
export ASAN_OPTIONS='${ASAN_OPTIONS:-}' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}'
EOF

initrd="$work/initramfs.cpio"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$initrd"

# ---- boot ----------------------------------------------------------------------------------------
log="$work/guest.log"
timeout_s=${QV_QEMU_TIMEOUT:-150}
echo "booting $kernel ($(du -h "$initrd" | cut -f1) initramfs) under QEMU, software emulation, timeout ${timeout_s}s"
start_ms=$(($(date +%s%N) / 1000000))
set +e
timeout --kill-after=5 "$timeout_s" "$qemu" \
    -accel tcg -machine q35 -cpu max -smp 1 -m 512 \
    -nodefaults -no-user-config -display none -no-reboot \
    -serial "file:$log" \
    -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 quiet panic=-1 loglevel=4" </dev/null
qemu_rc=$?
set -e
elapsed_ms=$(($(date +%s%N) / 1000000 - start_ms))
elapsed="$((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))"

result=$(grep -a '^QV-QEMU-RESULT: ' "$log" | tail -n 1 | tr -d '\r' || true)
if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
    echo "FAIL: QEMU did not finish within ${timeout_s}s" >&2
elif [ "$qemu_rc" -ne 0 ]; then
    echo "FAIL: qemu-system-x86_64 exited with $qemu_rc" >&2
fi
grep -a '^QV-QEMU' "$log" | tr -d '\r' | grep -v '^QV-QEMU-RESULT: ' || true
echo "guest ran ${elapsed}s (log: $log)"
if [ "$qemu_rc" -eq 0 ] && [[ "$result" == "QV-QEMU-RESULT: ok "* ]]; then
    echo "$result"
    exit 0
fi
echo "--- guest log (tail) ---"
tail -n 60 "$log" | tr -d '\r'
echo "${result:-QV-QEMU-RESULT: none (the guest printed no result)}"
exit 1
