#include "input/two_point.hpp"

#include <algorithm>
#include <cmath>

namespace qv::input {

TwoPointResult make_two_point(double zero_raw, double loaded_raw, double known_n,
                              double min_delta_raw) {
    if (!std::isfinite(zero_raw) || !std::isfinite(loaded_raw) || !std::isfinite(known_n)) {
        return {std::nullopt, TwoPointProblem::NotFinite};
    }
    if (!(known_n > 0)) {
        return {std::nullopt, TwoPointProblem::NoLoad};
    }
    const double delta = loaded_raw - zero_raw;
    if (std::abs(delta) < std::max(min_delta_raw, 1e-12)) {
        return {std::nullopt, TwoPointProblem::TooSmall};
    }
    if (delta < 0) {
        return {std::nullopt, TwoPointProblem::Negative};
    }
    return {TwoPointScale{zero_raw, known_n / delta}, TwoPointProblem::None};
}

std::pair<double, double> mean_sd(const std::vector<RawReading>& readings) {
    if (readings.empty()) {
        return {0.0, 0.0};
    }
    double sum = 0;
    for (const auto& r : readings) {
        sum += r.raw;
    }
    const double mean = sum / static_cast<double>(readings.size());
    double ss = 0;
    for (const auto& r : readings) {
        ss += (r.raw - mean) * (r.raw - mean);
    }
    return {mean, std::sqrt(ss / static_cast<double>(readings.size()))};
}

} // namespace qv::input
