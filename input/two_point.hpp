#pragma once
// Two-point calibration of a load cell that reports raw numbers, not newtons (the HX711 joystick
// board's axis, the PhidgetBridge's bridge ratio): a reading with nothing on it (the zero) and a
// reading under a known weight give a line from raw units to newtons. Pure computation, plus the
// small interface the calibration flow uses to read raw values from a source.

#include "core/sample.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace qv::input {

/// Standard gravity, m/s²: a known mass of m kg weighs m x this many newtons.
inline constexpr double kGravity = 9.80665;

/// Newtons from raw readings: force = (raw - zero_raw) x newtons_per_raw.
struct TwoPointScale {
    double zero_raw = 0;        ///< the raw reading with nothing on the load cell
    double newtons_per_raw = 0; ///< N per raw unit (positive: more load, higher raw value)
    /// The force for a raw reading.
    double newtons(double raw) const { return (raw - zero_raw) * newtons_per_raw; }
};

/// Why two readings do not make a calibration.
enum class TwoPointProblem {
    None,
    NotFinite, ///< a reading or the load is not a number
    NoLoad,    ///< the known load is not above 0 N
    TooSmall,  ///< the readings differ by less than the sensor's noise: nothing responded
    Negative,  ///< the reading went down under the load (load cell mounted or wired backwards)
};

/// The outcome of make_two_point(): a scale, or the problem.
struct TwoPointResult {
    std::optional<TwoPointScale> scale;
    TwoPointProblem problem = TwoPointProblem::None;
};

/// The scale from the zero reading, the reading under `known_n` newtons, and the smallest raw
/// difference that counts as a response (`min_delta_raw`, from the source).
TwoPointResult make_two_point(double zero_raw, double loaded_raw, double known_n,
                              double min_delta_raw);

/// The weight of `mass_kg` kilograms, newtons.
inline double weight_n(double mass_kg) {
    return mass_kg * kGravity;
}

/// A raw reading with its time.
struct RawReading {
    Micros t_us = 0;
    double raw = 0;
};

/// A source whose force needs a two-point calibration. Until it has one it delivers no force
/// samples (raw units are not newtons); the raw readings go to take_raw() for the calibration
/// flow. Game thread only.
class RawForceSource {
  public:
    virtual ~RawForceSource() = default;
    /// Appends the raw readings since the previous call, in time order, and forgets them.
    virtual void take_raw(std::vector<RawReading>& out) = 0;
    /// The smallest raw difference that is more than noise (refuses "nothing changed").
    virtual double min_delta_raw() const = 0;
    /// The largest raw standard deviation that counts as "steady" before the scale is known.
    virtual double steady_sd_raw() const = 0;
    /// Sets or (nullopt) drops the calibration.
    virtual void set_two_point(const std::optional<TwoPointScale>& scale) = 0;
    /// The calibration in use, if any.
    virtual std::optional<TwoPointScale> two_point() const = 0;
};

/// Mean and standard deviation of readings (0, 0 for none).
std::pair<double, double> mean_sd(const std::vector<RawReading>& readings);

} // namespace qv::input
