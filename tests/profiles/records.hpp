#pragma once
// Realistic records for the profiles tests and the power-cut helper, which must agree on them:
// the power-cut test rebuilds every set it was told about and compares it with what is stored.

#include "profiles/store.hpp"

#include <string>
#include <utility>

namespace qv::profiles::test {

/// A session with a measured source for `profile_id`.
inline SessionRecord make_session(std::int64_t profile_id, std::string started_at = {}) {
    SessionRecord s;
    s.profile_id = profile_id;
    s.started_at = std::move(started_at);
    s.source = SourceIdentity{"open-sensor", "OS-1", "SN0042", "1.2.3", true};
    s.level_id = "Q2";
    return s;
}

/// A set of `reps` holds (every third one failed) with a trace of `samples` values at 100 Hz
/// whose values depend on `seed`, so different sets hold different bytes.
inline SetRecord make_set(std::int64_t session_id, int set_index, int reps = 10, int samples = 1000,
                          int seed = 0) {
    SetRecord s;
    s.session_id = session_id;
    s.set_index = set_index;
    s.dose = QuadSetDose{3, 10, 10.0, 5.0, 60.0, 30.0, 50.0};
    s.started_at = "2026-11-24T11:30:00.123Z";
    s.ended_at = "2026-11-24T11:32:30.456Z";
    for (int i = 0; i < reps; ++i) {
        QuadSetRepScore r;
        r.set_index = set_index;
        r.rep_index = i;
        r.target_low_pct = 30.0;
        r.target_high_pct = 50.0;
        r.hold_s = 10.0;
        r.time_in_band_s = 6.0 + 0.25 * i;
        r.duration_s = 12.5 + 0.1 * i;
        r.steadiness_cv = 0.05 + 0.001 * i;
        r.mean_pct = 40.0 + 0.1 * i;
        r.peak_pct = 55.5 + i;
        r.peak_n = 201.75 + i;
        r.success = i % 3 != 2;
        s.reps.push_back(r);
    }
    s.trace.rate_hz = 100.0;
    s.trace.t0_us = 1'234'567'890'123;
    for (int i = 0; i < samples; ++i) {
        // Values that need every bit of a float: not representable in fewer digits.
        s.trace.force_n.push_back(static_cast<float>(i) * 0.1f + static_cast<float>(seed) / 3.0f);
    }
    return s;
}

} // namespace qv::profiles::test
