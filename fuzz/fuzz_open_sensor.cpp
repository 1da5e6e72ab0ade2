// libFuzzer target: the open-sensor input and identity reports, and the stream decoder fed a
// sequence of reports cut from the input (each chunk's length is its first byte modulo 32).

#include "input/drivers/open_sensor/protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

using namespace qv::input::open_sensor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    Report report;
    (void)parse_report(bytes, report);
    (void)report.angle();
    Identity identity;
    if (!parse_identity(bytes, identity)) {
        (void)identity.firmware();
    }

    StreamDecoder decoder;
    std::vector<qv::Sample> samples;
    std::size_t at = 0;
    qv::Micros t = 0;
    while (at < size) {
        const std::size_t len = std::min<std::size_t>(data[at] % 32u, size - at - 1);
        (void)decoder.feed(bytes.subspan(at + 1, len), t, samples);
        at += 1 + len;
        t += 1000;
    }
    (void)decoder.lost_reports();
    return 0;
}
