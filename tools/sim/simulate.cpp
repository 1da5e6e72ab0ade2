#include "tools/sim/simulate.hpp"

#include "engine/describe.hpp"
#include "engine/pain.hpp"
#include "engine/progression.hpp"
#include "engine/red_flags.hpp"
#include "engine/staircase.hpp"
#include "game/rules/quadset.hpp"
#include "tools/sim/patient.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <optional>
#include <thread>

namespace qv::sim {

namespace {

using engine::Light;
using engine::LightVerdict;
using engine::PainReport;

// Independent random streams per patient and day, so every policy sees the same days off,
// flares, red flags and report gaps (common random numbers).
enum Stream : std::uint64_t { kEvents = 1, kReports = 2, kForce = 3 };

constexpr int kZoneFromDay = 14;
constexpr double kZoneHalfWidth = 0.10;
constexpr double kUnderloadShare = 0.8;

// A rating as the patient gives it: true pain plus report noise, rounded to the scale (children:
// the faces scale 0-2-4-6-8-10).
double rate(double true_pain, bool child, double noise, Rng& rng) {
    const double v = std::clamp(true_pain + rng.uniform(-noise, noise), 0.0, 10.0);
    return child ? 2.0 * std::round(v / 2.0) : std::round(v);
}

// A report that may be missing; draws from the stream whether or not it is.
std::optional<double> maybe(double value, double missing, Rng& rng) {
    return rng.chance(missing) ? std::nullopt : std::optional<double>(value);
}

bool dose_went_up(const QuadSetDose& before, const QuadSetDose& after) {
    using engine::Variable;
    for (Variable v : {Variable::Reps, Variable::Hold, Variable::Intensity})
        if (engine::variable_value(after, v) > engine::variable_value(before, v) + 1e-9)
            return true;
    return false;
}

// One step down of the variable latest in the order that is above its floor.
QuadSetDose step_back(const QuadSetDose& dose, const engine::PlanCaps& caps,
                      const engine::ProgressionParams& params) {
    for (auto it = params.order.rbegin(); it != params.order.rend(); ++it) {
        const QuadSetDose down = engine::step_down(dose, *it, caps, params);
        if (engine::variable_value(down, *it) != engine::variable_value(dose, *it))
            return down;
    }
    return dose;
}

// The patient's body over the weeks: strength (fitness-fatigue), tolerance, pain state.
struct Body {
    double fitness = 0;
    double fatigue = 0;
    double tolerance = 0;
    double carry = 0; // exercise pain carried over, decays with flare_tau_d
    double flare = 0; // spontaneous flares and setbacks, decays with flare_tau_d

    double mvc(const PatientParams& p) const {
        const double raw = p.k_fitness * fitness - p.k_fatigue * fatigue;
        const double headroom = p.mvc_ceiling_n / p.mvc0_n - 1.0;
        if (raw <= 0 || headroom <= 0)
            return p.mvc0_n * (1.0 + std::min(raw, 0.0));
        return p.mvc0_n * (1.0 + headroom * (1.0 - std::exp(-raw / headroom)));
    }
};

// What one session did.
struct SessionPlay {
    std::vector<QuadSetRepScore> reps;
    bool completed = false;
    double load = 0;
    double stimulus = 0;
    double during_true = 0;              // highest true pain during
    std::optional<double> during_report; // highest reported rating
    int red_flag_events = 0;
    int red_flag_stops = 0;
};

class PatientSim {
  public:
    PatientSim(const Cohort& cohort, std::uint64_t seed, int index, Policy policy, std::FILE* trace)
        : trace_(trace), cohort_(cohort), phys_(cohort.physiology), policy_(policy),
          seed_(mix_seed(seed, static_cast<std::uint64_t>(index), 0x53494dull)),
          p_(draw_patient(cohort, seed, index)),
          cond_(cohort.conditions[static_cast<std::size_t>(p_.condition)]),
          loop_(make_config(), cond_.start), stair_(make_stair(), nominal_half_width()) {
        body_.tolerance = p_.tolerance0;
        dose_ = engine::clamp_to_plan(cond_.start, cond_.caps);
    }

