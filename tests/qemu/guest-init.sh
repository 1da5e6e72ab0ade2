#!/bin/busybox sh
# /init of the QEMU tier's initramfs (run-qemu-tier.sh puts it there). Runs as PID 1 in the
# guest: loads the USB modules of the stock kernel, builds a configfs HID gadget that is the open
# sensor (1209:0001, its report descriptor), plugs it into dummy_hcd's host side, runs the probe
# against the real usbhid and usbfs, unplugs the gadget, and prints one line for the host:
#
#   QV-QEMU-RESULT: ok key=value...      or      QV-QEMU-RESULT: fail reason="..." ...
#
# then powers the machine off. Settings come from /qv.conf (written by run-qemu-tier.sh).

/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /sbin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp

. /qv.conf
PROBE=/qemu_open_sensor_probe
G=/sys/kernel/config/usb_gadget/qv

say() { echo "QV-QEMU: $*"; }
finish() {
    echo "QV-QEMU-RESULT: $*"
    sync
    poweroff -f
    sleep 5
}
fail() {
    echo "QV-QEMU: --- kernel log tail ---"
    dmesg | tail -n 40
    finish "fail reason=\"$*\""
}

# Polls a shell condition every 50 ms for up to $1 seconds.
wait_until() {
    local limit=$(($1 * 20)) i=0
    shift
    while ! eval "$*"; do
        i=$((i + 1))
        [ "$i" -ge "$limit" ] && return 1
        usleep 50000
    done
    return 0
}

# 1. The modules, in the order modprobe --show-depends gave on the host.
while read -r mod params; do
    [ -n "$mod" ] || continue
    # shellcheck disable=SC2086 # params are module parameters, split on purpose
    insmod "/lib/modules/$mod" $params || fail "insmod $mod failed"
done </modules.list
say "modules loaded: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"

mount -t configfs none /sys/kernel/config || fail "cannot mount configfs"
USBMON=""
if [ -d /sys/module/usbmon ] && mount -t debugfs none /sys/kernel/debug; then
    USBMON=/sys/kernel/debug/usb/usbmon/0u
fi

# 2. The gadget: the open sensor as docs/open-sensor.md describes it.
mkdir "$G" || fail "cannot create the gadget in configfs"
echo 0x1209 >"$G/idVendor"
echo 0x0001 >"$G/idProduct"
echo 0x0100 >"$G/bcdDevice"
echo 0x0200 >"$G/bcdUSB"
mkdir "$G/strings/0x409"
echo "Quadventure DIY" >"$G/strings/0x409/manufacturer"
echo "Quadventure open sensor" >"$G/strings/0x409/product"
echo "QEMU-0001" >"$G/strings/0x409/serialnumber"
F="$G/functions/hid.usb0"
mkdir "$F" || fail "cannot create the HID function (usb_f_hid)"
echo 0 >"$F/protocol"
echo 0 >"$F/subclass"
echo "$QV_REPORT_LENGTH" >"$F/report_length"
"$PROBE" descriptor --device "$F/report_desc" || fail "cannot write the report descriptor"
mkdir "$G/configs/c.1"
echo 100 >"$G/configs/c.1/MaxPower"
mkdir "$G/configs/c.1/strings/0x409"
echo "open sensor" >"$G/configs/c.1/strings/0x409/configuration"
ln -s "$F" "$G/configs/c.1/" || fail "cannot add the function to the configuration"
UDC=$(ls /sys/class/udc | head -n 1)
[ -n "$UDC" ] || fail "no UDC: dummy_hcd did not register one"
echo "$UDC" >"$G/UDC" || fail "cannot bind the gadget to $UDC"
say "gadget bound to $UDC"

