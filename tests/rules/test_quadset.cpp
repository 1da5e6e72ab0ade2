#include "core/rng.hpp"
#include "game/rules/quadset.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

using qv::Micros;
using qv::QuadSetDose;
using qv::QuadSetRepScore;
using qv::QuadSetRuleParams;
using qv::rules::QuadSetEvent;
using qv::rules::QuadSetPhase;
using qv::rules::QuadSetSession;
using Kind = QuadSetEvent::Kind;

namespace {

constexpr double kMvcN = 400.0;    // the synthetic patient's 100 % MVC, newtons
constexpr Micros kStepUs = 10'000; // readings at 100 Hz
constexpr double kSampleS = 0.01;  // one reading period, seconds
constexpr Micros kSecond = 1'000'000;

QuadSetRuleParams params(double margin = 1.0) {
    QuadSetRuleParams p;
    p.get_ready_s = 3;
    p.rep_timeout_factor = 2.0;
    p.rep_timeout_grace_s = 5;
    p.band_enter_margin_pct = margin;
    p.star1_success = 0.5;
    p.star2_success = 0.8;
    p.star3_max_cv = 0.08;
    return p;
}

// Q2 from CLINICAL.md: 10 s holds, 10 x 1, 20-30 % MVC, 10 s rest.
QuadSetDose q2(int reps = 10) {
    QuadSetDose d;
    d.sets = 1;
    d.reps = reps;
    d.hold_s = 10;
    d.rest_s = 10;
    d.set_rest_s = 0;
    d.band_low_pct = 20;
    d.band_high_pct = 30;
    return d;
}

// Q3 from CLINICAL.md: 10 s holds, 10 x 3, 30-50 % MVC, 45 s between sets.
QuadSetDose q3(double set_rest_s = 45) {
    QuadSetDose d;
    d.sets = 3;
    d.reps = 10;
    d.hold_s = 10;
    d.rest_s = 5;
    d.set_rest_s = set_rest_s;
    d.band_low_pct = 30;
    d.band_high_pct = 50;
    return d;
}

// A synthetic player: the % MVC pushed at time t, seeing the session as the screen shows it
// (so it reacts one reading late, like a person).
using Player = std::function<double(const QuadSetSession&, Micros)>;

// Pushes `pct` during holds and relaxes otherwise.
Player steady_player(double pct) {
    return [pct](const QuadSetSession& s, Micros) {
        return s.phase() == QuadSetPhase::Hold ? pct : 0.0;
    };
}

// What a run produced: every event with the time of the reading that caused it, every reading
// the rules counted as in the band, and the phases seen (consecutive repeats removed).
struct Run {
    std::vector<QuadSetEvent> events;
    std::vector<Micros> event_t;
    std::vector<double> in_band_force;
    std::vector<double> in_band_pct;
    std::vector<QuadSetPhase> phases;
    Micros t = 0; // time of the next reading
};

// Feeds one reading and records its consequences.
void feed_one(QuadSetSession& s, Run& run, Micros t, double pct) {
    const double force = pct / 100.0 * kMvcN;
    s.update(t, pct, force);
    for (auto& e : s.take_events()) {
        run.events.push_back(e);
        run.event_t.push_back(t);
    }
    if (s.phase() == QuadSetPhase::Hold && s.in_band()) {
        run.in_band_force.push_back(force);
        run.in_band_pct.push_back(pct);
    }
    if (run.phases.empty() || run.phases.back() != s.phase())
        run.phases.push_back(s.phase());
}

// Feeds readings every kStepUs from run.t while `more` holds and the session is not Done.
void play_while(QuadSetSession& s, Run& run, const Player& player,
                const std::function<bool(const QuadSetSession&)>& more) {
    const Micros limit = run.t + 3600 * kSecond; // a safety net: no session here lasts an hour
    while (s.phase() != QuadSetPhase::Done && more(s) && run.t < limit) {
        feed_one(s, run, run.t, player(s, run.t));
        run.t += kStepUs;
    }
}

// Plays the whole session.
void play_all(QuadSetSession& s, Run& run, const Player& player) {
    play_while(s, run, player, [](const QuadSetSession&) { return true; });
}

long count(const Run& run, Kind kind) {
    return std::count_if(run.events.begin(), run.events.end(),
                         [kind](const QuadSetEvent& e) { return e.kind == kind; });
}

// Index of the first event of `kind` at or after `from`, or -1.
long find_event(const Run& run, Kind kind, std::size_t from = 0) {
    for (std::size_t i = from; i < run.events.size(); ++i)
        if (run.events[i].kind == kind)
            return static_cast<long>(i);
    return -1;
}

// Population coefficient of variation of `xs`.
double cv_of(const std::vector<double>& xs) {
    double sum = 0;
    for (double x : xs)
        sum += x;
    const double mean = sum / static_cast<double>(xs.size());
    double ss = 0;
    for (double x : xs)
        ss += (x - mean) * (x - mean);
    return std::sqrt(ss / static_cast<double>(xs.size())) / mean;
}

} // namespace