    PatientResult run(int days) {
        const int mid = std::min(days, 42);
        double measured = p_.mvc0_n;
        bool sore_yesterday = false;
        for (int day = 0; day < days; ++day) {
            const double mvc_today = body_.mvc(p_);
            if (day == mid)
                r_.gain_mid = 100.0 * (mvc_today / p_.mvc0_n - 1.0);
            Rng ev(mix_seed(seed_, static_cast<std::uint64_t>(day), kEvents));
            const double u_attend = ev.uniform();
            const double u_flare = ev.uniform();
            const double flare_size = ev.uniform(0.6, 1.4);
            const double u_flag = ev.uniform();
            const double u_gave = ev.uniform();
            const double gave_at = ev.uniform();
            const double test_error = ev.normal();
            const double baseline_true = p_.baseline_pain + body_.carry + body_.flare;
            const double inhibition = inhibition_at(baseline_true);
            if (day % static_cast<int>(phys_.retest_days) == 0)
                measured = mvc_today * (1.0 - inhibition) * (1.0 + phys_.mvc_test_cv * test_error);
            if (u_flare < cond_.flare_per_day)
                body_.flare += phys_.flare_points * flare_size;

            if (loop_.state().locked) {
                if (locked_since_ < 0)
                    locked_since_ = day;
                else if (day - locked_since_ >= cohort_.clinician_review_days) {
                    loop_.unlock();
                    locked_since_ = -1;
                    ++r_.clinician_reviews;
                }
            }
            const double adherence = p_.adherence * (sore_yesterday ? phys_.skip_when_sore : 1.0);
            sore_yesterday = false;
            SessionPlay play;
            bool played = false;
            bool flagged = false;
            std::optional<LightVerdict> light_today;
            if (u_attend < adherence) {
                Rng rep(mix_seed(seed_, static_cast<std::uint64_t>(day), kReports));
                const double pre = rate(baseline_true, p_.child, phys_.report_noise, rep);
                const auto pre_report = maybe(pre, p_.missing_reports, rep);
                if (pre_report)
                    diary_.record(day, *pre_report);
                flagged = u_flag < cond_.red_flag_per_day;
                if (flagged) {
                    ++r_.red_flag_events;
                    if (stops_for_safety()) {
                        ++r_.red_flag_stops;
                        record_red_flag_day(day);
                    }
                }
                if (!flagged || !stops_for_safety()) {
                    const double u_gave_now = u_gave < cond_.gave_way_per_session ? gave_at : -1.0;
                    play = play_session(day, measured, mvc_today, baseline_true, u_gave_now, rep);
                    played = !play.reps.empty();
                    if (flagged) {
                        // Exercising through a red flag: a setback.
                        body_.tolerance *= 0.8;
                        body_.flare += phys_.flare_points;
                    }
                    // After-pain and the next morning, judged once the body has changed.
                    const double after_true =
                        baseline_true + phys_.after_share * (play.during_true - baseline_true);
                    const double after = rate(after_true, p_.child, phys_.report_noise, rep);
                    const auto after_report = maybe(after, p_.missing_reports, rep);
                    update_body(play, baseline_true);
                    const double morning_true = p_.baseline_pain + body_.carry + body_.flare;
                    const double morning = rate(morning_true, p_.child, phys_.report_noise, rep);
                    const auto morning_report = maybe(morning, p_.missing_reports, rep);
                    sore_yesterday = play.during_true >= 6.0;

                    // What the patient reported (missing reports stay missing): the light
                    // every policy is judged by, and what the engine sees.
                    PainReport seen;
                    seen.during = play.during_report;
                    seen.after = after_report;
                    seen.next_morning = morning_report;
                    seen.baseline = diary_.baseline(day);
                    seen.trend_per_week = diary_.weekly_trend(day);
                    seen.child = p_.child;
                    seen.red_flag = play.red_flag_events > 0 || flagged;
                    light_today = engine::classify(seen, engine::PainThresholds{});
                    finish_session(day, play, seen);
                } else {
                    update_body(play, baseline_true);
                }
            } else {
                update_body(play, baseline_true);
            }
            if (played && light_today) {
                last_light_ = *light_today;
                if (light_today->light == Light::Green &&
                    engine::next_variable(session_dose_, cond_.caps, params_)) {
                    ++r_.green_below_target;
                    if (play.load < kUnderloadShare * tolerance_before_)
                        ++r_.underloads;
                }
            }
        }
        r_.gain_end = 100.0 * (body_.mvc(p_) / p_.mvc0_n - 1.0);
        if (mid >= days)
            r_.gain_mid = r_.gain_end;
        return r_;
    }

