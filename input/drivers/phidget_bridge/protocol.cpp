#include "input/drivers/phidget_bridge/protocol.hpp"

#include <cmath>
#include <fmt/format.h>

namespace qv::input::phidget_bridge {

namespace {

constexpr std::uint32_t kZeroRaw = 0x800000;

DecodeError error(Errc code, std::string message) {
    return DecodeError{code, std::move(message)};
}

// Byte and shift of channel `ch`'s gain nibble, counting from the first gain byte.
std::size_t gain_byte(int ch) {
    return static_cast<std::size_t>(ch / 2);
}
int gain_shift(int ch) {
    return ch % 2 == 0 ? 4 : 0;
}

} // namespace

int gain_factor(Gain gain) {
    switch (gain) {
    case Gain::x1:
        return 1;
    case Gain::x8:
        return 8;
    case Gain::x16:
        return 16;
    case Gain::x32:
        return 32;
    case Gain::x64:
        return 64;
    case Gain::x128:
        return 128;
    }
    return 1;
}

std::optional<Gain> gain_from_code(std::uint8_t code) {
    switch (code) {
    case 0:
        return Gain::x1;
    case 3:
        return Gain::x8;
    case 4:
        return Gain::x16;
    case 5:
        return Gain::x32;
    case 6:
        return Gain::x64;
    case 7:
        return Gain::x128;
    default:
        return std::nullopt;
    }
}

std::optional<Gain> gain_from_factor(int factor) {
    for (Gain g : {Gain::x1, Gain::x8, Gain::x16, Gain::x32, Gain::x64, Gain::x128}) {
        if (gain_factor(g) == factor) {
            return g;
        }
    }
    return std::nullopt;
}

double ratio_limit(Gain gain) {
    // The amplifier does not clamp cleanly at full scale, so with gain the last half percent is
    // treated as out of range too.
    return gain == Gain::x1 ? 1.0 : 0.995 / gain_factor(gain);
}

std::optional<DecodeError> build_out_report(const BridgeConfig& config,
                                            std::array<std::uint8_t, kOutSize>& out) {
    if (config.data_interval_ms < kMinIntervalMs || config.data_interval_ms > kMaxIntervalMs) {
        return error(Errc::BadValue,
                     fmt::format("data interval {} ms is outside {}..{} ms",
                                 config.data_interval_ms, kMinIntervalMs, kMaxIntervalMs));
    }
    std::array<std::uint8_t, kOutSize> b{};
    for (int ch = 0; ch < kChannels; ++ch) {
        const auto i = static_cast<std::size_t>(ch);
        if (config.enabled[i]) {
            b[0] = static_cast<std::uint8_t>(b[0] | (1u << ch));
        }
        const auto code = static_cast<unsigned>(config.gain[i]);
        if (!gain_from_code(static_cast<std::uint8_t>(code))) {
            return error(
                Errc::BadValue,
                fmt::format("channel {} has gain code {}, not one the board has", ch, code));
        }
        b[1 + gain_byte(ch)] =
            static_cast<std::uint8_t>(b[1 + gain_byte(ch)] | (code << gain_shift(ch)));
    }
    const std::uint32_t units = config.data_interval_ms / 8;
    b[3] = static_cast<std::uint8_t>(units & 0xFF);
    b[4] = static_cast<std::uint8_t>((units >> 8) & 0x03);
    out = b;
    return std::nullopt;
}

double ratio_from_raw(std::uint32_t raw, Gain gain) {
    const double offset = static_cast<double>(static_cast<std::int64_t>(raw & 0xFFFFFF) -
                                              static_cast<std::int64_t>(kZeroRaw));
    return offset / static_cast<double>(kZeroRaw) / gain_factor(gain);
}

std::optional<DecodeError> parse_in_report(std::span<const std::uint8_t> bytes, InputReport& out) {
    if (bytes.size() < kInHeaderSize) {
        return error(Errc::TooShort, fmt::format("IN report of {} byte(s) is shorter than its "
                                                 "{}-byte header",
                                                 bytes.size(), kInHeaderSize));
    }
    InputReport r;
    for (int ch = 0; ch < kChannels; ++ch) {
        ChannelReading& c = r.channels[static_cast<std::size_t>(ch)];
        c.enabled = (bytes[0] >> ch) & 1u;
        c.new_data = (bytes[0] >> (4 + ch)) & 1u;
        c.error = (bytes[1] >> ch) & 1u;
        const auto code =
            static_cast<std::uint8_t>((bytes[2 + gain_byte(ch)] >> gain_shift(ch)) & 0x0F);
        const std::optional<Gain> gain = gain_from_code(code);
        if (gain) {
            c.gain = *gain;
        }
        if (!c.new_data) {
            continue;
        }
        if (!gain) {
            return error(
                Errc::BadGain,
                fmt::format("channel {} reports gain code {}, not one the board has", ch, code));
        }
        const std::size_t at = kInHeaderSize + 3 * static_cast<std::size_t>(ch);
        if (at + 3 > bytes.size()) {
            return error(Errc::TooShort,
                         fmt::format("IN report of {} byte(s) ends before channel {}'s value",
                                     bytes.size(), ch));
        }
        c.raw = (static_cast<std::uint32_t>(bytes[at]) << 16) |
                (static_cast<std::uint32_t>(bytes[at + 1]) << 8) | bytes[at + 2];
        c.ratio = ratio_from_raw(c.raw, c.gain);
        c.out_of_range = c.error || std::abs(c.ratio) > ratio_limit(c.gain);
    }
    out = r;
    return std::nullopt;
}

Result<TwoPointCalibration> make_calibration(double zero_ratio, double loaded_ratio,
                                             double known_n) {
    if (!std::isfinite(zero_ratio) || !std::isfinite(loaded_ratio)) {
        return fail("calibration ratios must be finite numbers");
    }
    if (!std::isfinite(known_n) || known_n <= 0) {
        return fail(fmt::format("the known load must be above 0 N, got {}", known_n));
    }
    const double span = loaded_ratio - zero_ratio;
    if (std::abs(span) < 1e-9) {
        return fail(fmt::format("the ratio did not change under {} N ({} V/V both times): is "
                                "the load cell connected?",
                                known_n, zero_ratio));
    }
    return TwoPointCalibration{zero_ratio, known_n / span};
}

Result<TwoPointCalibration> make_calibration_from_mass(double zero_ratio, double loaded_ratio,
                                                       double mass_kg) {
    if (!std::isfinite(mass_kg) || mass_kg <= 0) {
        return fail(fmt::format("the known mass must be above 0 kg, got {}", mass_kg));
    }
    return make_calibration(zero_ratio, loaded_ratio, mass_kg * kStandardGravity);
}

ForceDecoder::ForceDecoder(int channel, const TwoPointCalibration& calibration)
    : channel_(channel < 0 ? 0 : (channel >= kChannels ? kChannels - 1 : channel)),
      calibration_(calibration) {}

std::optional<DecodeError> ForceDecoder::feed(std::span<const std::uint8_t> bytes, Micros t_us,
                                              std::vector<Sample>& out) {
    if (bytes.empty()) {
        return std::nullopt;
    }
    InputReport r;
    if (auto e = parse_in_report(bytes, r)) {
        return e;
    }
    const ChannelReading& c = r.channels[static_cast<std::size_t>(channel_)];
    if (!c.new_data) {
        return std::nullopt;
    }
    const std::uint16_t flags = c.out_of_range ? kFlagSaturated : kFlagNone;
    out.push_back(
        Sample{t_us, Channel::Force, static_cast<float>(calibration_.newtons(c.ratio)), flags});
    return std::nullopt;
}

} // namespace qv::input::phidget_bridge