SCENARIO("A perfect player completes every hold of Q2", "[quadset]") {
    GIVEN("a Q2 session and a player who holds 25 % MVC whenever a hold runs") {
        QuadSetSession s(q2(), params());
        Run run;
        WHEN("the whole session is played") {
            play_all(s, run, steady_player(25.0));
            THEN("every rep succeeds after the prescribed hold") {
                REQUIRE(s.phase() == QuadSetPhase::Done);
                REQUIRE(s.reps().size() == 10);
                for (std::size_t i = 0; i < s.reps().size(); ++i) {
                    const QuadSetRepScore& r = s.reps()[i];
                    CHECK(r.success);
                    CHECK(r.set_index == 0);
                    CHECK(r.rep_index == static_cast<int>(i));
                    CHECK(r.time_in_band_s == Approx(10.0));
                    CHECK(r.duration_s >= 10.0);
                    CHECK(r.duration_s <= 10.0 + 2 * kSampleS);
                    CHECK(r.mean_pct == Approx(25.0));
                    CHECK(r.peak_pct == Approx(25.0));
                    CHECK(r.peak_n == Approx(100.0));
                    CHECK(r.steadiness_cv == Approx(0.0).margin(1e-9));
                    CHECK(r.target_low_pct == 20.0);
                    CHECK(r.target_high_pct == 30.0);
                    CHECK(r.hold_s == 10.0);
                }
            }
            THEN("the events come in the right numbers and order") {
                CHECK(count(run, Kind::RepStarted) == 10);
                CHECK(count(run, Kind::EnteredBand) == 10);
                CHECK(count(run, Kind::LeftBand) == 0);
                CHECK(count(run, Kind::RepCompleted) == 10);
                CHECK(count(run, Kind::RestEnded) == 9);
                CHECK(count(run, Kind::SetCompleted) == 1);
                CHECK(count(run, Kind::SessionCompleted) == 1);
                REQUIRE(run.events.size() >= 2);
                CHECK(run.events[run.events.size() - 2].kind == Kind::SetCompleted);
                CHECK(run.events.back().kind == Kind::SessionCompleted);
                const long first_done = find_event(run, Kind::RepCompleted);
                REQUIRE(first_done >= 0);
                REQUIRE(run.events[static_cast<std::size_t>(first_done)].rep.has_value());
                CHECK(run.events[static_cast<std::size_t>(first_done)].rep->success);
            }
            THEN("the session lasts get-ready + 10 holds + 9 rests") {
                const double end_s = static_cast<double>(run.event_t.back()) / 1e6;
                CHECK(end_s >= 3.0 + 100.0 + 90.0);
                CHECK(end_s <= 3.0 + 100.0 + 90.0 + 10 * 2 * kSampleS + kSampleS);
            }
            THEN("it earns three stars and did not stop early") {
                CHECK(s.stars() == 3);
                CHECK_FALSE(s.stopped_early());
                CHECK(s.stop_reason(0).empty());
            }
        }
    }
}

SCENARIO("A player who never gets into the band times out every rep", "[quadset]") {
    const double pct = GENERATE(40.0, 30.5, 19.5);
    GIVEN("a Q2 session and a player who holds " + std::to_string(pct) + " % MVC") {
        QuadSetSession s(q2(), params());
        Run run;
        WHEN("the whole session is played") {
            play_all(s, run, steady_player(pct));
            THEN("each rep ends unsuccessful at hold * factor + grace") {
                REQUIRE(s.phase() == QuadSetPhase::Done);
                REQUIRE(s.reps().size() == 10);
                for (const auto& r : s.reps()) {
                    CHECK_FALSE(r.success);
                    CHECK(r.duration_s == Approx(10.0 * 2.0 + 5.0).margin(1e-6));
                    CHECK(r.time_in_band_s == 0.0);
                    CHECK(r.mean_pct == 0.0);
                    CHECK(r.peak_pct == Approx(pct));
                }
                CHECK(count(run, Kind::EnteredBand) == 0);
                CHECK(count(run, Kind::RepCompleted) == 10);
                CHECK(count(run, Kind::SessionCompleted) == 1);
                CHECK(s.stars() == 0);
            }
        }
    }
}

