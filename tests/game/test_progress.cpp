// The player's progress view: the numbers load_progress gathers from a database whose every row
// is known, and the screen opening, drawing and switching pages under SDL's dummy video driver.

#include "content/content.hpp"
#include "core/clock.hpp"
#include "game/audio.hpp"
#include "game/autopilot.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/progress.hpp"
#include "game/screen.hpp"
#include "game/screens/screens.hpp"
#include "input/hub.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sqlite3.h>
#include <string_view>

namespace fs = std::filesystem;
using namespace qv;
using game::DayKind;

namespace {

fs::path scratch() {
    std::string tmpl = "/tmp/qv-progress-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    return tmpl;
}

// Midday UTC: the same local date anywhere from UTC-11 to UTC+11.
std::string at(const std::string& day, int hour = 12, int minute = 0) {
    return day + "T" + (hour < 10 ? "0" : "") + std::to_string(hour) + ":" +
           (minute < 10 ? "0" : "") + std::to_string(minute) + ":00.000Z";
}

void exec(profiles::Store& store, const std::string& sql) {
    char* msg = nullptr;
    const int rc = sqlite3_exec(store.handle(), sql.c_str(), nullptr, nullptr, &msg);
    INFO((msg ? msg : "") << " in " << sql);
    sqlite3_free(msg);
    REQUIRE(rc == SQLITE_OK);
}

/// A database whose every row is known (today is Wednesday 2026-03-18; three weeks from Monday
/// 2026-03-02):
/// - Mon 03-02: completed, dose 2 x 5, 9 of 10 holds; pain before 2, during 3 then 4, after 3,
///   next morning 2. Strength tests: affected 200 N, other leg 250 N (open sensor).
/// - Wed 03-04: stopped for pain after 2 of 3 holds; during 7, after 5.
/// - Thu 03-05: a red-flag check with one "yes", no session.
/// - Tue 03-10: a keyboard strength test of 300 N (practice: left out of the trend).
/// - Thu 03-12: completed with the keyboard, 10 of 10 holds. Affected leg 230 N (open sensor).
/// - Mon 02-16 (before the range): one completed session.
/// - Decisions: 03-04 progress (hold 8 -> 10 s), 03-12 hold.
struct KnownHistory {
    fs::path dir = scratch();
    std::unique_ptr<profiles::Store> store = std::move(profiles::Store::open(dir / "q.db").value());
    std::int64_t pid = 0;
    std::int64_t empty_pid = 0;