  private:
    engine::EngineConfig make_config() const {
        engine::EngineConfig c;
        c.caps = cond_.caps;
        c.child = cond_.child;
        return c;
    }
    engine::StaircaseParams make_stair() const {
        engine::StaircaseParams s;
        s.target_success = target_success();
        s.floor = cond_.band_floor_pct;
        s.ceiling = cond_.band_ceiling_pct;
        return s;
    }
    double nominal_half_width() const { return engine::band_half_width(cond_.start); }
    double target_success() const {
        return cond_.child ? params_.child_success_target : params_.success_target;
    }
    bool stops_for_safety() const { return policy_ == Policy::Engine || policy_ == Policy::Oracle; }
    bool uses_inner_loop() const { return policy_ == Policy::Engine || policy_ == Policy::Oracle; }
    double inhibition_at(double pain) const {
        return std::clamp(phys_.inhibition_per_point * (pain - 2.0), 0.0, 0.6);
    }

    void record_red_flag_day(int day) {
        if (policy_ != Policy::Engine)
            return;
        engine::SessionOutcome o;
        o.id = next_id_++;
        o.day = day;
        o.dose = loop_.dose();
        o.pain.red_flag = true;
        o.pain.child = p_.child;
        history_.push_back(o);
    }

    // The dose of today's session, decided by the policy.
    QuadSetDose choose_dose(int day, double measured, double mvc_today) {
        switch (policy_) {
        case Policy::Engine: {
            const engine::Decision d = loop_.decide(history_, day);
            ++r_.reasons[static_cast<std::size_t>(d.reason) % r_.reasons.size()];
            if (d.reason == engine::Reason::PainAmber || d.reason == engine::Reason::PainRed ||
                d.reason == engine::Reason::MissingMorning ||
                d.reason == engine::Reason::TwoRedsInWeek)
                ++r_.hold_rules[static_cast<std::size_t>(d.rule) % r_.hold_rules.size()];
            if (trace_) {
                std::fprintf(trace_, "day %2d  T=%6.1f  load(next)=%6.1f  %-20s %s\n", day,
                             body_.tolerance, dose_load(loop_.dose(), measured, mvc_today),
                             std::string(engine::reason_name(d.reason)).c_str(),
                             engine::describe(d).c_str());
            }
            return loop_.dose();
        }
        case Policy::Fixed:
            return dose_;
        case Policy::Staircase:
            return dose_; // moved after each session
        case Policy::Oracle: {
            const double tol = body_.tolerance;
            if (dose_load(dose_, measured, mvc_today) > tol) {
                dose_ = step_back(dose_, cond_.caps, params_);
            } else if (const auto v = engine::next_variable(dose_, cond_.caps, params_)) {
                const QuadSetDose up = engine::step_up(dose_, *v, cond_.caps, params_);
                if (dose_load(up, measured, mvc_today) <= tol)
                    dose_ = up;
            }
            return dose_;
        }
        }
        return dose_;
    }