SCENARIO("Band membership has hysteresis", "[quadset]") {
    const double edge = GENERATE(20.0, 30.0);
    const double margin = GENERATE(1.0, 0.0);
    GIVEN("a one-rep session whose player enters at 25 % then wobbles +-0.5 % around the " +
          std::to_string(edge) + " % edge, margin " + std::to_string(margin) + " %") {
        QuadSetSession s(q2(1), params(margin));
        Run run;
        int n = 0;
        const Player wobble = [&n, edge](const QuadSetSession& ss, Micros) {
            if (ss.phase() != QuadSetPhase::Hold)
                return 0.0;
            ++n;
            if (n <= 10)
                return 25.0;
            return edge + ((n % 2 == 0) ? 0.5 : -0.5);
        };
        WHEN("the rep is played") {
            play_all(s, run, wobble);
            REQUIRE(s.reps().size() == 1);
            if (margin > 0) {
                THEN("with a 1 % margin it enters once, never leaves and completes the hold") {
                    CHECK(count(run, Kind::EnteredBand) == 1);
                    CHECK(count(run, Kind::LeftBand) == 0);
                    CHECK(s.reps()[0].success);
                    CHECK(s.reps()[0].duration_s <= 10.0 + 2 * kSampleS);
                }
            } else {
                THEN("without a margin the same signal flickers in and out") {
                    CHECK(count(run, Kind::EnteredBand) > 100);
                    CHECK(count(run, Kind::LeftBand) > 100);
                }
            }
        }
    }
}

SCENARIO("A player who dips out of the band finishes the hold later", "[quadset]") {
    GIVEN("a one-rep Q2 session") {
        QuadSetSession s(q2(1), params());
        Run run;
        WHEN("the player relaxes during get-ready, holds 25 % for 4 s, drops to 10 % for 2 s, "
             "then holds 25 % again") {
            // Get-ready runs from 0 to 3 s; the hold starts at exactly 3 s.
            const auto pct_at = [](const QuadSetSession&, Micros t) {
                if (t < 3 * kSecond)
                    return 0.0;
                if (t < 7 * kSecond)
                    return 25.0;
                if (t < 9 * kSecond)
                    return 10.0;
                return 25.0;
            };
            play_all(s, run, pct_at);
            THEN("the band is entered, left and entered again") {
                std::vector<Kind> band;
                for (const auto& e : run.events)
                    if (e.kind == Kind::EnteredBand || e.kind == Kind::LeftBand)
                        band.push_back(e.kind);
                CHECK(band ==
                      std::vector<Kind>{Kind::EnteredBand, Kind::LeftBand, Kind::EnteredBand});
            }
            THEN("the rep succeeds with the full hold in the band over a longer rep") {
                REQUIRE(s.reps().size() == 1);
                const auto& r = s.reps()[0];
                CHECK(r.success);
                CHECK(r.time_in_band_s == Approx(10.0).margin(kSampleS));
                CHECK(r.duration_s > r.hold_s);
                CHECK(r.duration_s == Approx(12.0).margin(kSampleS));
                CHECK(r.peak_pct == Approx(25.0));
                CHECK(r.mean_pct == Approx(25.0));
            }
        }
    }
}