    KnownHistory() {
        pid = store->create_profile("Robin", "owl", "Q2").value().id;
        empty_pid = store->create_profile("Kim", "owl", "Q2").value().id;
        const auto session = [&](const std::string& day, const std::string& driver,
                                 profiles::SessionStatus status,
                                 std::vector<std::vector<bool>> sets) {
            profiles::SessionRecord s;
            s.profile_id = pid;
            s.started_at = at(day);
            s.source = SourceIdentity{driver, "", "", "", driver != "keyboard"};
            s.level_id = "Q2";
            const auto id = store->begin_session(s).value();
            for (std::size_t k = 0; k < sets.size(); ++k) {
                profiles::SetRecord set;
                set.session_id = id;
                set.set_index = static_cast<int>(k);
                set.dose = QuadSetDose{2, 5, 8, 5, 30, 20, 30};
                set.started_at = set.ended_at = at(day, 12, 5);
                for (std::size_t r = 0; r < sets[k].size(); ++r) {
                    QuadSetRepScore rep;
                    rep.set_index = static_cast<int>(k);
                    rep.rep_index = static_cast<int>(r);
                    rep.success = sets[k][r];
                    set.reps.push_back(rep);
                }
                REQUIRE(store->commit_set(set).ok());
            }
            REQUIRE(store->finish_session(id, status, 2, 5).ok());
            return id;
        };
        const auto pain = [&](std::int64_t session_id, profiles::PainMoment m, int score,
                              const std::string& when) {
            profiles::PainEntry p;
            p.profile_id = pid;
            p.session_id = session_id;
            p.moment = m;
            p.score = score;
            p.recorded_at = when;
            REQUIRE(store->add_pain(p).ok());
        };
        const auto mvc = [&](const std::string& day, double n, const std::string& leg,
                             const std::string& driver) {
            profiles::CalibrationRecord c;
            c.profile_id = pid;
            c.created_at = at(day, 11);
            c.source_driver = driver;
            c.mvc_n = n;
            const auto id = store->add_calibration(c).value();
            exec(*store,
                 "UPDATE calibrations SET leg = '" + leg + "' WHERE id = " + std::to_string(id));
        };
        using St = profiles::SessionStatus;
        using M = profiles::PainMoment;
        session("2026-02-16", "open-sensor", St::Completed, {{true}});
        const auto s1 = session("2026-03-02", "open-sensor", St::Completed,
                                {{true, true, false, true, true}, {true, true, true, true, true}});
        pain(s1, M::Before, 2, at("2026-03-02", 11, 59));
        pain(s1, M::During, 3, at("2026-03-02", 12, 3));
        pain(s1, M::During, 4, at("2026-03-02", 12, 20));
        pain(s1, M::After, 3, at("2026-03-02", 12, 21));
        pain(s1, M::NextMorning, 2, at("2026-03-03", 8));
        mvc("2026-03-02", 200, "affected", "open-sensor");
        mvc("2026-03-02", 250, "other", "open-sensor");
        const auto s2 =
            session("2026-03-04", "open-sensor", St::StoppedPain, {{true, true, false}});
        pain(s2, M::During, 7, at("2026-03-04", 12, 10));
        pain(s2, M::After, 5, at("2026-03-04", 12, 20));
        profiles::RedFlagCheck check;
        check.profile_id = pid;
        check.checked_at = at("2026-03-05");
        check.flags = {"swelling"};
        REQUIRE(store->add_red_flag_check(check).ok());
        mvc("2026-03-10", 300, "affected", "keyboard");
        session("2026-03-12", "keyboard", St::Completed,
                {{true, true, true, true, true}, {true, true, true, true, true}});
        mvc("2026-03-12", 230, "affected", "open-sensor");
        const auto decision = [&](const std::string& day, const std::string& action,
                                  std::optional<double> from, std::optional<double> to,
                                  const std::string& reason) {
            profiles::DecisionRecord d;
            d.profile_id = pid;
            d.created_at = at(day, 11, 58);
            d.light = "green";
            d.action = action;
            d.from_value = from;
            d.to_value = to;
            d.reason_code = action;
            d.reason = reason;
            REQUIRE(store->add_decision(d).ok());
        };
        decision("2026-03-04", "progress", 8.0, 10.0, "Holds go from 8 s to 10 s.");
        decision("2026-03-12", "hold", std::nullopt, std::nullopt, "The exercise stays the same.");
    }
    ~KnownHistory() {
        store.reset();
        fs::remove_all(dir);
    }
    game::ProgressData load(std::int64_t id, int weeks = 3) {
        game::ProgressOptions o;
        o.today = "2026-03-18";
        o.weeks = weeks;
        return game::load_progress(*store, id, o);
    }
};

const game::CalendarDay& day_of(const game::ProgressData& d, const std::string& day) {
    for (const auto& c : d.calendar) {
        if (c.day == day) {
            return c;
        }
    }
    FAIL("no calendar day " << day);
    return d.calendar.front();
}

} // namespace

TEST_CASE("dates: adding days and the day of the week", "[progress]") {
    CHECK(game::add_days("2026-03-01", -1) == "2026-02-28");
    CHECK(game::add_days("2024-02-28", 1) == "2024-02-29");
    CHECK(game::add_days("2026-12-31", 1) == "2027-01-01");
    CHECK(game::weekday("2026-03-02") == 0); // a Monday
    CHECK(game::weekday("2026-03-22") == 6);
    CHECK(game::weekday("2026-02-30") == -1);
    CHECK(game::add_days("yesterday", 1).empty());
}