    SessionPlay play_session(int day, double measured, double mvc_today, double baseline_true,
                             double gave_at, Rng& rep) {
        SessionPlay play;
        const QuadSetDose dose = choose_dose(day, measured, mvc_today);
        if (had_session_ && dose_went_up(session_dose_, dose)) {
            ++r_.progressions;
            if (last_light_.light != Light::Green)
                ++r_.violations;
        }
        session_dose_ = dose;
        tolerance_before_ = body_.tolerance;
        if (engine::next_variable(dose, cond_.caps, params_) == std::nullopt &&
            r_.days_to_target < 0)
            r_.days_to_target = day;

        Rng force_rng(mix_seed(seed_, static_cast<std::uint64_t>(day), kForce));
        const bool ratings_missing = rep.chance(p_.missing_reports);
        const int total = dose.sets * dose.reps;
        const int gave_rep = gave_at >= 0 ? static_cast<int>(gave_at * total) : -1;
        double pain_now = baseline_true;
        double cumulative = 0;
        const double practice =
            1.0 - phys_.practice_gain * (1.0 - std::exp(-sessions_done_ / phys_.practice_sessions));
        MuscleToday today;
        today.true_mvc_n = mvc_today;
        today.measured_mvc_n = measured;
        today.tracking_cv = p_.tracking_cv * practice;
        today.fatigue_scale = p_.fatigue_scale;
        Muscle muscle(today, phys_);
        const double rel = dose_load(engine::with_band_half_width(dose, 0), measured, mvc_today) /
                           std::max(1.0, static_cast<double>(total) * dose.hold_s);

        // The whole session runs through the game's rules; the inner loop moves the band
        // between holds with set_band().
        const QuadSetDose first =
            uses_inner_loop() ? engine::with_band_half_width(dose, stair_.value()) : dose;
        rules::QuadSetSession session(first, cohort_.rules);
        const auto dt_us = static_cast<Micros>(std::llround(muscle.dt() * 1e6));
        Micros t_us = 0;
        session.update(t_us, 0.0, 0.0);
        int done = 0;
        double inhibition = inhibition_at(pain_now);
        while (session.phase() != rules::QuadSetPhase::Done) {
            if (session.phase() == rules::QuadSetPhase::Hold) {
                t_us += dt_us;
                const double force = muscle.step(inhibition, force_rng);
                session.update(t_us, muscle.pct(force), force);
            } else {
                // Relaxed until the pause ends: one reading at its end starts the next hold.
                const double pause = session.phase_remaining_s();
                muscle.rest(pause);
                t_us += std::max<Micros>(1, static_cast<Micros>(std::llround(pause * 1e6)));
                session.update(t_us, 0.0, 0.0);
            }
            for (const rules::QuadSetEvent& ev : session.take_events()) {
                if (ev.kind == rules::QuadSetEvent::Kind::RepStarted) {
                    muscle.start_hold(session.target_pct(), force_rng);
                    continue;
                }
                if (ev.kind != rules::QuadSetEvent::Kind::RepCompleted || !ev.rep)
                    continue;
                const QuadSetRepScore& score = *ev.rep;
                play.reps.push_back(score);
                if (uses_inner_loop()) {
                    stair_.record(score.success);
                    const QuadSetDose next = engine::with_band_half_width(dose, stair_.value());
                    session.set_band(next.band_low_pct, next.band_high_pct);
                }
                cumulative += dose.hold_s * rel;
                play.stimulus += dose.hold_s * rel * rel * (1.0 - inhibition);
                ++done;
                // Pain grows with the load so far, from the onset share of the tolerance on.
                const double excess = std::max(0.0, cumulative / body_.tolerance - p_.pain_onset);
                pain_now = baseline_true + p_.pain_sensitivity * excess / 0.1;
                inhibition = inhibition_at(pain_now);
                play.during_true = std::max(play.during_true, pain_now);
                const bool gave_way = done - 1 == gave_rep;
                // The patient rates pain halfway through and at the end of each set.
                const bool checkpoint =
                    score.rep_index == dose.reps / 2 - 1 || score.rep_index == dose.reps - 1;
                bool stop = false;
                if (gave_way) {
                    ++play.red_flag_events;
                    if (stops_for_safety()) {
                        ++play.red_flag_stops;
                        stop = true;
                    }
                }
                if (checkpoint || gave_way) {
                    const double rating = rate(pain_now, p_.child, phys_.report_noise, rep);
                    // A rating of 8 or more is always given: the patient presses stop.
                    const bool severe = rating >= cohort_.pain_rules.stop_session_at;
                    std::optional<double> seen;
                    if (!ratings_missing || severe)
                        seen = rating;
                    if (seen)
                        play.during_report = std::max(play.during_report.value_or(0.0), *seen);
                    if (severe && !gave_way) {
                        ++play.red_flag_events;
                        if (stops_for_safety())
                            ++play.red_flag_stops;
                    }
                    if (stops_for_safety() &&
                        engine::in_session_check(seen, false, cohort_.pain_rules) !=
                            engine::InSessionStop::Continue)
                        stop = true;
                }
                if (stop)
                    session.stop_set("pain", true);
            }
        }
        play.completed = done == total;
        play.load = cumulative;
        r_.red_flag_events += play.red_flag_events;
        r_.red_flag_stops += play.red_flag_stops;
        if (!play.reps.empty()) {
            had_session_ = true;
            ++sessions_done_;
            ++r_.sessions;
            if (cumulative > body_.tolerance)
                ++r_.overloads;
            if (day >= kZoneFromDay) {
                int ok = 0;
                for (const auto& s : play.reps)
                    ok += s.success ? 1 : 0;
                const double share =
                    static_cast<double>(ok) / static_cast<double>(play.reps.size());
                ++r_.zone_sessions;
                if (std::abs(share - target_success()) <= kZoneHalfWidth + 1e-9)
                    ++r_.zone_hits;
            }
        }
        return play;
    }