SCENARIO("Steadiness is the coefficient of variation of in-band force", "[quadset]") {
    GIVEN("a one-rep Q2 session") {
        QuadSetSession flat(q2(1), params());
        QuadSetSession noisy(q2(1), params());
        Run flat_run;
        Run noisy_run;
        WHEN("one player holds a flat 25 % and another 25 % with tremor (sd 1 %)") {
            play_all(flat, flat_run, steady_player(25.0));
            qv::Rng rng(1234);
            const Player tremor = [&rng](const QuadSetSession& ss, Micros) {
                if (ss.phase() != QuadSetPhase::Hold)
                    return 0.0;
                return std::clamp(rng.normal(25.0, 1.0), 21.5, 28.5);
            };
            play_all(noisy, noisy_run, tremor);
            REQUIRE(flat.reps().size() == 1);
            REQUIRE(noisy.reps().size() == 1);
            const auto& f = flat.reps()[0];
            const auto& n = noisy.reps()[0];
            THEN("the noisy hold has the larger CV") {
                CHECK(f.steadiness_cv == Approx(0.0).margin(1e-9));
                CHECK(n.steadiness_cv > f.steadiness_cv + 0.02);
                CHECK(n.success);
            }
            THEN("the CV and the mean match those computed from the in-band readings") {
                REQUIRE(noisy_run.in_band_force.size() > 900);
                CHECK(n.steadiness_cv == Approx(cv_of(noisy_run.in_band_force)).epsilon(1e-9));
                double sum = 0;
                for (double p : noisy_run.in_band_pct)
                    sum += p;
                CHECK(n.mean_pct ==
                      Approx(sum / static_cast<double>(noisy_run.in_band_pct.size())));
                CHECK(n.steadiness_cv == Approx(1.0 / 25.0).margin(0.005));
                const double max_pct =
                    *std::max_element(noisy_run.in_band_pct.begin(), noisy_run.in_band_pct.end());
                CHECK(n.peak_pct == Approx(max_pct));
                CHECK(n.peak_n == Approx(max_pct / 100.0 * kMvcN));
            }
        }
    }
}

SCENARIO("Q3 runs three sets with a set rest between them", "[quadset]") {
    const double set_rest = GENERATE(45.0, 0.0);
    GIVEN("a Q3 session with " + std::to_string(set_rest) + " s between sets") {
        QuadSetSession s(q3(set_rest), params());
        Run run;
        WHEN("a perfect player plays it") {
            play_all(s, run, steady_player(40.0));
            THEN("the phases follow get-ready, holds and rests, set rest, for each set") {
                std::vector<QuadSetPhase> expected;
                for (int set = 0; set < 3; ++set) {
                    expected.push_back(QuadSetPhase::GetReady);
                    for (int rep = 0; rep < 10; ++rep) {
                        expected.push_back(QuadSetPhase::Hold);
                        if (rep < 9)
                            expected.push_back(QuadSetPhase::Rest);
                    }
                    if (set < 2 && set_rest > 0)
                        expected.push_back(QuadSetPhase::SetRest);
                }
                expected.push_back(QuadSetPhase::Done);
                CHECK(run.phases == expected);
            }
            THEN("30 reps are scored with their set and rep indices") {
                REQUIRE(s.reps().size() == 30);
                for (std::size_t i = 0; i < 30; ++i) {
                    CHECK(s.reps()[i].set_index == static_cast<int>(i / 10));
                    CHECK(s.reps()[i].rep_index == static_cast<int>(i % 10));
                    CHECK(s.reps()[i].success);
                }
                std::vector<int> sets_done;
                for (const auto& e : run.events)
                    if (e.kind == Kind::SetCompleted)
                        sets_done.push_back(e.set_index);
                CHECK(sets_done == std::vector<int>{0, 1, 2});
                CHECK(count(run, Kind::RestEnded) == 27);
                CHECK(count(run, Kind::SessionCompleted) == 1);
                CHECK(s.stars() == 3);
            }
            THEN("the next set's first hold starts set rest + get-ready after the set ends") {
                const long set_done = find_event(run, Kind::SetCompleted);
                REQUIRE(set_done >= 0);
                const long next =
                    find_event(run, Kind::RepStarted, static_cast<std::size_t>(set_done));
                REQUIRE(next >= 0);
                const auto& e = run.events[static_cast<std::size_t>(next)];
                CHECK(e.set_index == 1);
                CHECK(e.rep_index == 0);
                const double gap =
                    static_cast<double>(run.event_t[static_cast<std::size_t>(next)] -
                                        run.event_t[static_cast<std::size_t>(set_done)]) /
                    1e6;
                CHECK(gap == Approx(set_rest + 3.0).margin(kSampleS));
            }
        }
    }
}

