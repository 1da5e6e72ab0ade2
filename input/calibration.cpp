#include "input/calibration.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace qv::input {

double percent_mvc(double force_n, const Calibration& cal) {
    if (!(cal.mvc_n > 0)) {
        return 0.0;
    }
    return 100.0 * force_n / cal.mvc_n;
}

// ---- TareProcedure --------------------------------------------------------------------------
// The window holds the samples of the last rest_window_s (t >= now - window). It counts as
// complete once rest_window_s has passed since the first sample; from then on every sample
// checks whether the window is still enough.

TareProcedure::TareProcedure(const CalibrationParams& params) : p_(params) {}

void TareProcedure::feed(Micros t_us, double force_n) {
    if (done()) {
        return;
    }
    if (!start_) {
        start_ = t_us;
    }
    if (!window_.empty() && t_us <= window_.back().first) {
        return; // time must move forward; a repeated or earlier sample says nothing new
    }
    window_.emplace_back(t_us, force_n);
    const Micros window_us = from_seconds(p_.rest_window_s);
    const auto first_kept = std::find_if(
        window_.begin(), window_.end(), [&](const auto& s) { return s.first >= t_us - window_us; });
    window_.erase(window_.begin(), first_kept);

    double sum = 0;
    for (const auto& s : window_) {
        sum += s.second;
    }
    const double mean = sum / static_cast<double>(window_.size());
    double sq = 0;
    for (const auto& s : window_) {
        sq += (s.second - mean) * (s.second - mean);
    }
    last_sd_ = std::sqrt(sq / static_cast<double>(window_.size()));

    const Micros elapsed = t_us - *start_;
    if (elapsed >= window_us && last_sd_ <= p_.rest_max_sd_n) {
        zero_ = mean;
    } else if (elapsed >= from_seconds(p_.rest_timeout_s)) {
        failed_ = true;
    }
}

double TareProcedure::progress() const {
    if (zero_) {
        return 1.0;
    }
    if (!start_ || window_.empty() || !(p_.rest_window_s > 0)) {
        return 0.0;
    }
    const double seen = to_seconds(window_.back().first - *start_);
    return std::clamp(seen / p_.rest_window_s, 0.0, 1.0);
}

double TareProcedure::current_sd() const {
    return last_sd_;
}

// ---- MvcProcedure ---------------------------------------------------------------------------
// Phases are timed from the first sample on exact boundaries (push_s, push_rest_s), so a late
// sample does not stretch the schedule. A sample at or after the end of a phase belongs to the
// next one.

namespace {

// Best mean over any span of `window_us` within the samples (time-sorted). Only spans that are
// fully covered count, so a short spike at the start cannot dominate a half-empty window; when
// the push is shorter than the window the mean of the whole push is used.
double best_window_mean(const std::vector<std::pair<Micros, double>>& samples, Micros window_us) {
    if (samples.empty()) {
        return 0.0;
    }
    const Micros first_t = samples.front().first;
    double best = 0;
    bool found = false;
    double sum = 0;
    std::size_t begin = 0;
    for (std::size_t end = 0; end < samples.size(); ++end) {
        sum += samples[end].second;
        const Micros t = samples[end].first;
        while (samples[begin].first < t - window_us) {
            sum -= samples[begin].second;
            ++begin;
        }
        if (t - first_t >= window_us) {
            const double mean = sum / static_cast<double>(end - begin + 1);
            if (!found || mean > best) {
                best = mean;
                found = true;
            }
        }
    }
    if (!found) {
        double total = 0;
        for (const auto& s : samples) {
            total += s.second;
        }
        best = total / static_cast<double>(samples.size());
    }
    return best;
}

} // namespace

MvcProcedure::MvcProcedure(const CalibrationParams& params, double zero_n)
    : p_(params), zero_n_(zero_n) {}

void MvcProcedure::feed(Micros t_us, double force_n) {
    if (phase_ == MvcPhase::Done) {
        return;
    }
    if (phase_start_ && t_us <= now_) {
        return; // time must move forward
    }
    now_ = t_us;
    current_n_ = force_n - zero_n_;
    if (!phase_start_) {
        phase_start_ = t_us;
        phase_ = MvcPhase::Push;
        attempt_ = 0;
    }
    const Micros push_us = from_seconds(p_.push_s);
    const Micros rest_us = from_seconds(p_.push_rest_s);
    for (;;) {
        const Micros length = phase_ == MvcPhase::Push ? push_us : rest_us;
        if (t_us - *phase_start_ < length) {
            break;
        }
        *phase_start_ += length;
        if (phase_ == MvcPhase::Push) {
            peaks_.push_back(best_window_mean(push_samples_, from_seconds(p_.peak_window_s)));
            push_samples_.clear();
            if (attempt_ + 1 >= p_.attempts) {
                finish();
                return;
            }
            phase_ = MvcPhase::Rest;
        } else {
            phase_ = MvcPhase::Push;
            ++attempt_;
        }
    }
    if (phase_ == MvcPhase::Push) {
        push_samples_.emplace_back(t_us, current_n_);
    }
}

double MvcProcedure::phase_remaining_s() const {
    if (phase_ == MvcPhase::Done) {
        return 0.0;
    }
    const double length = phase_ == MvcPhase::Push ? p_.push_s : p_.push_rest_s;
    if (!phase_start_) {
        return length;
    }
    return std::max(0.0, length - to_seconds(now_ - *phase_start_));
}

void MvcProcedure::finish() {
    phase_ = MvcPhase::Done;
    const double best = peaks_.empty() ? 0.0 : *std::max_element(peaks_.begin(), peaks_.end());
    if (best < p_.min_mvc_n) {
        error_ = fmt::format("no push detected: best {:.0f} N, need at least {:.0f} N", best,
                             p_.min_mvc_n);
        return;
    }
    if (best > p_.max_mvc_n) {
        error_ = fmt::format(
            "implausible maximum: best {:.0f} N, more than {:.0f} N is not possible; check the "
            "sensor",
            best, p_.max_mvc_n);
        return;
    }
    result_ = Calibration{zero_n_, best, peaks_};
}

} // namespace qv::input
