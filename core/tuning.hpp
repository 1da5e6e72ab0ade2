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
    double angle_rate_deg_s = 0; ///< knee-angle mode: how fast a held arrow bends or straightens
    double angle_max_deg = 0;    ///< knee-angle mode: the most flexion the keys can reach
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
    // Controlled squats (knee-angle channel and the force pad under the affected foot).
    double angle_lag_s = 0;       ///< time constant of the knee following its aim
    double angle_noise_deg = 0;   ///< knee-angle sensor noise, standard deviation
    double body_weight_n = 0;     ///< the patient's body weight
    double com_drop_m = 0;        ///< centre of mass drop at 90 degrees (scales with 1 - cos)
    double affected_share = 0;    ///< share of body weight on the affected foot, standing
    double offload_at_90 = 0;     ///< share the affected foot loses at 90 degrees (scales as above)
    double seated_share = 0;      ///< share of body weight on the affected foot while seated
    double seat_angle_deg = 0;    ///< knee flexion at which the chair takes the weight
    double chair_contact_deg = 0; ///< flexion range over which the chair takes the weight over
    double load_noise_pct = 0;    ///< force-pad noise, % body weight (standard deviation)
    double fast_tempo_s = 0;      ///< a "too fast" squat: its own down and up time each
    double deep_factor = 0;       ///< a "too deep" squat aims this many times the shown target
    double halfway_share = 0;     ///< a "stopped halfway" squat stays at this share of the depth
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
    double steadiness_zero_cv = 0;    ///< the CV shown as 0 % steadiness (0 CV shows as 100 %)
};

/// Controlled-squat rules and scoring (game/rules/squat.hpp; docs/squats.md).
struct SquatRuleParams {
    double get_ready_s = 0;        ///< countdown before the first squat of each set
    double rep_timeout_factor = 0; ///< a rep ends unfinished after duration * factor + grace
    double rep_timeout_grace_s = 0;
    double start_deg = 0;       ///< knee-angle: flexion above this leaves the top (rep starts)
    double top_deg = 0;         ///< ... and below this is back at the top (rep ends); < start
    double bottom_band_deg = 0; ///< within this of the peak counts as the bottom (pause)
    double smooth_s = 0;        ///< moving-average window for measuring phase durations
    double min_depth_share = 0; ///< a successful squat reaches this share of the depth
    double corridor_margin_share = 0;  ///< corridor hysteresis, share of the corridor half-width
    double cap_margin_deg = 0;         ///< a new cap crossing needs a return this far below the cap
    double cap_clearance_deg = 0;      ///< the trajectory aims at least this far below the cap
    double success_corridor_share = 0; ///< success needs this share of the rep in the corridor
    double star1_success = 0;          ///< share of successful squats for one star
    double star2_success = 0;          ///< for two stars
    double star3_tempo_share = 0;      ///< plus this share at tempo (and no cap crossing) for three
    double load_target_pct = 0;        ///< force-pad modes: target share of body weight (even: 50)
    double load_smooth_s = 0;          ///< force-pad: smoothing time constant of the share
    double load_dip_pct = 0;  ///< load share: the unload/reload that shows a squat happened
    double sit_low_pct = 0;   ///< sit-to-stand: at or below this share the person is seated
    double sit_high_pct = 0;  ///< ... at or above this, standing; above sit_low_pct
    double bw_window_s = 0;   ///< body weight: standing still for this long
    double bw_max_sd_pct = 0; ///< ... with a standard deviation at most this % of the mean
    double bw_timeout_s = 0;  ///< give up on a stable body weight after this long
    double bw_min_n = 0;      ///< below this the body weight is implausible
    double bw_max_n = 0;      ///< above this too
};

/// In-session pain rules (CLINICAL.md: traffic light and in-session stops).
struct PainRuleParams {
    int stop_set_at = 0;     ///< a rating at or above this ends the set
    int stop_session_at = 0; ///< a rating at or above this ends the session
};

/// The adaptation engine's numbers (CLINICAL.md, "Adaptation engine"; docs/adaptation.md).
struct AdaptationParams {
    double success_target = 0;         ///< inner and outer loop, adults (0.80)
    double child_success_target = 0;   ///< children (0.85)
    double success_margin = 0;         ///< progress needs success >= target - margin
    double staircase_step_pct = 0;     ///< first step of the band half-width toward harder, % MVC
    double staircase_min_step_pct = 0; ///< the step halves down to this
    int staircase_reversals = 0;       ///< the step halves after this many reversals
    double band_floor_factor = 0;      ///< narrowest band: this share of the plan's half-width
    double band_ceiling_factor = 0;    ///< widest band: this multiple of the plan's half-width
    double during_amber_at = 0;        ///< pain during (and after) at or above: amber
    double morning_amber_excess = 0;   ///< next morning this far above the baseline: amber
    double morning_red_excess = 0;     ///< ... and this far: red
    double trend_rising_above = 0;     ///< weekly rise of the baseline above this: amber
    double trend_red_at = 0;           ///< ... at or above this: red
    int sessions_needed = 0;           ///< calm sessions in a row before a step up
    int red_lock_count = 0;            ///< this many red sessions ...
    int red_window_days = 0;           ///< ... within this many days lock progression
    double volume_step = 0;            ///< reps step, share of the total
    double hold_step = 0;              ///< hold step, share
    double intensity_step = 0;         ///< band step, share
    // Controlled squats (docs/adaptation.md, "Controlled squats"). Defaults equal tuning.toml.
    double squat_depth_step_deg = 5;          ///< outer loop: depth step, degrees
    double squat_min_depth_deg = 15;          ///< outer loop: shallowest depth a step back reaches
    double squat_corridor_step = 1.0;         ///< inner loop: first corridor step toward harder
    double squat_corridor_min_step = 0.25;    ///< ... halving down to this (degrees or % bw)
    double squat_corridor_floor_factor = 0.5; ///< narrowest corridor: share of the level's
    double squat_corridor_ceiling_factor = 1.5; ///< widest corridor: multiple of the level's
    double squat_tempo_step_s = 0.1;            ///< inner loop: first tempo tolerance step, s
    double squat_tempo_min_step_s = 0.025;      ///< ... halving down to this
    double squat_tempo_floor_s = 0.5;           ///< tightest tempo tolerance, s (CLINICAL.md)
    double squat_tempo_ceiling_s = 1.0;         ///< loosest tempo tolerance, s
};

/// The player's progress view (CLINICAL.md: day-to-day MVC error is 3-7 %; under ~10 % is noise).
struct ProgressParams {
    double mvc_noise_pct = 0;  ///< half-width of the noise band drawn around each strength test
    double mvc_change_pct = 0; ///< a change of at least this much counts as real
};

} // namespace qv