SCENARIO("Stopping a set", "[quadset]") {
    GIVEN("a Q3 session in the middle of the fourth hold of the first set") {
        QuadSetSession s(q3(), params());
        Run run;
        const Player player = steady_player(40.0);
        play_while(s, run, player, [](const QuadSetSession& ss) {
            return !(ss.phase() == QuadSetPhase::Hold && ss.rep_index() == 3 &&
                     ss.hold_progress() >= 0.5);
        });
        REQUIRE(s.phase() == QuadSetPhase::Hold);
        REQUIRE(s.reps().size() == 3);
        run.events.clear();
        run.event_t.clear();

        WHEN("the set is stopped for pain") {
            s.stop_set("pain 6/10", false);
            const auto events = s.take_events();
            THEN("the unfinished rep is discarded and the set ends with its reason") {
                REQUIRE(events.size() == 1);
                CHECK(events[0].kind == Kind::SetCompleted);
                CHECK(events[0].set_index == 0);
                CHECK(s.reps().size() == 3);
                CHECK(s.stop_reason(0) == "pain 6/10");
                CHECK(s.stop_reason(1).empty());
                CHECK(s.phase() == QuadSetPhase::SetRest);
                CHECK(s.phase_remaining_s() == Approx(45.0));
                CHECK(s.hold_progress() == 0.0);
                CHECK_FALSE(s.stopped_early());
            }
            AND_WHEN("play continues") {
                const Micros stop_t = run.t - kStepUs;
                play_all(s, run, player);
                THEN("the next set starts after the set rest and the session completes") {
                    const long first = find_event(run, Kind::RepStarted);
                    REQUIRE(first >= 0);
                    CHECK(run.events[static_cast<std::size_t>(first)].set_index == 1);
                    CHECK(run.events[static_cast<std::size_t>(first)].rep_index == 0);
                    const double waited =
                        static_cast<double>(run.event_t[static_cast<std::size_t>(first)] - stop_t) /
                        1e6;
                    CHECK(waited == Approx(45.0 + 3.0).margin(kSampleS));
                    CHECK(s.phase() == QuadSetPhase::Done);
                    CHECK(s.reps().size() == 23);
                    CHECK(s.reps()[3].set_index == 1);
                    CHECK(count(run, Kind::SessionCompleted) == 1);
                    CHECK_FALSE(s.stopped_early());
                    CHECK(s.stop_reason(0) == "pain 6/10");
                    CHECK(s.stop_reason(2).empty());
                }
            }
        }
        WHEN("the set is stopped and the session ended") {
            s.stop_set("pain 8/10", true);
            const auto events = s.take_events();
            THEN("the session is done and stopped early") {
                REQUIRE(events.size() == 2);
                CHECK(events[0].kind == Kind::SetCompleted);
                CHECK(events[1].kind == Kind::SessionCompleted);
                CHECK(s.phase() == QuadSetPhase::Done);
                CHECK(s.stopped_early());
                CHECK(s.stop_reason(0) == "pain 8/10");
                CHECK(s.reps().size() == 3);
                CHECK(s.phase_remaining_s() == 0.0);
            }
            AND_WHEN("readings keep coming") {
                play_while(s, run, player, [](const QuadSetSession&) { return true; });
                s.update(run.t + 60 * kSecond, 40.0, 160.0);
                THEN("nothing more happens") {
                    CHECK(s.take_events().empty());
                    CHECK(run.events.empty());
                    CHECK(s.reps().size() == 3);
                }
            }
        }
    }
    GIVEN("a Q2 session (a single set) in its first rest") {
        QuadSetSession s(q2(), params());
        Run run;
        play_while(s, run, steady_player(25.0),
                   [](const QuadSetSession& ss) { return ss.phase() != QuadSetPhase::Rest; });
        REQUIRE(s.reps().size() == 1);
        WHEN("the set is stopped without ending the session") {
            s.stop_set("knee swelling", false);
            THEN("stopping the last set ends the session early") {
                CHECK(s.phase() == QuadSetPhase::Done);
                CHECK(s.stopped_early());
                CHECK(s.stop_reason(0) == "knee swelling");
                CHECK(s.reps().size() == 1);
            }
        }
    }
    GIVEN("a Q3 session resting between the first and second set") {
        QuadSetSession s(q3(), params());
        Run run;
        play_while(s, run, steady_player(40.0),
                   [](const QuadSetSession& ss) { return ss.phase() != QuadSetPhase::SetRest; });
        REQUIRE(s.reps().size() == 10);
        WHEN("the set is stopped") {
            s.stop_set("pain 6/10", false);
            THEN("the coming set is skipped with the reason and the first one kept clean") {
                CHECK(s.stop_reason(0).empty());
                CHECK(s.stop_reason(1) == "pain 6/10");
                CHECK(s.set_index() == 1);
                CHECK(s.phase() == QuadSetPhase::SetRest);
                CHECK(s.reps().size() == 10);
            }
        }
    }
}