    void update_body(const SessionPlay& play, double baseline_true) {
        const double w = play.stimulus / phys_.stimulus_ref;
        body_.fitness = body_.fitness * std::exp(-1.0 / p_.tau_fitness_d) + w;
        body_.fatigue = body_.fatigue * std::exp(-1.0 / p_.tau_fatigue_d) + w;
        const double decay = std::exp(-1.0 / phys_.flare_tau_d);
        body_.flare *= decay;
        body_.carry =
            body_.carry * decay + p_.carry_over * std::max(0.0, play.during_true - baseline_true);
        if (play.reps.empty())
            return;
        const double ratio = play.load / body_.tolerance;
        if (ratio <= 1.0)
            body_.tolerance += p_.tolerance_growth * play.load *
                               std::max(0.0, 1.0 - body_.tolerance / p_.tolerance_max);
        else if (ratio > 1.2)
            body_.tolerance *= 1.0 - phys_.irritation * std::min(1.0, ratio - 1.2);
    }

    void finish_session(int day, const SessionPlay& play, const PainReport& seen) {
        if (play.reps.empty())
            return;
        switch (policy_) {
        case Policy::Engine: {
            engine::SessionOutcome o;
            o.id = next_id_++;
            o.day = day;
            o.dose = session_dose_;
            o.completed = play.completed;
            o.success = engine::summarize_success(play.reps, session_dose_.reps, target_success(),
                                                  params_.late_share)
                            .share;
            o.pain = seen;
            if (trace_) {
                const auto l = engine::classify(seen, engine::PainThresholds{});
                std::fprintf(trace_,
                             "        session: %zu holds, success %.2f, band +/-%.1f, load %.1f, "
                             "%s (%s)\n",
                             play.reps.size(), o.success, stair_.value(), play.load,
                             std::string(engine::light_name(l.light)).c_str(),
                             std::string(engine::rule_name(l.rule)).c_str());
            }
            history_.push_back(o);
            if (history_.size() > 8)
                history_.erase(history_.begin());
            break;
        }
        case Policy::Staircase: {
            int ok = 0;
            for (const auto& s : play.reps)
                ok += s.success ? 1 : 0;
            const double share = static_cast<double>(ok) / static_cast<double>(play.reps.size());
            if (share >= target_success()) {
                if (const auto v = engine::next_variable(dose_, cond_.caps, params_))
                    dose_ = engine::step_up(dose_, *v, cond_.caps, params_);
            } else {
                dose_ = step_back(dose_, cond_.caps, params_);
            }
            break;
        }
        case Policy::Fixed:
        case Policy::Oracle:
            break;
        }
    }

