#include "game/two_point.hpp"

#include "game/context.hpp"
#include "input/drivers/phidget_bridge/driver.hpp"
#include "input/drivers/replay/recorded_source.hpp"
#include "profiles/two_point_store.hpp"

namespace qv::game {

namespace {

class RawAccess final : public TwoPointAccess {
  public:
    explicit RawAccess(input::RawForceSource& source) : source_(source) {}
    void take(std::vector<input::RawReading>& out, Micros) override { source_.take_raw(out); }
    double min_delta_raw() const override { return source_.min_delta_raw(); }
    double steady_sd_raw() const override { return source_.steady_sd_raw(); }
    void apply(const std::optional<input::TwoPointScale>& scale) override {
        source_.set_two_point(scale);
    }
    bool calibrated() const override { return source_.two_point().has_value(); }

  private:
    input::RawForceSource& source_;
};

// The PhidgetBridge keeps ratio statistics rather than a list of readings: one averaged reading
// per call (per frame), in V/V.
class PhidgetAccess final : public TwoPointAccess {
  public:
    explicit PhidgetAccess(input::PhidgetBridgeSource& source) : source_(source) {
        source_.reset_ratio_stats();
    }
    void take(std::vector<input::RawReading>& out, Micros now_us) override {
        const input::RatioStats stats = source_.ratio_stats();
        if (stats.count > stats.out_of_range) {
            out.push_back({now_us, stats.mean_mv_per_v / 1000.0});
        }
        source_.reset_ratio_stats();
    }
    // A 2 mV/V load cell at gain 128 spans about +-7.8 mV/V: 0.1 % and 0.3 % of that.
    double min_delta_raw() const override { return 2e-6; }
    double steady_sd_raw() const override { return 5e-6; }
    void apply(const std::optional<input::TwoPointScale>& scale) override {
        if (scale) {
            source_.set_calibration({scale->zero_raw, scale->newtons_per_raw});
        } else {
            source_.clear_calibration();
        }
    }
    bool calibrated() const override { return source_.calibrated(); }

  private:
    input::PhidgetBridgeSource& source_;
};

} // namespace

std::unique_ptr<TwoPointAccess> TwoPointAccess::of(input::Source* source) {
    input::Source* s = input::underlying(source);
    if (auto* raw = dynamic_cast<input::RawForceSource*>(s)) {
        return std::make_unique<RawAccess>(*raw);
    }
    if (auto* phidget = dynamic_cast<input::PhidgetBridgeSource*>(s)) {
        return std::make_unique<PhidgetAccess>(*phidget);
    }
    return nullptr;
}

bool needs_two_point(const Context& ctx) {
    const input::Source* s = input::underlying(ctx.input.source());
    return dynamic_cast<const input::RawForceSource*>(s) != nullptr ||
           dynamic_cast<const input::PhidgetBridgeSource*>(s) != nullptr;
}

bool apply_stored_two_point(Context& ctx, const std::string& driver_id) {
    auto access = TwoPointAccess::of(ctx.input.source());
    const auto stored =
        ctx.profile ? profiles::latest_two_point_calibration(ctx.store, ctx.profile->id, driver_id)
                    : std::nullopt;
    if (!stored) {
        ctx.drivers.two_point.erase(driver_id);
        if (access) {
            access->apply(std::nullopt);
        }
        return false;
    }
    const input::TwoPointScale scale{stored->zero_raw, stored->newtons_per_raw};
    ctx.drivers.two_point[driver_id] = scale;
    if (access) {
        access->apply(scale);
    }
    return true;
}

} // namespace qv::game
