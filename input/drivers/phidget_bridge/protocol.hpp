#pragma once
// The PhidgetBridge 4-input (1046, 06c2:003b) HID protocol: the OUT report that enables
// channels and sets gains and the data interval, the IN report with bridge ratios, and the
// two-point calibration that turns a load cell's ratio into newtons. Pure bytes; no libusb.
//
// Gain codes are 4 bits per channel, two channels per byte, the lower-numbered channel in the
// high nibble (channel 0 high and channel 1 low nibble of the first gain byte). The IN report
// echoes the gains in bytes 2-3 with the same layout.

#include "core/result.hpp"
#include "core/sample.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace qv::input::phidget_bridge {

/// Bridge inputs on the board.
inline constexpr int kChannels = 4;
/// Meaningful bytes of the OUT report; the driver pads to the endpoint's report size.
inline constexpr std::size_t kOutSize = 5;
/// Bytes before the first channel value in the IN report.
inline constexpr std::size_t kInHeaderSize = 6;
/// An IN report holding all four channel values.
inline constexpr std::size_t kInFullSize = kInHeaderSize + 3 * kChannels;
/// Shortest and longest data interval, milliseconds (the board counts in 8 ms units).
inline constexpr std::uint32_t kMinIntervalMs = 8;
inline constexpr std::uint32_t kMaxIntervalMs = 1000;

/// Programmable gain, by its 4-bit code.
enum class Gain : std::uint8_t { x1 = 0, x8 = 3, x16 = 4, x32 = 5, x64 = 6, x128 = 7 };

/// The amplification of a gain (1, 8, ..., 128).
int gain_factor(Gain gain);
/// The gain with this 4-bit code, nullopt for codes the board does not have.
std::optional<Gain> gain_from_code(std::uint8_t code);
/// The gain with this amplification, nullopt for 2, 3, 4, ...
std::optional<Gain> gain_from_factor(int factor);
/// The largest |ratio| (V/V) a channel can report at `gain` before it is out of range.
double ratio_limit(Gain gain);

/// What the OUT report asks of the board.
struct BridgeConfig {
    std::array<bool, kChannels> enabled{};
    std::array<Gain, kChannels> gain{Gain::x1, Gain::x1, Gain::x1, Gain::x1};
    std::uint32_t data_interval_ms = 8; ///< 8..1000, rounded down to a multiple of 8
};

/// Why bytes or a configuration could not be used.
enum class Errc : std::uint8_t {
    TooShort, ///< a report shorter than its header or than a channel with new data needs
    BadValue, ///< a configuration value out of range
    BadGain,  ///< a gain code the board does not have, on a channel with new data
};

/// A typed error with words for the log.
struct DecodeError {
    Errc code;
    std::string message;
};

/// Builds the OUT report: byte 0 enable bits, bytes 1-2 gain codes, bytes 3-4 the data
/// interval in 8 ms units (little endian).
[[nodiscard]] std::optional<DecodeError> build_out_report(const BridgeConfig& config,
                                                          std::array<std::uint8_t, kOutSize>& out);

/// One channel of an IN report.
struct ChannelReading {
    bool enabled = false;      ///< the board's echo of the enable bit
    bool new_data = false;     ///< the value below is fresh
    bool error = false;        ///< the board flags this channel
    Gain gain = Gain::x1;      ///< the board's echo of the gain
    std::uint32_t raw = 0;     ///< 24-bit offset binary, 0x800000 = 0 (when new_data)
    double ratio = 0;          ///< V/V (when new_data)
    bool out_of_range = false; ///< error bit set or |ratio| beyond ratio_limit(gain)
};

/// A decoded IN report.
struct InputReport {
    std::array<ChannelReading, kChannels> channels;
};

/// The bridge ratio in V/V of a 24-bit offset binary reading at `gain`.
double ratio_from_raw(std::uint32_t raw, Gain gain);

/// Decodes an IN report. Never reads past `bytes`; channel values are read only for channels
/// whose new-data bit is set.
[[nodiscard]] std::optional<DecodeError> parse_in_report(std::span<const std::uint8_t> bytes,
                                                         InputReport& out);

/// Newtons from a bridge ratio: a zero reading and a slope from one known load.
struct TwoPointCalibration {
    double zero_ratio = 0;        ///< V/V with nothing on the load cell
    double newtons_per_ratio = 0; ///< N per V/V
    /// The force for a ratio.
    double newtons(double ratio) const { return (ratio - zero_ratio) * newtons_per_ratio; }
};

/// The calibration from the ratio unloaded, the ratio under a known load, and that load in
/// newtons (a mass in kg times 9.80665). Fails when the load is not positive or the two
/// ratios are the same (the load cell did not respond).
Result<TwoPointCalibration> make_calibration(double zero_ratio, double loaded_ratio,
                                             double known_n);

/// Standard gravity, m/s², for a known mass on the load cell.
inline constexpr double kStandardGravity = 9.80665;

/// make_calibration() for a known mass in kilograms (its weight is mass x kStandardGravity).
Result<TwoPointCalibration> make_calibration_from_mass(double zero_ratio, double loaded_ratio,
                                                       double mass_kg);

/// Turns IN reports into force samples for one channel through a calibration.
class ForceDecoder {
  public:
    /// Reads channel `channel` (0..3; out-of-range numbers are clamped).
    ForceDecoder(int channel, const TwoPointCalibration& calibration);
    /// Appends a force sample when the report has new data for the channel (kFlagSaturated
    /// when out of range). A zero-length report appends nothing and is not an error.
    [[nodiscard]] std::optional<DecodeError> feed(std::span<const std::uint8_t> bytes, Micros t_us,
                                                  std::vector<Sample>& out);

  private:
    int channel_;
    TwoPointCalibration calibration_;
};

} // namespace qv::input::phidget_bridge