SCENARIO("A gap in the readings during a rest", "[quadset]") {
    // gap: seconds without readings starting 2 s into the first rest; then where we must be
    using Row = std::tuple<double, int, double, int>; // gap, rep index, hold left, failed reps
    const auto [gap, rep, left, failed] = GENERATE(table<double, int, double, int>({
        Row{30.0, 1, 3.0, 0},  // rest ends at 10 s, rep 1 started 22 s ago
        Row{45.0, 2, 23.0, 1}, // rep 1 timed out at 35 s, rest to 45 s, rep 2 started 2 s ago
        Row{5.0, 0, 3.0, 0},   // still resting: 3 s of rest left
    }));
    GIVEN("a Q2 session whose first rep was completed") {
        QuadSetSession s(q2(), params());
        Run run;
        play_while(s, run, steady_player(25.0),
                   [](const QuadSetSession& ss) { return ss.phase() != QuadSetPhase::Rest; });
        REQUIRE(s.reps().size() == 1);
        const Micros now = run.t - kStepUs;
        const Micros rest_start =
            now - (10 * kSecond - static_cast<Micros>(std::llround(s.phase_remaining_s() * 1e6)));
        feed_one(s, run, rest_start + 2 * kSecond, 0.0);
        run.events.clear();
        WHEN("the next reading comes " + std::to_string(gap) + " s later") {
            feed_one(s, run,
                     rest_start + 2 * kSecond + static_cast<Micros>(std::llround(gap * 1e6)), 0.0);
            THEN("every phase that ended in the gap ended at its own time") {
                CHECK(s.rep_index() == rep);
                CHECK(s.phase() == (rep == 0 ? QuadSetPhase::Rest : QuadSetPhase::Hold));
                CHECK(s.phase_remaining_s() == Approx(left).margin(1e-6));
                CHECK(count(run, Kind::RepStarted) == rep);
                CHECK(count(run, Kind::RestEnded) == rep);
                CHECK(count(run, Kind::RepCompleted) == failed);
                REQUIRE(s.reps().size() == static_cast<std::size_t>(1 + failed));
                if (failed > 0) {
                    CHECK_FALSE(s.reps()[1].success);
                    CHECK(s.reps()[1].duration_s == Approx(25.0).margin(1e-6));
                }
            }
        }
    }
}

SCENARIO("Readings out of order are ignored", "[quadset]") {
    GIVEN("a Q2 session five seconds into a hold at 25 %") {
        QuadSetSession s(q2(), params());
        Run run;
        play_while(s, run, steady_player(25.0),
                   [](const QuadSetSession& ss) { return ss.hold_progress() < 0.5; });
        const double progress = s.hold_progress();
        const double remaining = s.phase_remaining_s();
        WHEN("a reading older than the last one arrives with a huge force") {
            s.update(run.t - 5 * kSecond, 95.0, 380.0);
            THEN("nothing changes") {
                CHECK(s.take_events().empty());
                CHECK(s.hold_progress() == progress);
                CHECK(s.phase_remaining_s() == remaining);
                CHECK(s.in_band());
            }
            AND_THEN("the rep is scored as if it never came") {
                play_all(s, run, steady_player(25.0));
                REQUIRE_FALSE(s.reps().empty());
                CHECK(s.reps()[0].peak_pct == Approx(25.0));
            }
        }
    }
}

SCENARIO("Countdowns and hold progress", "[quadset]") {
    GIVEN("a Q2 session whose first reading comes at 5 s on the clock") {
        QuadSetSession s(q2(), params());
        CHECK(s.phase() == QuadSetPhase::GetReady);
        CHECK(s.target_pct() == Approx(25.0));
        s.update(5 * kSecond, 0.0, 0.0);
        THEN("get-ready counts down from 3 s") {
            CHECK(s.phase_remaining_s() == Approx(3.0));
            s.update(6 * kSecond, 0.0, 0.0);
            CHECK(s.phase_remaining_s() == Approx(2.0));
            CHECK(s.hold_progress() == 0.0);
        }
        WHEN("the hold starts at 8 s and the player holds 25 % for 4 s") {
            s.update(8 * kSecond, 25.0, 100.0);
            s.update(12 * kSecond, 25.0, 100.0);
            THEN("the hold is 40 % done and 21 s remain before the timeout") {
                CHECK(s.phase() == QuadSetPhase::Hold);
                CHECK(s.in_band());
                CHECK(s.hold_progress() == Approx(0.4));
                CHECK(s.phase_remaining_s() == Approx(21.0));
            }
        }
    }
}

