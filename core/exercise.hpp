#pragma once
// Exercise value types shared by content (levels), rules (scoring) and profiles (storage).

#include <string>

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

/// Who or what produced a session's samples. Stored with every session.
struct SourceIdentity {
    std::string driver; ///< registry id: "keyboard", "simulator", "open-sensor", ...
    std::string model;
    std::string serial;
    std::string firmware;
    bool is_measurement = false; ///< false for keyboard, gamepad and simulator data
};

} // namespace qv