    std::FILE* trace_;
    const Cohort& cohort_;
    const Physiology& phys_;
    Policy policy_;
    std::uint64_t seed_;
    PatientParams p_;
    const Condition& cond_;
    engine::ProgressionParams params_;
    engine::OuterLoop loop_;
    engine::Staircase stair_;
    engine::PainDiary diary_;
    std::vector<engine::SessionOutcome> history_;
    Body body_;
    QuadSetDose dose_;         // baselines' and oracle's dose
    QuadSetDose session_dose_; // the dose of the latest session
    bool had_session_ = false;
    LightVerdict last_light_{Light::Green, engine::PainRule::Calm}; // of the latest session
    double tolerance_before_ = 0;
    double sessions_done_ = 0;
    int next_id_ = 0;
    int locked_since_ = -1;
    PatientResult r_;
};

double pct(double part, double whole) {
    return whole > 0 ? 100.0 * part / whole : 0.0;
}

} // namespace

std::string_view policy_name(Policy policy) {
    switch (policy) {
    case Policy::Engine:
        return "engine";
    case Policy::Fixed:
        return "fixed";
    case Policy::Staircase:
        return "staircase";
    case Policy::Oracle:
        return "oracle";
    }
    return "unknown";
}

PatientResult simulate_patient(const Cohort& cohort, std::uint64_t seed, int index, Policy policy,
                               int days, std::FILE* trace) {
    PatientSim sim(cohort, seed, index, policy, trace);
    return sim.run(days);
}

Report run_cohort(const Cohort& cohort, std::uint64_t seed, int patients, int weeks, int threads) {
    Report report;
    report.cohort = cohort.name;
    report.seed = seed;
    report.patients = patients;
    report.weeks = weeks;
    for (auto& r : report.results)
        r.resize(static_cast<std::size_t>(patients));
    std::atomic<int> next{0};
    auto worker = [&] {
        for (int i = next.fetch_add(1); i < patients; i = next.fetch_add(1)) {
            for (std::size_t k = 0; k < kPolicies.size(); ++k)
                report.results[k][static_cast<std::size_t>(i)] =
                    simulate_patient(cohort, seed, i, kPolicies[k], weeks * 7, nullptr);
        }
    };
    const int n = std::clamp(threads, 1, 64);
    std::vector<std::thread> pool;
    for (int t = 1; t < n; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    return report;
}

Row summarize(const Report& report, Policy policy) {
    const auto k = static_cast<std::size_t>(policy);
    const auto& rs = report.results[k];
    const auto& oracle = report.results[static_cast<std::size_t>(Policy::Oracle)];
    Row row;
    double zone_s = 0, zone_h = 0, viol = 0, events = 0, stops = 0, over = 0, green = 0, under = 0,
           mid = 0, end = 0, regret = 0;
    std::vector<int> days;
    for (std::size_t i = 0; i < rs.size(); ++i) {
        const PatientResult& r = rs[i];
        row.sessions += r.sessions;
        zone_s += r.zone_sessions;
        zone_h += r.zone_hits;
        viol += r.violations;
        events += r.red_flag_events;
        stops += r.red_flag_stops;
        over += r.overloads;
        green += r.green_below_target;
        under += r.underloads;
        mid += r.gain_mid;
        end += r.gain_end;
        regret += oracle[i].gain_end - r.gain_end;
        for (std::size_t j = 0; j < r.reasons.size(); ++j) {
            row.reasons[j] += r.reasons[j];
            row.hold_rules[j] += r.hold_rules[j];
        }
        days.push_back(r.days_to_target < 0 ? 1 << 30 : r.days_to_target);
        row.reached_pct += r.days_to_target >= 0 ? 1.0 : 0.0;
    }
    const double n = std::max<double>(1.0, static_cast<double>(rs.size()));
    row.zone_pct = pct(zone_h, zone_s);
    row.violations_per_100 = pct(viol, row.sessions);
    row.red_flag_events = static_cast<int>(events);
    row.red_flag_stop_pct = events > 0 ? pct(stops, events) : 100.0;
    row.overload_pct = pct(over, row.sessions);
    row.underload_pct = pct(under, green);
    if (!days.empty()) {
        std::sort(days.begin(), days.end());
        const std::size_t m = days.size() / 2;
        // In double: two "never reached" sentinels (2^30) would overflow an int sum.
        const double median = days.size() % 2 == 1
                                  ? static_cast<double>(days[m])
                                  : 0.5 * (static_cast<double>(days[m - 1]) + days[m]);
        row.median_days = median >= (1 << 29) ? -1.0 : median;
    }
    row.reached_pct = 100.0 * row.reached_pct / n;
    row.gain_mid = mid / n;
    row.gain_end = end / n;
    row.regret = regret / n;
    return row;
}

std::string format_report(const Report& report) {
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line,
                  "quadventure-sim: cohort \"%s\", %d patients, %d weeks, seed %llu\n",
                  report.cohort.c_str(), report.patients, report.weeks,
                  static_cast<unsigned long long>(report.seed));
    out += line;
    std::snprintf(line, sizeof line, "%-10s %6s %9s %9s %6s %7s %9s %7s %8s %8s %7s %8s\n",
                  "policy", "zone%", "viol/100", "redflag%", "over%", "under%", "days-tgt",
                  "reach%", "MVC+6wk", "MVC+end", "regret", "sessions");
    out += line;
    for (Policy p : kPolicies) {
        const Row r = summarize(report, p);
        char days[32];
        if (r.median_days < 0)
            std::snprintf(days, sizeof days, "never");
        else
            std::snprintf(days, sizeof days, "%.1f", r.median_days);
        std::snprintf(line, sizeof line,
                      "%-10s %6.1f %9.2f %9.1f %6.1f %7.1f %9s %7.1f %7.1f%% %7.1f%% %7.1f %8d\n",
                      std::string(policy_name(p)).c_str(), r.zone_pct, r.violations_per_100,
                      r.red_flag_stop_pct, r.overload_pct, r.underload_pct, days, r.reached_pct,
                      r.gain_mid, r.gain_end, r.regret, r.sessions);
        out += line;
    }
    const Row e = summarize(report, Policy::Engine);
    const Row o = summarize(report, Policy::Oracle);
    if (e.median_days >= 0 && o.median_days > 0) {
        std::snprintf(line, sizeof line, "engine days to target / oracle: %.2f\n",
                      e.median_days / o.median_days);
        out += line;
    }
    out += "engine decisions:";
    for (std::size_t j = 0; j < e.reasons.size(); ++j) {
        if (e.reasons[j] == 0)
            continue;
        std::snprintf(line, sizeof line, " %s %d",
                      std::string(engine::reason_name(static_cast<engine::Reason>(j))).c_str(),
                      e.reasons[j]);
        out += line;
    }
    out += "\nengine pain holds and steps back by rule:";
    for (std::size_t j = 0; j < e.hold_rules.size(); ++j) {
        if (e.hold_rules[j] == 0)
            continue;
        std::snprintf(line, sizeof line, " %s %d",
                      std::string(engine::rule_name(static_cast<engine::PainRule>(j))).c_str(),
                      e.hold_rules[j]);
        out += line;
    }
    out += "\n";
    std::snprintf(line, sizeof line,
                  "zone: sessions from day %d with success within target +/- %.0f points; "
                  "red-flag events: %d (engine)\n",
                  kZoneFromDay, kZoneHalfWidth * 100, e.red_flag_events);
    out += line;
    return out;
}

} // namespace qv::sim
