#pragma once
// Tuning parameters. Their values live in content/data/tuning.toml (the content loader fills
// these structs); the libraries that use them take them as plain values.

namespace qv {

/// How the keyboard stands in for a force sensor.
struct KeyboardModelParams {
    double max_force_n = 0;  ///< force at 100 % effort
    double rise_s = 0;       ///< time constant of the rise while the key is held
    double fall_s = 0;       ///< time constant of the decay after release
    double tremor_pct = 0;   ///< physiological tremor, % of the current force (standard deviation)
    double effort_step = 0;  ///< fraction of effort one arrow press changes
    double start_effort = 0; ///< effort (0..1) when the source starts
    double rate_hz = 0;      ///< samples per second
};

/// The virtual patient the simulator source plays (see CLINICAL.md, virtual patients).
struct SimPatientParams {
    double true_mvc_n = 0;      ///< the patient's real maximum today, newtons
    double reaction_s = 0;      ///< delay from cue to response
    double rise_s = 0;          ///< time constant of force rise and fall
    double tracking_gain = 0;   ///< how strongly the patient corrects toward the target (1/s)
    double noise_cv_low = 0;    ///< force noise CV at low effort
    double noise_cv_high = 0;   ///< force noise CV at maximal effort
    double fatigue_rate = 0;    ///< capacity lost per second of effort, per unit of effort
    double recovery_rate = 0;   ///< capacity regained per second of rest
    double drift_n_per_min = 0; ///< slow zero drift of the load cell
    double rate_hz = 0;         ///< samples per second
};

/// Input filtering.
struct FilterParams {
    double lowpass_hz = 0; ///< cutoff of the low-pass filter
    double spike_threshold_n =
        0; ///< a sample further than this from the median of its neighbours is a spike
    double max_force_n = 0;       ///< physically impossible above this: clamp and flag saturated
    double drift_threshold_n = 0; ///< at-rest offset above which a drift warning is raised
};

/// Calibration procedure.
struct CalibrationParams {
    double rest_window_s = 0;  ///< how long the leg must be still for the zero
    double rest_max_sd_n = 0;  ///< largest standard deviation accepted as "still"
    double rest_timeout_s = 0; ///< give up on a stable zero after this long
    double push_s = 0;         ///< length of each maximal push
    double push_rest_s = 0;    ///< rest between pushes
    int attempts = 0;          ///< pushes; the best one sets 100 % MVC
    double peak_window_s = 0;  ///< peak is the best mean over a window this long
    double min_mvc_n = 0;      ///< below this the test is rejected as "no push detected"
    double max_mvc_n = 0;      ///< above this the test is rejected as implausible
    double retest_days = 0;    ///< calibration is due again after this many days
};

/// Quad-set rules and scoring.
struct QuadSetRuleParams {
    double get_ready_s = 0;        ///< countdown before the first hold of each set
    double rep_timeout_factor = 0; ///< a rep ends unfinished after hold_s * factor + grace
    double rep_timeout_grace_s = 0;
    double band_enter_margin_pct = 0; ///< hysteresis so the band edge does not flicker
    double star1_success = 0;         ///< share of successful holds for one star
    double star2_success = 0;         ///< for two stars
    double star3_max_cv = 0;          ///< plus steadiness (mean CV at most this) for three stars
};

/// In-session pain rules (CLINICAL.md: traffic light and in-session stops).
struct PainRuleParams {
    int stop_set_at = 0;     ///< a rating at or above this ends the set
    int stop_session_at = 0; ///< a rating at or above this ends the session
};

} // namespace qv
