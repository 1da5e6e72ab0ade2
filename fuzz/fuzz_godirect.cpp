// libFuzzer target: Go Direct HID IN reports through the packet assembler (with and without
// checksum checks), then every complete packet through the response parsers or the measurement
// parser and the sample mapper; also the raw input as one packet and as a product/unit string.

#include "input/drivers/godirect/protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

using namespace qv::input::godirect;

namespace {

void parse_packet(std::span<const std::uint8_t> packet, SampleMapper& mapper,
                  std::vector<qv::Sample>& samples, qv::Micros t) {
    if (!packet.empty() && packet[0] == kMeasurementMagic) {
        Measurement m;
        if (!parse_measurement(packet, m)) {
            for (std::size_t r = 0; r < m.rows; ++r) {
                for (std::size_t i = 0; i < m.sensors.size(); ++i) {
                    (void)m.at(r, i);
                }
            }
            mapper.feed(m, t, samples);
        }
        return;
    }
    Response response;
    if (parse_response(packet, response)) {
        return;
    }
    (void)check_ok(response, Command::GetStatus);
    DeviceStatus status;
    (void)parse_status(response, status);
    DeviceInfo info;
    (void)parse_device_info(response, info);
    std::uint32_t mask = 0;
    (void)parse_mask(response, Command::GetSensorAvailableMask, mask);
    (void)parse_mask(response, Command::GetDefaultSensorsMask, mask);
    SensorInfo sensor;
    if (!parse_sensor_info(response, sensor)) {
        (void)newtons_per_unit(sensor.unit);
        const SensorInfo list[] = {sensor};
        (void)pick_force_sensor(mask, list);
        (void)choose_force_sensor(mask, list);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)model_name(model_from_product(text));
    (void)newtons_per_unit(text);
    (void)checksum(bytes);
    (void)frame(bytes);

    SampleMapper mapper(size > 0 ? data[0] % 32u : 0, 10'000);
    std::vector<qv::Sample> samples;
    parse_packet(bytes, mapper, samples, 0);

    // The input as a run of 64-byte reports (the last one may be short).
    for (bool verify : {true, false}) {
        PacketAssembler assembler(verify);
        std::vector<Packet> packets;
        qv::Micros t = 0;
        for (std::size_t at = 0; at < size; at += kReportSize) {
            (void)assembler.feed(bytes.subspan(at, std::min(kReportSize, size - at)), packets);
            for (const Packet& p : packets) {
                parse_packet(p, mapper, samples, t);
            }
            packets.clear();
            t += 10'000;
        }
    }
    return 0;
}
