#pragma once
// Shared pieces of the squat rules tests: the ladder from CLINICAL.md and the tuning used.

#include "core/exercise.hpp"
#include "core/tuning.hpp"

namespace qv::rules::test {

/// One rung of CLINICAL.md's controlled-squat ladder (the shipped squat.toml values).
struct Rung {
    const char* id;
    SquatDose dose;
};

/// A squat dose: depth, tempo, reps x sets, the cap, corridor and tolerance.
inline SquatDose squat_dose(double depth, double down, double pause, double up, int reps = 10,
                            int sets = 1, double cap = 45, double corridor = 6) {
    SquatDose d;
    d.sets = sets;
    d.reps = reps;
    d.depth_deg = depth;
    d.down_s = down;
    d.pause_s = pause;
    d.up_s = up;
    d.rest_s = 2;
    d.set_rest_s = 45;
    d.tempo_tol_s = 0.75;
    d.corridor = corridor;
    d.depth_cap_deg = cap;
    return d;
}

inline Rung rung(int i) {
    switch (i) {
    case 0:
        return {"S1", squat_dose(30, 3, 0, 2, 10, 1)};
    case 1:
        return {"S2", squat_dose(45, 3, 0, 2, 10, 2)};
    case 2:
        return {"S3", squat_dose(45, 3, 5, 2, 10, 3)};
    case 3:
        return {"S4", squat_dose(60, 3, 1, 2, 10, 3, 60, 8)};
    default:
        return {"S5", squat_dose(90, 3, 1, 2, 10, 3, 90, 10)};
    }
}

/// The shipped [squat] tuning.
inline SquatRuleParams squat_params() {
    SquatRuleParams p;
    p.get_ready_s = 3;
    p.rep_timeout_factor = 2.0;
    p.rep_timeout_grace_s = 3;
    p.start_deg = 5;
    p.top_deg = 3;
    p.bottom_band_deg = 3;
    p.smooth_s = 0.15;
    p.min_depth_share = 0.8;
    p.corridor_margin_share = 0.1;
    p.cap_margin_deg = 3;
    p.cap_clearance_deg = 3;
    p.success_corridor_share = 0.7;
    p.star1_success = 0.5;
    p.star2_success = 0.8;
    p.star3_tempo_share = 0.8;
    p.load_target_pct = 50;
    p.load_smooth_s = 0.25;
    p.load_dip_pct = 0.5;
    p.sit_low_pct = 20;
    p.sit_high_pct = 35;
    p.bw_window_s = 2;
    p.bw_max_sd_pct = 1.5;
    p.bw_timeout_s = 20;
    p.bw_min_n = 150;
    p.bw_max_n = 2500;
    return p;
}

} // namespace qv::rules::test
