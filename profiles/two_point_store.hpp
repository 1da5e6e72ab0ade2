#pragma once
// Storage of two-point load-cell calibrations (the joystick board, the PhidgetBridge): rows of
// the calibrations table with kind = 'two_point' (schema v3). The columns are reused as follows:
//   source_driver  the driver id ("joystick", "phidget-bridge")
//   zero_n         0 (the calibrated scale reads 0 N at the zero by construction)
//   mvc_n          the known load in newtons (the weight put on the sensor; > 0)
//   attempts_json  [zero_raw, newtons_per_raw, loaded_raw]: the coefficients and the loaded
//                  reading, in the driver's raw unit (axis counts, or the bridge ratio in V/V)
// An MVC calibration (kind 'mvc') of the same driver is a separate row.

#include "core/result.hpp"
#include "profiles/store.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace qv::profiles {

/// One two-point calibration of a profile's sensor.
struct TwoPointRecord {
    std::int64_t id = 0;
    std::int64_t profile_id = 0;
    std::string created_at; ///< ISO 8601 UTC; empty means now
    std::string source_driver;
    double zero_raw = 0;        ///< raw reading with nothing on the sensor
    double newtons_per_raw = 0; ///< N per raw unit, > 0
    double loaded_raw = 0;      ///< raw reading under the known load
    double known_n = 0;         ///< the known load, N (> 0)
};

/// Stores a two-point calibration; returns its id. Refuses non-finite numbers, a known load or
/// slope not above 0, an unknown profile.
Result<std::int64_t> add_two_point_calibration(Store& store, const TwoPointRecord& record);

/// The newest two-point calibration of this profile and driver, if any (errors are logged).
std::optional<TwoPointRecord> latest_two_point_calibration(Store& store, std::int64_t profile_id,
                                                           const std::string& source_driver);

} // namespace qv::profiles