SCENARIO("load_progress gathers the numbers of a known history", "[progress]") {
    KnownHistory h;
    const auto d = h.load(h.pid);
    REQUIRE(d.error.empty());
    CHECK(d.first_day == "2026-03-02");
    CHECK(d.today == "2026-03-18");

    THEN("strength: measured tests only, each with its band, and a real gain") {
        REQUIRE(d.mvc_affected.size() == 2);
        CHECK(d.mvc_affected[0].mvc_n == Approx(200));
        CHECK(d.mvc_affected[0].low_n == Approx(186));
        CHECK(d.mvc_affected[0].high_n == Approx(214));
        CHECK(d.mvc_affected[1].day == "2026-03-12");
        CHECK(d.mvc_affected[1].measured);
        REQUIRE(d.mvc_other.size() == 1);
        CHECK_FALSE(d.mvc_practice);
        CHECK(d.strength.trend == game::StrengthTrend::Stronger);
        CHECK(d.strength.change_pct == Approx(15));
    }
    THEN("limb symmetry is the affected leg over the other, with both values") {
        REQUIRE(d.symmetry);
        CHECK(d.symmetry->affected_n == Approx(230));
        CHECK(d.symmetry->other_n == Approx(250));
        CHECK(d.symmetry->lsi_pct == Approx(92));
        CHECK(d.symmetry->meets_bar);
    }
    THEN("dose done against prescribed, per session and in total") {
        REQUIRE(d.dose.size() == 3); // the February session is outside the range
        CHECK(d.dose[0].done == 9);
        CHECK(d.dose[0].attempted == 10);
        CHECK(d.dose[0].prescribed == 10);
        CHECK(d.dose[1].kind == game::SessionKind::PainStop);
        CHECK(d.dose[1].done == 2);
        CHECK(d.dose[1].prescribed == 10);
        CHECK(d.dose[2].practice);
        CHECK(d.reps_done == 21);
        CHECK(d.reps_prescribed == 30);
        CHECK(d.reps_done_prescribed == 21);
    }
    THEN("pain: the worst during, after, and the next morning, per session") {
        REQUIRE(d.pain.size() == 3);
        CHECK(d.pain[0].before == 2);
        CHECK(d.pain[0].during == 4);
        CHECK(d.pain[0].after == 3);
        CHECK(d.pain[0].next_morning == 2);
        CHECK(d.pain[1].during == 7);
        CHECK(d.pain[1].next_morning == -1);
        CHECK(d.pain[2].during == -1);
    }
    THEN("the calendar: a pain stop and a red flag are not misses, rest is neutral") {
        REQUIRE(d.calendar.size() == 21); // three whole weeks, Monday to Sunday
        CHECK(d.calendar.front().day == "2026-03-02");
        CHECK(d.calendar.back().day == "2026-03-22");
        CHECK(day_of(d, "2026-03-02").kind == DayKind::Done);
        CHECK(day_of(d, "2026-03-03").kind == DayKind::Rest);
        CHECK(day_of(d, "2026-03-04").kind == DayKind::PainStop);
        CHECK(day_of(d, "2026-03-05").kind == DayKind::RedFlag);
        CHECK(day_of(d, "2026-03-12").kind == DayKind::Done);
        CHECK(day_of(d, "2026-03-18").today);
        CHECK(day_of(d, "2026-03-18").kind == DayKind::Rest);
        CHECK(day_of(d, "2026-03-19").kind == DayKind::Future);
        CHECK(d.active_days == 4);
        CHECK(d.pain_stops == 1);
    }
    THEN("the run of active weeks: rest days and an unfinished week do not break it") {
        // Weeks of 03-02 and 03-09 are active; this week has nothing yet but is not over; the
        // week of 02-23 had nothing, so the February session is not part of the run.
        CHECK(d.active_weeks == 2);
    }
    THEN("the plan's decisions, newest first, with their reasons as stored") {
        REQUIRE(d.plan_changes.size() == 2);
        CHECK(d.plan_changes[0].reason == "The exercise stays the same.");
        CHECK_FALSE(d.plan_changes[0].changed);
        CHECK(d.plan_changes[1].reason == "Holds go from 8 s to 10 s.");
        CHECK(d.plan_changes[1].action == "progress");
        CHECK(d.plan_changes[1].changed);
    }
}

TEST_CASE("a week with only a red-flag stop or a pain stop keeps the run going", "[progress]") {
    KnownHistory h;
    // Add a pain stop on Monday of this week: now this week counts too.
    profiles::SessionRecord s;
    s.profile_id = h.pid;
    s.started_at = at("2026-03-16");
    s.source = SourceIdentity{"open-sensor", "", "", "", true};
    s.level_id = "Q2";
    const auto id = h.store->begin_session(s).value();
    REQUIRE(h.store->finish_session(id, profiles::SessionStatus::StoppedPain, 0, -1).ok());
    const auto d = h.load(h.pid);
    CHECK(d.active_weeks == 3);
    CHECK(day_of(d, "2026-03-16").kind == DayKind::PainStop);
    // A session with no stored set has no known prescription: never counted as a shortfall.
    CHECK(d.dose.back().prescribed == 0);
    CHECK(d.reps_prescribed == 30);
}

TEST_CASE("strength change under the noise threshold is 'about the same'", "[progress]") {
    KnownHistory h;
    game::ProgressOptions o;
    o.today = "2026-03-18";
    o.weeks = 3;
    o.mvc_change_pct = 20; // a 15 % gain is then within the noise
    const auto d = game::load_progress(*h.store, h.pid, o);
    CHECK(d.strength.trend == game::StrengthTrend::Same);
}

TEST_CASE("an empty profile loads without error and shows nothing to chart", "[progress]") {
    KnownHistory h;
    const auto d = h.load(h.empty_pid);
    CHECK(d.error.empty());
    CHECK(d.empty());
    CHECK_FALSE(d.symmetry);
    CHECK(d.strength.trend == game::StrengthTrend::NotEnough);
    CHECK(d.active_weeks == 0);
    CHECK(d.active_days == 0);
    CHECK(d.calendar.size() == 21);
    CHECK(d.plan_changes.empty());
}

