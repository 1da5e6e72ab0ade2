#include "input/drift.hpp"

#include "core/clock.hpp"

#include <cmath>

namespace qv::input {

DriftTracker::Verdict DriftTracker::feed_rest(Micros t_us, double filtered_n,
                                              double calibration_zero_n) {
    if (!std::isfinite(filtered_n)) {
        return Verdict::None;
    }
    if (!window_.empty() && t_us <= window_.back().first) {
        window_.clear(); // time went backwards: start over
    }
    window_.emplace_back(t_us, filtered_n);
    // Keep just the last window_s of samples.
    const Micros span = from_seconds(p_.window_s);
    std::size_t first = 0;
    while (first < window_.size() && t_us - window_[first].first > span) {
        ++first;
    }
    if (first > 0) {
        window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(first));
    }
    // Full only when the samples kept cover (almost) the whole window.
    if (window_.size() < 2 || static_cast<double>(window_.back().first - window_.front().first) <
                                  0.95 * static_cast<double>(span)) {
        return Verdict::None;
    }
    double sum = 0;
    for (const auto& [t, v] : window_) {
        sum += v;
    }
    const double mean = sum / static_cast<double>(window_.size());
    double ss = 0;
    for (const auto& [t, v] : window_) {
        ss += (v - mean) * (v - mean);
    }
    const double sd = std::sqrt(ss / static_cast<double>(window_.size()));
    if (sd > p_.max_sd_n) {
        return Verdict::None; // still settling (or not really at rest)
    }
    window_.clear(); // the next verdict needs a new full window
    last_rest_offset_n_ = mean - calibration_zero_n;
    if (std::abs(last_rest_offset_n_) <= p_.threshold_n) {
        offset_n_ = last_rest_offset_n_;
        warning_ = false;
        ++rezeroes_;
        return Verdict::Rezeroed;
    }
    warning_ = true;
    ++warnings_;
    return Verdict::Drifted;
}

void DriftTracker::reset() {
    window_.clear();
    offset_n_ = 0;
    last_rest_offset_n_ = 0;
    warning_ = false;
    rezeroes_ = 0;
    warnings_ = 0;
}

} // namespace qv::input
