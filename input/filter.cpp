#include "input/filter.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace qv::input {

// ---- SpikeFilter ----------------------------------------------------------------------------
// The window holds the raw values (not the replacements), so a real step is accepted once it
// makes up the majority of the window; an isolated spike never does. With fewer than three
// samples there is no neighbourhood to judge by and values pass unchanged. A threshold <= 0
// disables the filter.

SpikeFilter::SpikeFilter(double threshold) : threshold_(threshold) {}

double SpikeFilter::apply(double x, bool* was_spike) {
    window_[static_cast<std::size_t>(next_)] = x;
    next_ = (next_ + 1) % static_cast<int>(window_.size());
    count_ = std::min(count_ + 1, static_cast<int>(window_.size()));
    bool spike = false;
    double out = x;
    if (threshold_ > 0 && count_ >= 3) {
        // While filling, the valid values are the first count_ slots. Insertion sort: at most
        // five values.
        std::array<double, 5> sorted{};
        const auto n = static_cast<std::size_t>(count_);
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t j = i;
            for (; j > 0 && sorted[j - 1] > window_[i]; --j) {
                sorted[j] = sorted[j - 1];
            }
            sorted[j] = window_[i];
        }
        const double median =
            n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        if (std::fabs(x - median) > threshold_) {
            spike = true;
            out = median;
        }
    }
    if (was_spike != nullptr) {
        *was_spike = spike;
    }
    return out;
}

void SpikeFilter::reset() {
    window_.fill(0.0);
    count_ = 0;
    next_ = 0;
}

// ---- LowPass --------------------------------------------------------------------------------
// Bilinear transform of the analogue prototype 1 / (s^2 + sqrt(2) s + 1) with the cutoff
// prewarped (K = tan(pi fc T)), so the -3 dB point lands exactly on fc. DC gain is exactly 1 in
// exact arithmetic. The first sample fills the state as if the input had always been that
// value, so there is no start-up transient from zero. A cutoff <= 0, or one at or above about
// Nyquist for the current period, makes the filter a pass-through.

LowPass::LowPass(double cutoff_hz) : cutoff_hz_(cutoff_hz) {}

void LowPass::design(double dt_s) {
    designed_dt_ = dt_s;
    if (!(cutoff_hz_ > 0) || cutoff_hz_ * dt_s >= 0.49) {
        b0_ = 1;
        b1_ = b2_ = a1_ = a2_ = 0;
        return;
    }
    const double k = std::tan(std::numbers::pi * cutoff_hz_ * dt_s);
    const double k2 = k * k;
    const double norm = 1.0 / (1.0 + std::numbers::sqrt2 * k + k2);
    b0_ = k2 * norm;
    b1_ = 2.0 * b0_;
    b2_ = b0_;
    a1_ = 2.0 * (k2 - 1.0) * norm;
    a2_ = (1.0 - std::numbers::sqrt2 * k + k2) * norm;
}

double LowPass::apply(double x, double dt_s) {
    if (!primed_) {
        x1_ = x2_ = y1_ = y2_ = x;
        primed_ = true;
        return x;
    }
    if (dt_s > 0 && (designed_dt_ <= 0 || std::fabs(dt_s - designed_dt_) > 0.1 * designed_dt_)) {
        design(dt_s);
    }
    if (designed_dt_ <= 0) {
        // No valid period seen yet: nothing to filter against.
        x2_ = x1_;
        x1_ = x;
        y2_ = y1_;
        y1_ = x;
        return x;
    }
    const double y = b0_ * x + b1_ * x1_ + b2_ * x2_ - a1_ * y1_ - a2_ * y2_;
    x2_ = x1_;
    x1_ = x;
    y2_ = y1_;
    y1_ = y;
    return y;
}

void LowPass::reset() {
    designed_dt_ = 0;
    b0_ = 1;
    b1_ = b2_ = a1_ = a2_ = 0;
    x1_ = x2_ = y1_ = y2_ = 0;
    primed_ = false;
}

// ---- ForceFilter ----------------------------------------------------------------------------
// Order: reject non-finite values and samples not strictly later than the last accepted one,
// clamp to +-max_force_n (max_force_n <= 0: no clamp), replace spikes, low-pass. Flags the
// source set are kept. Rejected samples do not touch the filter state.

ForceFilter::ForceFilter(const FilterParams& params)
    : params_(params), spike_(params.spike_threshold_n), lowpass_(params.lowpass_hz) {}

std::optional<Sample> ForceFilter::apply(const Sample& raw) {
    if (!std::isfinite(raw.value)) {
        ++stats_.not_finite;
        return std::nullopt;
    }
    if (last_t_) {
        if (raw.t_us < *last_t_) {
            ++stats_.out_of_order;
            return std::nullopt;
        }
        if (raw.t_us == *last_t_) {
            ++stats_.repeated;
            return std::nullopt;
        }
    }
    const double dt_s = last_t_ ? to_seconds(raw.t_us - *last_t_) : 0.0;
    last_t_ = raw.t_us;

    Sample out = raw;
    double v = raw.value;
    if (params_.max_force_n > 0 && std::fabs(v) > params_.max_force_n) {
        v = std::copysign(params_.max_force_n, v);
        out.flags = static_cast<std::uint16_t>(out.flags | kFlagSaturated);
        ++stats_.saturated;
    }
    bool spike = false;
    v = spike_.apply(v, &spike);
    if (spike) {
        out.flags = static_cast<std::uint16_t>(out.flags | kFlagSpike);
        ++stats_.spikes;
    }
    v = lowpass_.apply(v, dt_s);
    out.value = static_cast<float>(v);
    ++stats_.accepted;
    return out;
}

void ForceFilter::reset() {
    spike_.reset();
    lowpass_.reset();
    stats_ = {};
    last_t_.reset();
}

} // namespace qv::input