TEST_CASE("a bad date is reported, not a crash", "[progress]") {
    KnownHistory h;
    game::ProgressOptions o;
    o.today = "2026-13-40";
    const auto d = game::load_progress(*h.store, h.pid, o);
    CHECK_FALSE(d.error.empty());
    CHECK(d.calendar.empty());
}

namespace {

/// SDL with the dummy video driver, a hidden window and the software renderer.
struct Window {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    Window() {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        REQUIRE(SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0);
        REQUIRE(TTF_Init() == 0);
        window =
            SDL_CreateWindow("t", 0, 0, game::Gfx::kWidth, game::Gfx::kHeight, SDL_WINDOW_HIDDEN);
        REQUIRE(window != nullptr);
        renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
        REQUIRE(renderer != nullptr);
    }
    ~Window() {
        SDL_DestroyRenderer(renderer);
        SDL_DestroyWindow(window);
        TTF_Quit();
        SDL_Quit();
    }
    /// A hash of the frame's pixels.
    std::size_t frame_hash() const {
        std::vector<std::uint32_t> pixels(game::Gfx::kWidth * game::Gfx::kHeight);
        REQUIRE(SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ARGB8888, pixels.data(),
                                     game::Gfx::kWidth * 4) == 0);
        return std::hash<std::string_view>{}(std::string_view(
            reinterpret_cast<const char*>(pixels.data()), pixels.size() * sizeof(std::uint32_t)));
    }
};

/// The game around the store of a KnownHistory.
struct Game {
    KnownHistory& h;
    content::LoadResult loaded = content::load_builtin();
    std::unique_ptr<profiles::StorageWorker> worker =
        std::move(profiles::StorageWorker::start(h.dir / "q.db").value());
    ManualClock clock{1'000'000};
    input::InputHub hub{clock, loaded.content.tuning.filter};
    game::Audio audio{{}};
    game::ScreenStack screens;
// Fields after `realtime` keep their defaults, whatever fields Context gains later.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
    game::Context ctx{.content = loaded.content,
                      .store = *h.store,
                      .worker = *worker,
                      .input = hub,
                      .drivers = {},
                      .audio = audio,
                      .screens = screens,
                      .clock = clock,
                      .realtime = false};
#pragma GCC diagnostic pop

    Game(KnownHistory& history, std::int64_t profile) : h(history) {
        ctx.profile = h.store->profile(profile);
    }
    ~Game() {
        screens.reset(nullptr);
        screens.apply();
    }
    void press(SDL_Keycode k) {
        for (const auto& e : game::key_press(k)) {
            screens.handle(e);
        }
        screens.apply();
    }
    std::string top() const {
        return screens.top() ? screens.top()->name() : "";
    }
};

/// Draws each page (Right between them); returns the distinct frames seen.
std::set<std::size_t> draw_pages(Game& g, Window& w, int pages) {
    const auto [regular, bold] = game::find_fonts(fs::path());
    game::Gfx gfx(w.renderer, regular, bold);
    CHECK(gfx.fonts_ok());
    std::set<std::size_t> frames;
    for (int i = 0; i < pages; ++i) {
        gfx.clear(game::palette::sky_bottom);
        g.screens.draw(gfx);
        frames.insert(w.frame_hash());
        gfx.end_frame();
        g.press(SDLK_RIGHT);
        REQUIRE(g.top() == "progress");
    }
    return frames;
}

} // namespace

TEST_CASE("the progress screen opens from the profile home and draws every page", "[progress]") {
    KnownHistory h;
    Window w;
    SECTION("an adult: five pages, each different, Esc goes back home") {
        Game g(h, h.pid);
        g.screens.push(game::make_profile_home(g.ctx));
        g.screens.apply();
        g.press(SDLK_g);
        REQUIRE(g.top() == "progress");
        CHECK(draw_pages(g, w, 5).size() == 5);
        g.press(SDLK_UP); // scrolling is harmless on every page
        g.press(SDLK_DOWN);
        g.press(SDLK_ESCAPE);
        CHECK(g.top() == "profile_home");
    }
    SECTION("a child: two big pages and the page for grown-ups") {
        REQUIRE(h.store->set_child(h.pid, true).ok());
        Game g(h, h.pid);
        g.screens.push(game::make_progress(g.ctx));
        g.screens.apply();
        const auto frames = draw_pages(g, w, 4); // the fourth wraps back to the first
        CHECK(frames.size() == 3);
    }
    SECTION("a profile with no data yet: every page draws its kind empty state") {
        Game g(h, h.empty_pid);
        g.screens.push(game::make_progress(g.ctx));
        g.screens.apply();
        CHECK(draw_pages(g, w, 5).size() == 5);
    }
}
