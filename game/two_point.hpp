#pragma once
// The game's side of two-point load-cell calibration: reaching the raw readings of the active
// source whatever its driver (input::RawForceSource, or the PhidgetBridge's ratio statistics),
// and applying a stored calibration when a sensor is chosen.

#include "core/sample.hpp"
#include "input/two_point.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qv::input {
class Source;
}

namespace qv::game {

struct Context;

/// Raw access to a source that needs a two-point calibration. Does not own the source.
class TwoPointAccess {
  public:
    virtual ~TwoPointAccess() = default;
    /// Access to `source` (looked through a recorder), or nullptr when it reports newtons itself.
    static std::unique_ptr<TwoPointAccess> of(input::Source* source);
    /// Appends raw readings since the last call; `now_us` stamps readings that have no time.
    virtual void take(std::vector<input::RawReading>& out, Micros now_us) = 0;
    /// The smallest raw difference that is a response, and the "steady" spread before scaling.
    virtual double min_delta_raw() const = 0;
    virtual double steady_sd_raw() const = 0;
    /// Sets or drops the calibration on the source.
    virtual void apply(const std::optional<input::TwoPointScale>& scale) = 0;
    virtual bool calibrated() const = 0;
};

/// True when the active source needs a two-point calibration.
bool needs_two_point(const Context& ctx);

/// Applies this profile's stored two-point calibration for `driver_id` to the active source and
/// remembers it for reconnects (ctx.drivers.two_point). False when none is stored.
bool apply_stored_two_point(Context& ctx, const std::string& driver_id);

} // namespace qv::game