# 3. The host side of dummy_hcd enumerates it; the real usbhid must bind.
find_itf() {
    for d in /sys/bus/usb/devices/*; do
        if [ "$(cat "$d/idVendor" 2>/dev/null)" = 1209 ] &&
            [ "$(cat "$d/idProduct" 2>/dev/null)" = 0001 ] && [ -d "$d:1.0" ]; then
            ITF="$d:1.0"
            return 0
        fi
    done
    return 1
}
ITF=""
wait_until 10 find_itf || fail "the host side never saw 1209:0001"
wait_until 10 '[ -e "$ITF/driver" ]' || fail "no driver bound to $ITF"
BOUND=$(basename "$(readlink "$ITF/driver")")
[ "$BOUND" = usbhid ] || fail "$ITF is bound to $BOUND, not usbhid"
DEV=${ITF%:1.0}
SPEED=$(cat "$DEV/speed")
# usbmon names the endpoint bus:device:endpoint, the device number with three digits.
MONADDR=$(printf 'Ii:%d:%03d:' "$(cat "$DEV/busnum")" "$(cat "$DEV/devnum")")
say "$(basename "$ITF") bound to $BOUND (speed $SPEED Mb/s, $(ls /sys/class/hidraw | tr '\n' ' '))"

# 4. Watch the wire (usbmon, text format) to count what the driver's transfers completed with.
MONPID=""
if [ -n "$USBMON" ] && [ -e "$USBMON" ]; then
    cat "$USBMON" >/tmp/usbmon.txt &
    MONPID=$!
fi

# 5. The probe opens the sensor (detaching usbhid); once it streams, the device starts sending.
"$PROBE" host --count "$QV_COUNT" --streaming-file /tmp/streaming \
    --streamed-file /tmp/streamed --timeout-s 30 >/tmp/probe.out &
PROBEPID=$!
wait_until 30 '[ -e /tmp/streaming ] || ! kill -0 $PROBEPID 2>/dev/null'
"$PROBE" gadget --count "$QV_COUNT" --rate-hz "$QV_RATE_HZ" --device /dev/hidg0 &
GADGETPID=$!

# 6. Once every report arrived, a real unplug: unbind the gadget from the UDC.
wait_until 60 '[ -e /tmp/streamed ] || ! kill -0 $PROBEPID 2>/dev/null'
if [ -e /tmp/streamed ]; then
    # Every report arrived, so every write() has returned (or is about to).
    wait "$GADGETPID"
    GADGET_RC=$?
    echo "" >"$G/UDC"
    say "gadget unbound (unplug)"
else
    # The probe gave up: nobody reads the endpoint, the writer may block for ever.
    kill "$GADGETPID" 2>/dev/null
    wait "$GADGETPID"
    GADGET_RC=0
fi
wait "$PROBEPID"
PROBE_RC=$?
[ -n "$MONPID" ] && kill "$MONPID" 2>/dev/null
cat /tmp/probe.out
LINE=$(grep '^QV-QEMU-PROBE: ' /tmp/probe.out | tail -n 1)
[ -n "$LINE" ] || fail "the probe printed no result (exit $PROBE_RC)"

# Interrupt IN completions seen on the wire: with data, and zero-length ones.
WIRE=""
if [ -n "$MONPID" ]; then
    # Completions of the sensor's interrupt IN endpoint with status 0: with data, or empty.
    WIRE=$(awk -v ep="$MONADDR" '$3 == "C" && index($4, ep) == 1 && $5 ~ /^0:/ {
                    if ($6 == "0") z++; else d++
                } END { printf "wire_reports=%d zlp=%d", d, z }' /tmp/usbmon.txt)
fi

if [ "$PROBE_RC" -eq 0 ] && [ "$GADGET_RC" -eq 0 ]; then
    finish "ok ${LINE#QV-QEMU-PROBE: ok } $WIRE speed=$SPEED"
fi
dmesg | tail -n 40
if [ -n "$MONPID" ]; then
    echo "QV-QEMU: --- usbmon, sensor endpoint (tail) ---"
    grep " $MONADDR" /tmp/usbmon.txt | tail -n 20
fi
finish "fail probe_rc=$PROBE_RC gadget_rc=$GADGET_RC ${LINE#QV-QEMU-PROBE: } $WIRE"
