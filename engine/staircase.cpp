#include "engine/staircase.hpp"

#include <algorithm>
#include <cmath>

namespace qv::engine {

Staircase::Staircase(const StaircaseParams& params, double start) : p_(params) {
    s_.value = std::clamp(start, p_.floor, std::max(p_.floor, p_.ceiling));
    s_.step_harder = p_.step_harder;
}

Staircase::Staircase(const StaircaseParams& params, const StaircaseState& state)
    : p_(params), s_(state) {
    s_.value = std::clamp(s_.value, p_.floor, std::max(p_.floor, p_.ceiling));
    if (s_.step_harder <= 0)
        s_.step_harder = p_.step_harder;
}

double Staircase::step_easier() const {
    const double p = std::clamp(p_.target_success, 0.5, 0.99);
    return p / (1.0 - p) * s_.step_harder;
}

void Staircase::record(bool success) {
    const int direction = success ? -1 : +1;
    if (s_.last_direction != 0 && direction != s_.last_direction) {
        ++s_.reversals;
        if (p_.reversals_per_halving > 0 && s_.reversals % p_.reversals_per_halving == 0)
            s_.step_harder = std::max(p_.min_step_harder, 0.5 * s_.step_harder);
    }
    s_.last_direction = direction;
    ++s_.trials;
    const double move = success ? -s_.step_harder : step_easier();
    s_.value = std::clamp(s_.value + move, p_.floor, std::max(p_.floor, p_.ceiling));
}

QuadSetDose with_band_half_width(const QuadSetDose& dose, double half_width_pct) {
    QuadSetDose out = dose;
    const double centre = 0.5 * (dose.band_low_pct + dose.band_high_pct);
    const double hw = std::max(0.0, half_width_pct);
    out.band_low_pct = std::max(0.0, centre - hw);
    out.band_high_pct = centre + hw;
    return out;
}

double band_half_width(const QuadSetDose& dose) {
    return 0.5 * (dose.band_high_pct - dose.band_low_pct);
}

bool corridor_success(const SquatRepScore& rep, double share) {
    return rep.duration_s > 0 && rep.time_in_corridor_s >= share * rep.duration_s - 1e-9;
}

SquatStaircaseParams SquatStaircases::with_targets(SquatStaircaseParams p) {
    const double target = std::clamp(p.target_success, 0.5, 0.99);
    const double knob = p.tempo_measured ? std::sqrt(target) : target;
    p.corridor.target_success = knob;
    p.tempo.target_success = knob;
    return p;
}

SquatStaircases::SquatStaircases(const SquatStaircaseParams& params, double corridor,
                                 double tempo_tol_s)
    : p_(with_targets(params)), corridor_(p_.corridor, corridor), tempo_(p_.tempo, tempo_tol_s) {}

SquatStaircases::SquatStaircases(const SquatStaircaseParams& params,
                                 const SquatStaircaseState& state)
    : p_(with_targets(params)), corridor_(p_.corridor, state.corridor),
      tempo_(p_.tempo, state.tempo) {}

void SquatStaircases::record(const SquatRepScore& rep) {
    corridor_.record(corridor_success(rep, p_.corridor_share));
    if (p_.tempo_measured)
        tempo_.record(rep.tempo_ok);
}

SquatDose SquatStaircases::apply(const SquatDose& dose) const {
    SquatDose out = dose;
    out.corridor = corridor();
    out.tempo_tol_s = tempo_tol_s();
    return out;
}

} // namespace qv::engine
