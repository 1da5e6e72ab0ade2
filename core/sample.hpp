#pragma once
// Timestamped measurements as every input source delivers them.

#include <cstdint>
#include <string_view>

namespace qv {

/// Microseconds on the monotonic clock of the process (or of an injected test clock).
using Micros = std::int64_t;

/// The physical quantity a sample measures.
enum class Channel : std::uint8_t {
    Force,     ///< newtons
    KneeAngle, ///< degrees of knee flexion (0 = straight)
};

/// Bit flags a sample may carry from the source or from filtering.
enum SampleFlag : std::uint16_t {
    kFlagNone = 0,
    kFlagSaturated = 1u << 0,    ///< the sensor reported full scale
    kFlagNotTared = 1u << 1,     ///< the device says its zero is not set
    kFlagLowSupply = 1u << 2,    ///< the device reports low supply voltage
    kFlagSpike = 1u << 3,        ///< the spike filter replaced this value
    kFlagGapBefore = 1u << 4,    ///< samples were dropped or lost just before this one
    kFlagDriftWarning = 1u << 5, ///< the zero has drifted past the threshold
};

/// One value on one channel at one moment.
struct Sample {
    Micros t_us = 0;
    Channel channel = Channel::Force;
    float value = 0.0f;
    std::uint16_t flags = kFlagNone;
};

/// Short lower-case channel name as stored and printed ("force", "knee_angle").
constexpr std::string_view channel_name(Channel c) {
    return c == Channel::Force ? "force" : "knee_angle";
}

} // namespace qv
