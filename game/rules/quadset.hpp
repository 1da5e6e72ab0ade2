#pragma once
// The rules of a quad-set session, independent of graphics: get-ready countdown, holds whose
// timer runs only while force is inside the target band, guided rests, sets, scoring, and stops.
// Fed with % MVC readings in time order; reports what happened as events.

#include "core/exercise.hpp"
#include "core/sample.hpp"
#include "core/tuning.hpp"

#include <optional>
#include <string>
#include <vector>

namespace qv::rules {

/// Where the session is.
enum class QuadSetPhase {
    GetReady, ///< countdown before a set's first hold
    Hold,     ///< a rep is running: push into the band and stay there
    Rest,     ///< guided rest between holds
    SetRest,  ///< longer rest between sets
    Done,     ///< all sets finished or the session was stopped
};

/// Something the game may want to react to (sound, particles, storage).
struct QuadSetEvent {
    enum class Kind {
        RepStarted,
        EnteredBand,
        LeftBand,
        RepCompleted, ///< rep scored; `rep` holds the score (success or not)
        RestEnded,
        SetCompleted, ///< `set_index` finished (or stopped early: see stop_reason())
        SessionCompleted,
    };
    Kind kind;
    int set_index = 0;
    int rep_index = 0;
    std::optional<QuadSetRepScore> rep;
};

/// One session of quad sets at a fixed dose. Not thread-safe.
class QuadSetSession {
  public:
    QuadSetSession(const QuadSetDose& dose, const QuadSetRuleParams& params);

    /// Feeds one reading. The first call starts the clock of the session.
    void update(Micros t_us, double pct_mvc, double force_n);

    /// Ends the current set now (e.g. pain). Its unfinished rep is not scored. Moves on to the
    /// set rest (or Done when it was the last set, or when `end_session`).
    void stop_set(const std::string& reason, bool end_session);

    /// Changes the target band (the inner loop's precision knob). Takes effect at once between
    /// holds, or from the next hold when one is running, so a rep is scored against one band.
    void set_band(double low_pct, double high_pct);

    /// Events since the last call, in order.
    std::vector<QuadSetEvent> take_events();

    QuadSetPhase phase() const { return phase_; }
    int set_index() const { return set_; }
    int rep_index() const { return rep_; }
    const QuadSetDose& dose() const { return dose_; }
    /// In the band right now (with hysteresis).
    bool in_band() const { return in_band_; }
    /// 0..1 of the current hold (time in band / hold_s).
    double hold_progress() const;
    /// Seconds left in GetReady, Rest or SetRest; time left before a Hold times out.
    double phase_remaining_s() const;
    /// Middle of the band, % MVC (what a patient should aim for).
    double target_pct() const { return 0.5 * (dose_.band_low_pct + dose_.band_high_pct); }

    /// Scores of every rep so far, in order.
    const std::vector<QuadSetRepScore>& reps() const { return reps_; }
    /// Why set `set_index` stopped early; empty when it ran as planned or has not finished.
    std::string stop_reason(int set_index) const;
    /// Stars 0..3 for everything done so far (see QuadSetRuleParams).
    int stars() const;
    /// True when a stop ended the session early.
    bool stopped_early() const { return stopped_session_; }

  private:
    void enter(QuadSetPhase phase, Micros t_us);
    void finish_rep(Micros t_us, bool success);
    void emit(QuadSetEvent::Kind kind, std::optional<QuadSetRepScore> rep = std::nullopt);
    // Processes every phase end that falls at or before `t_us`, crediting hold time on the way.
    void advance_to(Micros t_us);
    // When the current phase ends on its own (Hold: earliest of success and timeout).
    Micros phase_end() const;
    // After the last rep of a set (or a stop): SetCompleted, then set rest, next set, or Done
    // when it was the last set or `end_session`.
    void end_set(Micros t_us, bool end_session);
    // Applies one reading taken during a Hold: peak, band membership, in-band statistics.
    void apply_hold_sample(double pct_mvc, double force_n);

    double last_pct_ = 0; // the latest reading, for band membership at the start of a rep

    QuadSetDose dose_;
    QuadSetRuleParams p_;
    QuadSetPhase phase_ = QuadSetPhase::GetReady;
    int set_ = 0;
    int rep_ = 0;
    bool started_ = false;
    Micros now_ = 0;
    Micros phase_start_ = 0;
    Micros last_t_ = 0;
    bool in_band_ = false;
    double time_in_band_s_ = 0;
    double peak_pct_ = 0;
    double peak_n_ = 0;
    // running sums of force while in band (for mean and CV)
    double band_n_ = 0;
    double band_sum_ = 0;
    double band_sum_sq_ = 0;
    double band_pct_sum_ = 0;
    std::vector<QuadSetRepScore> reps_;
    std::optional<std::pair<double, double>> pending_band_; ///< applied when the next hold starts
    std::vector<std::string> stop_reasons_;
    std::vector<QuadSetEvent> events_;
    bool stopped_session_ = false;
};

} // namespace qv::rules
