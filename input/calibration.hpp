#pragma once
// Calibration: the zero (tare) with the leg relaxed, then the maximal voluntary contraction
// (MVC) as the best of several pushes. Both are state machines fed with filtered force samples.

#include "core/sample.hpp"
#include "core/tuning.hpp"

#include <optional>
#include <string>
#include <vector>

namespace qv::input {

/// The result of a calibration: the force reading at rest, and 100 % MVC above that zero.
struct Calibration {
    double zero_n = 0;
    double mvc_n = 0;
    std::vector<double> attempts_n; ///< the peak of each push, tared
};

/// Tared force as a percentage of MVC. 0 when the calibration has no MVC.
double percent_mvc(double force_n, const Calibration& cal);

/// Waits for a still window of `rest_window_s` (standard deviation below `rest_max_sd_n`) and
/// takes its mean as the zero. Fails after `rest_timeout_s` without a still window.
class TareProcedure {
  public:
    explicit TareProcedure(const CalibrationParams& params);
    void feed(Micros t_us, double force_n);
    bool done() const { return zero_.has_value() || failed_; }
    bool failed() const { return failed_; }
    /// The zero once done() and not failed().
    std::optional<double> zero_n() const { return zero_; }
    /// 0..1: how much of the still window has been seen so far.
    double progress() const;
    /// Standard deviation of the current window (for the "keep still" hint).
    double current_sd() const;

  private:
    CalibrationParams p_;
    std::vector<std::pair<Micros, double>> window_;
    std::optional<Micros> start_;
    std::optional<double> zero_;
    bool failed_ = false;
    double last_sd_ = 0;
};

/// What the player should be doing during the MVC test.
enum class MvcPhase {
    Push, ///< push as hard as possible
    Rest, ///< relax between pushes
    Done, ///< finished (see result() or error())
};

/// Runs `attempts` pushes of `push_s` separated by `push_rest_s`. The peak of a push is the best
/// mean over `peak_window_s` of tared force. MVC = best peak; rejected when below `min_mvc_n`
/// or above `max_mvc_n` with a message saying which.
class MvcProcedure {
  public:
    MvcProcedure(const CalibrationParams& params, double zero_n);
    /// Feeds a filtered (untared) force sample. The first sample starts attempt 1.
    void feed(Micros t_us, double force_n);
    MvcPhase phase() const { return phase_; }
    /// 0-based index of the current (or last) attempt.
    int attempt() const { return attempt_; }
    /// Seconds left in the current push or rest.
    double phase_remaining_s() const;
    /// Peaks of completed pushes so far, tared newtons.
    const std::vector<double>& peaks_n() const { return peaks_; }
    /// Tared force of the latest sample.
    double current_n() const { return current_n_; }
    /// Set once Done: the calibration, or nullopt with error().
    std::optional<Calibration> result() const { return result_; }
    /// Why the test was rejected, empty otherwise.
    const std::string& error() const { return error_; }

  private:
    void finish();
    CalibrationParams p_;
    double zero_n_;
    MvcPhase phase_ = MvcPhase::Push;
    int attempt_ = 0;
    std::optional<Micros> phase_start_;
    Micros now_ = 0;
    std::vector<std::pair<Micros, double>> push_samples_;
    std::vector<double> peaks_;
    double current_n_ = 0;
    std::optional<Calibration> result_;
    std::string error_;
};

} // namespace qv::input
