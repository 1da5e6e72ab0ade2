#pragma once
// Exercise value types shared by content (levels), rules (scoring) and profiles (storage).

#include <optional>
#include <string>
#include <string_view>

namespace qv {

/// What one quad-set level prescribes.
struct QuadSetDose {
    int sets = 0;
    int reps = 0;             ///< holds per set
    double hold_s = 0;        ///< seconds in the band that complete a hold
    double rest_s = 0;        ///< rest between holds
    double set_rest_s = 0;    ///< rest between sets
    double band_low_pct = 0;  ///< lower edge of the target band, % MVC
    double band_high_pct = 0; ///< upper edge of the target band, % MVC
};

/// The score of one quad-set hold (rep).
struct QuadSetRepScore {
    int set_index = 0; ///< 0-based
    int rep_index = 0; ///< 0-based within the set
    double target_low_pct = 0;
    double target_high_pct = 0;
    double hold_s = 0;         ///< prescribed hold
    double time_in_band_s = 0; ///< seconds spent inside the band during this rep
    double duration_s = 0;     ///< from the start of the rep to its end
    double steadiness_cv = 0;  ///< coefficient of variation of force while in the band (0 = flat)
    double mean_pct = 0;       ///< mean % MVC while in the band (0 when never in it)
    double peak_pct = 0;       ///< highest % MVC during the rep
    double peak_n = 0;         ///< highest tared force during the rep, newtons
    bool success = false;      ///< the hold was completed
};

/// What a controlled squat tracks, and with which sensor.
enum class SquatMode {
    KneeAngle,  ///< a knee-angle sensor: the tracked value is knee flexion, degrees
    LoadShare,  ///< a force pad under the affected foot: % body weight on that leg, tempo paced
    SitToStand, ///< the force pad while standing up from a chair and sitting down again
};

/// Stable lower-case name of a mode as stored ("knee_angle", "load_share", "sit_to_stand").
constexpr std::string_view squat_mode_name(SquatMode m) {
    switch (m) {
    case SquatMode::KneeAngle:
        return "knee_angle";
    case SquatMode::LoadShare:
        return "load_share";
    case SquatMode::SitToStand:
        return "sit_to_stand";
    }
    return "knee_angle";
}

/// The mode named `name` (see squat_mode_name), or nullopt.
constexpr std::optional<SquatMode> squat_mode_from(std::string_view name) {
    for (SquatMode m : {SquatMode::KneeAngle, SquatMode::LoadShare, SquatMode::SitToStand})
        if (squat_mode_name(m) == name)
            return m;
    return std::nullopt;
}

/// What one controlled-squat level prescribes (CLINICAL.md, "Controlled squats").
struct SquatDose {
    int sets = 0;
    int reps = 0;              ///< squats per set
    double depth_deg = 0;      ///< target peak knee flexion (0 = straight)
    double down_s = 0;         ///< time to go down
    double pause_s = 0;        ///< hold at the bottom (0 for none)
    double up_s = 0;           ///< time to come back up
    double rest_s = 0;         ///< rest between reps (may be 0)
    double set_rest_s = 0;     ///< rest between sets
    double tempo_tol_s = 0;    ///< each measured phase may differ this much from the prescription
    double corridor = 0;       ///< half-width of the tracking corridor: degrees, or % body weight
    double depth_cap_deg = 45; ///< the clinician's cap on flexion; always wins over depth_deg
};

/// The score of one squat (rep). Values are in the mode's unit: degrees of flexion (knee-angle
/// mode) or % body weight on the affected leg (force-pad modes).
struct SquatRepScore {
    int set_index = 0;             ///< 0-based
    int rep_index = 0;             ///< 0-based within the set
    double time_in_corridor_s = 0; ///< seconds inside the corridor around the target
    double duration_s = 0;         ///< from the detected start of the rep to its end
    double rmse = 0;               ///< root-mean-square tracking error against the target
    double down_s = 0;             ///< measured phase durations (0 where the mode cannot know)
    double pause_s = 0;
    double up_s = 0;
    bool tempo_ok = false;    ///< every measured phase within tempo_tol_s of the prescription
    double depth_reached = 0; ///< peak flexion, degrees; in the force-pad modes the peak share
    int violations = 0;       ///< depth-cap crossings during the rep
    bool success = false;     ///< see SquatRuleParams for what a successful rep needs
};

/// Who or what produced a session's samples. Stored with every session.
struct SourceIdentity {
    std::string driver; ///< registry id: "keyboard", "simulator", "open-sensor", ...
    std::string model;
    std::string serial;
    std::string firmware;
    bool is_measurement = false; ///< false for keyboard, gamepad and simulator data
};

} // namespace qv