SCENARIO("Fatigue: late reps that time out still count", "[quadset]") {
    GIVEN("a Q2 session and a player whose force drops below the band for the last 3 reps") {
        QuadSetSession s(q2(), params());
        Run run;
        const Player tiring = [](const QuadSetSession& ss, Micros) {
            if (ss.phase() != QuadSetPhase::Hold)
                return 0.0;
            return ss.rep_index() < 7 ? 25.0 : 17.0;
        };
        WHEN("the whole session is played") {
            play_all(s, run, tiring);
            THEN("all ten reps are scored, the late ones unsuccessful, and the session completes") {
                REQUIRE(s.phase() == QuadSetPhase::Done);
                REQUIRE(s.reps().size() == 10);
                for (int i = 0; i < 10; ++i)
                    CHECK(s.reps()[static_cast<std::size_t>(i)].success == (i < 7));
                CHECK(count(run, Kind::SessionCompleted) == 1);
                CHECK_FALSE(s.stopped_early());
                CHECK(s.stop_reason(0).empty());
                CHECK(s.stars() == 1);
            }
        }
    }
}

SCENARIO("Stars", "[quadset]") {
    using Row = std::tuple<int, bool, int>; // successful reps of 10, shaky hold, stars
    const auto [good, shaky, stars] = GENERATE(table<int, bool, int>({
        Row{10, false, 3},
        Row{10, true, 2},
        Row{8, false, 3},
        Row{7, false, 1},
        Row{5, false, 1},
        Row{4, false, 0},
        Row{0, false, 0},
    }));
    GIVEN(std::to_string(good) + " good reps of 10" + (shaky ? ", shaky" : "")) {
        QuadSetSession s(q2(), params());
        Run run;
        CHECK(s.stars() == 0); // nothing scored yet
        int n = 0;
        const Player player = [&n, good = good, shaky = shaky](const QuadSetSession& ss, Micros) {
            if (ss.phase() != QuadSetPhase::Hold)
                return 0.0;
            if (ss.rep_index() >= good)
                return 45.0;
            ++n;
            return shaky ? (n % 2 == 0 ? 21.0 : 29.0) : 25.0;
        };
        WHEN("the session is played") {
            play_all(s, run, player);
            THEN("it earns " + std::to_string(stars) + " stars") {
                REQUIRE(s.reps().size() == 10);
                CHECK(s.stars() == stars);
            }
        }
    }
}

SCENARIO("The band can be changed between holds, never within one", "[quadset][band]") {
    GIVEN("a player who pushes steadily at 33 %, just above Q2's band") {
        QuadSetSession s(q2(3), params(0.0));
        Micros t = 0;
        auto feed_until = [&](auto done) {
            while (!done() && t < 600 * kSecond) {
                const double pct = s.phase() == QuadSetPhase::Hold ? 33.0 : 0.0;
                s.update(t, pct, pct / 100.0 * kMvcN);
                s.take_events();
                t += kStepUs;
            }
        };
        feed_until([&] { return s.phase() == QuadSetPhase::Hold; });
        WHEN("the band widens to 15-35 % during the first hold") {
            s.set_band(15, 35);
            feed_until([&] { return s.reps().size() == 1; });
            THEN("that hold is scored against the old band: it times out") {
                REQUIRE(s.reps().size() == 1);
                CHECK_FALSE(s.reps()[0].success);
                CHECK(s.reps()[0].target_high_pct == 30.0);
            }
            AND_THEN("the next hold uses the new band and succeeds") {
                feed_until([&] { return s.reps().size() == 2; });
                REQUIRE(s.reps().size() == 2);
                CHECK(s.reps()[1].success);
                CHECK(s.reps()[1].target_low_pct == 15.0);
                CHECK(s.reps()[1].target_high_pct == 35.0);
            }
        }
        WHEN("an impossible band is asked for") {
            s.set_band(40, 20);
            feed_until([&] { return s.reps().size() == 1; });
            THEN("it is ignored") {
                CHECK(s.reps()[0].target_high_pct == 30.0);
            }
        }
    }
}
