#pragma once
// Filtering of raw force samples: validation (NaN, time order, saturation), spike rejection and
// low-pass smoothing. Pure computation; no threads.

#include "core/sample.hpp"
#include "core/tuning.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace qv::input {

/// Why a sample was rejected outright.
enum class RejectReason { NotFinite, OutOfOrder, Repeated };

/// Counts of what the filter did, for the HUD, logs and tests.
struct FilterStats {
    std::uint64_t accepted = 0;
    std::uint64_t not_finite = 0;
    std::uint64_t out_of_order = 0;
    std::uint64_t repeated = 0;
    std::uint64_t spikes = 0;
    std::uint64_t saturated = 0;
};

/// A running median-of-5 spike detector (Hampel-style): a sample further than the threshold from
/// the median of its neighbourhood is replaced by that median and flagged kFlagSpike. Introduces
/// no delay: the decision uses the last five samples including this one.
class SpikeFilter {
  public:
    explicit SpikeFilter(double threshold);
    /// Returns the value to use; sets *was_spike.
    double apply(double x, bool* was_spike);
    void reset();

  private:
    double threshold_;
    std::array<double, 5> window_{};
    int count_ = 0;
    int next_ = 0;
};

/// Second-order Butterworth low-pass (bilinear transform), recomputed when the sample period
/// changes by more than 10 %.
class LowPass {
  public:
    explicit LowPass(double cutoff_hz);
    /// Filters x taken dt_s after the previous sample.
    double apply(double x, double dt_s);
    void reset();

  private:
    void design(double dt_s);
    double cutoff_hz_;
    double designed_dt_ = 0;
    double b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
    double x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
    bool primed_ = false;
};

/// The full chain for one force channel: validate, clamp, spike-reject, low-pass.
class ForceFilter {
  public:
    explicit ForceFilter(const FilterParams& params);
    /// Returns the filtered sample, or nullopt when the sample is rejected (see stats()).
    std::optional<Sample> apply(const Sample& raw);
    const FilterStats& stats() const { return stats_; }
    void reset();

  private:
    FilterParams params_;
    SpikeFilter spike_;
    LowPass lowpass_;
    FilterStats stats_;
    std::optional<Micros> last_t_;
};

} // namespace qv::input
