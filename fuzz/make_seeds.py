#!/usr/bin/env python3
"""Writes the seed corpora of the byte-level fuzz targets (fuzz/corpus/<target>/) from byte
literals that follow each protocol's documented layout, and the text seeds from the project's own
files (content/data, the recordings of tests/protocols). Run once after changing a protocol;
the output is committed."""
import pathlib
import shutil
import struct

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def write(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(bytes(data))


# Open sensor: v1 input reports (id, length, sequence, force mN, angle cdeg, status, reserved),
# the identity feature report, and a stream (each report prefixed with its length, as the
# target cuts them).
def os_report(seq, force_mn, angle, status):
    return struct.pack("<BBHihBB", 0x01, 0x0C, seq, force_mn, angle, status, 0)


r1 = os_report(0x1234, 10000, 1000, 0x08)
r2 = os_report(0x1235, -250, -32768, 0x03)
write("open_sensor", "report_v1", r1)
write("open_sensor", "report_no_angle", r2)
write("open_sensor", "report_longer_v1", os_report(7, 5000, 0, 0)[:1] + b"\x0e" +
      os_report(7, 5000, 0, 0)[2:] + b"\x00\x00")
write("open_sensor", "identity", struct.pack("<BBBBBHBIBBBB", 0x40, 1, 1, 2, 3, 1000, 0x07,
                                             2000000, 0, 0, 0, 0))
stream = b""
for i, f in enumerate([0, 1500, 30000, 29000, 100]):
    rep = os_report(100 + i + (i == 3), f * 10, 4500, 0x08)
    stream += bytes([len(rep)]) + rep + b"\x00"  # a zero-length report after each
write("open_sensor", "stream_with_gap", stream)


# Go Direct: packets [magic, length, counter, checksum, command/type, ...] with the 8-bit sum,
# framed in 64-byte HID reports (count byte first).
def gd_packet(magic, body_after_checksum, counter):
    p = bytearray([magic, 4 + len(body_after_checksum), counter, 0]) + bytes(body_after_checksum)
    p[3] = (sum(p) - p[3]) & 0xFF
    return bytes(p)


def gd_reports(packet):
    out = b""
    for at in range(0, len(packet), 63):
        chunk = packet[at:at + 63]
        out += bytes([len(chunk)]) + chunk + bytes(63 - len(chunk))
    return out


def response(cmd, counter, payload):
    return gd_packet(0x58, bytes([cmd, counter]) + payload, counter)


def cstr(s, n):
    b = s.encode()[:n]
    return b + bytes(n - len(b))


status = response(0x10, 0xFD, bytes([0, 1, 2, 0x10, 0x00, 1, 3, 0x20, 0x00, 87, 1]))
info = response(0x55, 0xFC, bytes([0]) + cstr("GDX-FP", 16) + cstr("0K1023A4", 16) +
                cstr("GDX-FP 0K1023A4", 32) + bytes([1, 5, 0x30, 0x00]) + cstr("Force", 16))
mask = response(0x51, 0xFB, bytes([0]) + struct.pack("<I", 0x0F))
sensor = response(0x50, 0xF9, bytes([0, 1, 0]) + struct.pack("<I", 5700) + bytes([0, 0]) +
                  cstr("Force", 60) + cstr("N", 32) + struct.pack("<ddd", 0.1, -4000, 4000) +
                  struct.pack("<IQIII", 1000, 1000000, 10000, 1000, 0))
normal = gd_packet(0x20, bytes([0x06]) + struct.pack("<HBB", 0x0002, 3, 0) +
                   struct.pack("<fff", 1.5, 2.5, 3.5), 0x10)
single = gd_packet(0x20, bytes([0x08, 1, 2, 0]) + struct.pack("<ff", 100.0, 101.0), 0x11)
dropped = gd_packet(0x20, bytes([0x0D, 0, 0, 0, 0]), 0x12)
for name, p in [("status", status), ("device_info", info), ("mask", mask),
                ("sensor_info", sensor), ("normal_real32", normal), ("single_real32", single),
                ("dropped", dropped)]:
    write("godirect", name + ".packet", p)
    write("godirect", name + ".reports", gd_reports(p))
write("godirect", "session.reports", b"".join(gd_reports(p) for p in
                                             [status, mask, normal, dropped, single]))


# PhidgetBridge IN reports: enable and new-data bits, error bits, two gain bytes, one more
# header byte, then 24-bit big-endian offset-binary values for the channels with new data.
def pb_report(enabled, new, errors, gains, values):
    g = bytes([(gains[0] << 4) | gains[1], (gains[2] << 4) | gains[3]])
    body = b"".join(v.to_bytes(3, "big") for v in values)
    return bytes([enabled | (new << 4), errors]) + g + b"\x00\x00" + body


pb1 = pb_report(0x0F, 0x0F, 0, [7, 7, 7, 7], [0x800000, 0x812345, 0x7F0000, 0xFFFFFF])
pb2 = pb_report(0x01, 0x01, 0, [7, 0, 0, 0], [0x801000])
pb3 = pb_report(0x03, 0x02, 0x02, [3, 3, 0, 0], [0, 0x900000])
write("phidget_bridge", "all_channels", pb1)
write("phidget_bridge", "channel0", pb2)
write("phidget_bridge", "error_bit", pb3)
write("phidget_bridge", "header_only", bytes([0x0F, 0, 0, 0, 0, 0]))
write("phidget_bridge", "stream", b"".join(bytes([len(r)]) + r + b"\x00" for r in [pb1, pb2, pb3]))

# Recordings: the project's own example and its broken ones.
for src in [root / "tests/protocols/recordings", root / "tests/protocols/broken"]:
    for f in sorted(src.glob("*.qvrec")):
        write("recording", f.name, f.read_bytes())

# Content: the first line names the file kind ('!' first: loaded as the built-in copy); the
# seeds are every file of content/data and the content tests' broken files.
data = root / "content/data"
for f in sorted(data.rglob("*.toml")):
    rel = f.relative_to(data).as_posix()
    if rel.startswith("cohorts/"):
        continue
    write("content", rel.replace("/", "_"), rel.encode() + b"\n" + f.read_bytes())
    write("content", rel.replace("/", "_") + ".builtin", b"!" + rel.encode() + b"\n" +
          f.read_bytes())
broken = root / "tests/content/broken"
for f in sorted(broken.rglob("*.toml")):
    rel = f.relative_to(broken).as_posix()
    kind = rel.split("/", 1)[1] if "/" in rel else rel
    write("content", "broken_" + rel.replace("/", "_"), kind.encode() + b"\n" + f.read_bytes())
