#pragma once
// An emulated PhidgetBridge 4-input (1046, 06c2:003b): it takes the OUT report (enable bits,
// gain nibbles, data interval in 8 ms units) by SET_REPORT or interrupt OUT, records it, and
// then streams IN reports at that interval with new data on the enabled channels, reading the
// bridge ratio the test sets (a load cell under a load).

#include "tests/usb/mock_hid.hpp"

#include <cstdint>
#include <vector>

namespace qv::test {

/// The PhidgetBridge model.
class MockPhidgetBridge : public MockHidDevice {
  public:
    /// `with_out_endpoint` false (the default) makes the host configure it with SET_REPORT.
    explicit MockPhidgetBridge(bool with_out_endpoint = false);

    /// The ratio (V/V) the load cell on channel 0 gives from now on.
    void set_ratio(double v_per_v);
    /// Sets the error bit of channel 0 on every report from now on.
    void set_error_bit(bool on);
    /// The OUT reports received.
    std::vector<std::vector<std::uint8_t>> out_reports();
    /// The data interval the last OUT report asked for, ms.
    std::uint32_t interval_ms();
    /// The raw 24-bit value a ratio gives at a gain factor (what the board would send).
    static std::uint32_t raw_of(double v_per_v, int gain_factor);

    static constexpr const char* kSerial = "452301";
    /// Bytes of each IN report (the 18 meaningful ones, zero padded).
    static constexpr std::uint16_t kInSize = 32;

  protected:
    void on_out_report(const std::vector<std::uint8_t>& report) override;
    std::vector<std::uint8_t> stream_report(int index) override;
    void on_replug() override;

  private:
    double ratio_ = 0;
    bool error_bit_ = false;
    std::vector<std::vector<std::uint8_t>> received_;
    std::uint8_t enabled_ = 0;
    std::uint8_t gains_[2] = {0, 0};
    std::uint32_t interval_ms_ = 0;
};

} // namespace qv::test
