// libFuzzer target: PhidgetBridge IN reports, decoded on their own and through the force decoder
// for every channel, as a sequence of reports cut from the input (chunk length = first byte % 32).

#include "input/drivers/phidget_bridge/protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

using namespace qv::input::phidget_bridge;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    InputReport report;
    (void)parse_in_report(bytes, report);
    if (size > 0) {
        (void)gain_from_code(data[0]);
        (void)gain_from_factor(data[0]);
    }

    const TwoPointCalibration calibration{0.0001, 250000.0};
    std::vector<ForceDecoder> decoders;
    for (int ch = -1; ch <= kChannels; ++ch) {
        decoders.emplace_back(ch, calibration);
    }
    std::vector<qv::Sample> samples;
    std::size_t at = 0;
    qv::Micros t = 0;
    while (at < size) {
        const std::size_t len = std::min<std::size_t>(data[at] % 32u, size - at - 1);
        for (ForceDecoder& d : decoders) {
            (void)d.feed(bytes.subspan(at + 1, len), t, samples);
        }
        at += 1 + len;
        t += 8000;
    }
    return 0;
}
