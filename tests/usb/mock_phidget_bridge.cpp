#include "tests/usb/mock_phidget_bridge.hpp"

#include <algorithm>
#include <cmath>

namespace qv::test {

namespace {

int factor_of_code(unsigned code) {
    switch (code) {
    case 3:
        return 8;
    case 4:
        return 16;
    case 5:
        return 32;
    case 6:
        return 64;
    case 7:
        return 128;
    default:
        return 1;
    }
}

} // namespace

MockPhidgetBridge::MockPhidgetBridge(bool with_out_endpoint)
    : MockHidDevice(HidDeviceSpec{0x06C2, 0x003B, "Phidgets Inc.", "PhidgetBridge", kSerial,
                                  kInSize, 8, static_cast<std::uint16_t>(with_out_endpoint ? 8 : 0),
                                  40}) {}

std::uint32_t MockPhidgetBridge::raw_of(double v_per_v, int gain_factor) {
    const double raw = 0x800000 + std::round(v_per_v * gain_factor * 0x800000);
    return static_cast<std::uint32_t>(std::clamp(raw, 0.0, static_cast<double>(0xFFFFFF)));
}

void MockPhidgetBridge::set_ratio(double v_per_v) {
    std::lock_guard lock(mutex_);
    ratio_ = v_per_v;
}

void MockPhidgetBridge::set_error_bit(bool on) {
    std::lock_guard lock(mutex_);
    error_bit_ = on;
}

std::vector<std::vector<std::uint8_t>> MockPhidgetBridge::out_reports() {
    std::lock_guard lock(mutex_);
    return received_;
}

std::uint32_t MockPhidgetBridge::interval_ms() {
    std::lock_guard lock(mutex_);
    return interval_ms_;
}

void MockPhidgetBridge::on_replug() {
    received_.clear();
    interval_ms_ = 0;
    enabled_ = 0;
}

void MockPhidgetBridge::on_out_report(const std::vector<std::uint8_t>& report) {
    received_.push_back(report);
    if (report.size() < 5) {
        return;
    }
    enabled_ = report[0] & 0x0F;
    gains_[0] = report[1];
    gains_[1] = report[2];
    interval_ms_ = static_cast<std::uint32_t>(report[3] | ((report[4] & 0x03) << 8)) * 8;
    if (enabled_ != 0 && interval_ms_ >= 8) {
        start_stream(static_cast<std::int64_t>(interval_ms_) * 1000);
    } else {
        stop_stream();
    }
}

std::vector<std::uint8_t> MockPhidgetBridge::stream_report(int) {
    std::vector<std::uint8_t> r(kInSize, 0);
    r[0] = static_cast<std::uint8_t>(enabled_ | (enabled_ << 4));
    r[1] = error_bit_ ? 0x01 : 0x00;
    r[2] = gains_[0];
    r[3] = gains_[1];
    for (int ch = 0; ch < 4; ++ch) {
        if (((enabled_ >> ch) & 1u) == 0) {
            continue;
        }
        const unsigned code = (gains_[ch / 2] >> (ch % 2 == 0 ? 4 : 0)) & 0x0F;
        const std::uint32_t raw = raw_of(ch == 0 ? ratio_ : 0.0, factor_of_code(code));
        const auto at = static_cast<std::size_t>(6 + 3 * ch);
        r[at] = static_cast<std::uint8_t>((raw >> 16) & 0xFF);
        r[at + 1] = static_cast<std::uint8_t>((raw >> 8) & 0xFF);
        r[at + 2] = static_cast<std::uint8_t>(raw & 0xFF);
    }
    return r;
}

} // namespace qv::test
