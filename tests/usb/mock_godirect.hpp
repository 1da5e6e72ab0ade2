#pragma once
// An emulated Vernier Go Direct device (08f7:0010) speaking the real protocol: it answers INIT,
// GET_DEVICE_INFO, the two mask commands, GET_SENSOR_INFO, SET_MEASUREMENT_PERIOD, START, STOP
// and DISCONNECT with responses echoing the command at byte 4 (split into 64-byte reports led by
// their byte count), and streams 0x06 measurement packets at the configured period. It records
// every command it received.

#include "tests/usb/mock_hid.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace qv::test {

/// One command as the model received it.
struct ReceivedCommand {
    std::uint8_t command = 0;
    std::uint8_t counter = 0;
    std::vector<std::uint8_t> payload;
    bool checksum_ok = false;
};

/// The Go Direct device model.
class MockGoDirect : public MockHidDevice {
  public:
    /// `product` is the USB product string ("GDX-FOR 072007B3"); `with_out_endpoint` false makes
    /// the host send commands with SET_REPORT.
    explicit MockGoDirect(std::string product = "GDX-FOR 072007B3", bool with_out_endpoint = true);

    /// The unit the force sensor (sensor 1) reports in ("N" by default).
    void set_force_unit(std::string unit);
    /// Commands this model never answers (e.g. INIT for the timeout test).
    void ignore_command(std::uint8_t command);
    /// Value rows per measurement packet (default 1).
    void set_rows_per_packet(int rows);
    /// The value of measurement row `i` in the sensor's unit.
    static double value_of(int i) { return 5.0 + 0.25 * i; }

    std::vector<ReceivedCommand> received();
    /// The period SET_MEASUREMENT_PERIOD asked for (0 before) and the START mask.
    std::uint32_t period_us();
    std::uint32_t start_mask();

    static constexpr const char* kSerial = "072007B3";

  protected:
    void on_out_report(const std::vector<std::uint8_t>& report) override;
    std::vector<std::uint8_t> stream_report(int index) override;
    void on_replug() override;

  private:
    void respond(const ReceivedCommand& c, std::vector<std::uint8_t> payload);

    std::string unit_ = "N";
    std::set<std::uint8_t> ignored_;
    int rows_ = 1;
    std::vector<ReceivedCommand> received_;
    std::uint32_t period_us_ = 0;
    std::uint32_t mask_ = 0;
};

} // namespace qv::test
