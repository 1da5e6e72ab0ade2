#include "input/hub.hpp"

#include "core/log.hpp"

#include <cmath>

namespace qv::input {

InputHub::InputHub(const Clock& clock, const FilterParams& filter)
    : clock_(clock), filter_(filter), drift_(DriftParams{filter.drift_threshold_n}) {}

InputHub::~InputHub() {
    // The thread goes first (it calls into the source), then the source (it pushes into the
    // queue, which is destroyed after this body).
    thread_.reset();
    if (source_) {
        source_->stop();
    }
}

bool InputHub::use(std::unique_ptr<Source> source, bool drive_in_real_time) {
    thread_.reset();
    if (source_) {
        source_->stop();
        source_.reset();
    }
    // Nothing produces now. Samples the old source left in the queue are discarded: readings
    // carry no source of their own, so they must not be mistaken for the new source's.
    scratch_.clear();
    queue_.drain(scratch_);
    scratch_.clear();
    filter_.reset();
    latest_ = {};
    latest_angle_ = {};
    drift_.reset();
    dropped_seen_ = queue_.dropped();

    source_ = std::move(source);
    if (!source_) {
        return false;
    }
    if (!source_->start(queue_)) {
        log::get("input")->error("cannot start {}: {}", source_->identity().driver,
                                 source_->last_error());
        return false;
    }
    if (drive_in_real_time) {
        if (auto* clocked = dynamic_cast<ClockedSource*>(source_.get())) {
            thread_ = std::make_unique<SourceThread>(*clocked, clock_, 2000);
            thread_->start();
        }
    }
    return true;
}

void InputHub::pump() {
    if (thread_ || !source_) {
        return; // a SourceThread is the only producer then
    }
    if (auto* clocked = dynamic_cast<ClockedSource*>(source_.get())) {
        clocked->advance_to(clock_.now_us());
    }
}

void InputHub::set_at_rest(bool at_rest) {
    if (at_rest_ && !at_rest) {
        drift_.end_rest();
    }
    at_rest_ = at_rest;
}

void InputHub::poll(std::vector<ForceReading>& out) {
    angle_scratch_.clear();
    poll(out, angle_scratch_);
    angle_scratch_.clear();
}

void InputHub::poll(std::vector<ForceReading>& out, std::vector<AngleReading>& angles) {
    // A knee bends from about -10 (hyperextension) to about 160 degrees; a wider margin still
    // keeps garbage out of the rules.
    constexpr float kMinAngleDeg = -30.0f;
    constexpr float kMaxAngleDeg = 180.0f;
    scratch_.clear();
    queue_.drain(scratch_);
    const double calibration_zero = calibration_ ? calibration_->zero_n : 0.0;
    // Samples the queue had to drop lie before the first force reading of this poll.
    bool gap = queue_.dropped() > dropped_seen_;
    dropped_seen_ = queue_.dropped();
    for (const Sample& raw : scratch_) {
        if (raw.channel == Channel::KneeAngle) {
            if (!std::isfinite(raw.value) || raw.value < kMinAngleDeg || raw.value > kMaxAngleDeg) {
                ++rejected_angles_;
                continue;
            }
            AngleReading a;
            a.t_us = raw.t_us;
            a.deg = raw.value;
            a.flags = raw.flags;
            latest_angle_ = a;
            angles.push_back(a);
            continue;
        }
        if (raw.channel != Channel::Force) {
            continue;
        }
        const std::optional<Sample> filtered = filter_.apply(raw);
        if (!filtered) {
            continue;
        }
        ForceReading r;
        r.t_us = filtered->t_us;
        r.raw_n = raw.value;
        r.filtered_n = filtered->value;
        if (calibration_ && at_rest_) {
            drift_.feed_rest(r.t_us, r.filtered_n, calibration_zero);
        }
        r.tared_n = r.filtered_n - (calibration_zero + drift_.offset_n());
        r.pct_mvc = calibration_ ? percent_mvc(r.tared_n, *calibration_) : 0.0;
        r.flags = filtered->flags;
        if (drift_.warning()) {
            r.flags = static_cast<std::uint16_t>(r.flags | kFlagDriftWarning);
        }
        if (gap) {
            r.flags = static_cast<std::uint16_t>(r.flags | kFlagGapBefore);
            gap = false;
        }
        latest_ = r;
        out.push_back(r);
    }
}

} // namespace qv::input
