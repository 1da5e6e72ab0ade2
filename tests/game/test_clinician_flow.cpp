// The clinician side, driven with key events against a real database: the first-start PIN, the
// PIN entry and its rate limit, the plan editor refusing a cap below the dose and saving a valid
// plan, the squat plan's depth cap (never past 90, never below the depth), archiving and the
// confirmed deletion of a profile, and the export from the clinician's home.

#include "content/content.hpp"
#include "core/clock.hpp"
#include "game/audio.hpp"
#include "game/autopilot.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screen.hpp"
#include "game/screens/screens.hpp"
#include "input/hub.hpp"
#include "profiles/clinician_store.hpp"
#include "profiles/squat_store.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sqlite3.h>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace qv;

namespace {

fs::path scratch() {
    std::string tmpl = "/tmp/qv-clinician-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    return tmpl;
}

/// A game without a window: real content, store, storage thread, input hub and screen stack.
struct Game {
    fs::path dir = scratch();
    content::LoadResult loaded = content::load_builtin();
    std::unique_ptr<profiles::Store> store = std::move(profiles::Store::open(dir / "q.db").value());
    std::unique_ptr<profiles::StorageWorker> worker =
        std::move(profiles::StorageWorker::start(dir / "q.db").value());
    ManualClock clock{1'000'000};
    input::InputHub hub{clock, loaded.content.tuning.filter};
    game::Audio audio{{}};
    game::ScreenStack screens;
// Fields after `realtime` keep their defaults, whatever fields Context gains later.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
    game::Context ctx{.content = loaded.content,
                      .store = *store,
                      .worker = *worker,
                      .input = hub,
                      .drivers = {},
                      .audio = audio,
                      .screens = screens,
                      .clock = clock,
                      .realtime = false};
#pragma GCC diagnostic pop

    ~Game() {
        screens.reset(nullptr);
        screens.apply();
        fs::remove_all(dir);
    }
    void start(std::unique_ptr<game::Screen> s) {
        screens.push(std::move(s));
        screens.apply();
    }
    /// Presses keys one by one, applying screen changes after each, as the main loop does.
    void press(std::initializer_list<SDL_Keycode> keys) {
        for (auto k : keys) {
            for (const auto& e : game::key_press(k)) {
                screens.handle(e);
            }
            screens.apply();
        }
    }
    void press_n(SDL_Keycode key, int times) {
        for (int i = 0; i < times; ++i) {
            press({key});
        }
    }
    void type(const std::string& text) {
        screens.handle(game::text_input(text));
        screens.apply();
    }
    std::string top() const {
        return screens.top() ? screens.top()->name() : "";
    }
    long long count(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(store->handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        const auto v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
    /// A profile with one finished session.
    profiles::Profile player(const std::string& name) {
        auto p = store->create_profile(name, "owl", "Q2").value();
        profiles::SessionRecord s;
        s.profile_id = p.id;
        s.source.driver = "keyboard";
        s.level_id = "Q2";
        const auto id = store->begin_session(s).value();
        REQUIRE(store->finish_session(id, profiles::SessionStatus::Completed, 2, 3).ok());
        return p;
    }
};

} // namespace

SCENARIO("the first start asks for a clinician PIN before the players' screen", "[clinician]") {
    Game g;
    g.start(game::make_first_start_or(g.ctx, game::make_profile_select(g.ctx)));
    REQUIRE(g.top() == "clinician_first_start");

    WHEN("a PIN is typed twice") {
        g.press({SDLK_2, SDLK_4, SDLK_6, SDLK_8, SDLK_0, SDLK_RETURN});
        CHECK(g.top() == "clinician_first_start");
        g.press({SDLK_2, SDLK_4, SDLK_6, SDLK_8, SDLK_0, SDLK_RETURN});
        THEN("it is set and the players' screen follows") {
            CHECK(g.top() == "profile_select");
            CHECK(profiles::has_pin(*g.store));
            CHECK(profiles::verify_pin(*g.store, "24680").outcome ==
                  profiles::PinOutcome::Accepted);
        }
        AND_THEN("the next start does not ask again") {
            auto next = game::make_first_start_or(g.ctx, game::make_profile_select(g.ctx));
            CHECK(next->name() == "profile_select");
        }
    }
    WHEN("the second PIN differs") {
        g.press({SDLK_1, SDLK_2, SDLK_3, SDLK_4, SDLK_RETURN, SDLK_1, SDLK_2, SDLK_3, SDLK_5,
                 SDLK_RETURN});
        THEN("nothing is set and the PIN is asked again") {
            CHECK(g.top() == "clinician_first_start");
            CHECK_FALSE(profiles::has_pin(*g.store));
        }
    }
    WHEN("a PIN of three digits is entered") {
        g.press({SDLK_1, SDLK_2, SDLK_3, SDLK_RETURN});
        THEN("it is refused") {
            CHECK(g.top() == "clinician_first_start");
            CHECK_FALSE(profiles::has_pin(*g.store));
        }
    }
    WHEN("S chooses a home-only install") {
        g.press({SDLK_s});
        THEN("no PIN is set, the choice is kept and C opens the clinician side directly") {
            CHECK(g.top() == "profile_select");
            CHECK(profiles::pin_skipped(*g.store));
            g.press({SDLK_c});
            CHECK(g.top() == "clinician_home");
        }
    }
}

SCENARIO("the clinician side needs the PIN, and wrong PINs are rate-limited", "[clinician]") {
    Game g;
    g.player("Robin");
    REQUIRE(profiles::set_pin(*g.store, "2468").ok());
    g.start(game::make_profile_select(g.ctx));
    g.press({SDLK_c});
    REQUIRE(g.top() == "clinician_pin");

    WHEN("the right PIN is typed") {
        g.press({SDLK_2, SDLK_4, SDLK_6, SDLK_8, SDLK_RETURN});
        THEN("the clinician's home opens, and Esc locks it again") {
            CHECK(g.top() == "clinician_home");
            g.press({SDLK_ESCAPE});
            CHECK(g.top() == "profile_select");
        }
    }
    WHEN("a wrong PIN is typed three times") {
        for (int i = 0; i < 3; ++i) {
            g.press({SDLK_1, SDLK_1, SDLK_1, SDLK_1, SDLK_RETURN});
            CHECK(g.top() == "clinician_pin");
        }
        THEN("entry is locked, even for the right PIN") {
            CHECK(profiles::pin_wait_s(*g.store) > 0);
            g.press({SDLK_2, SDLK_4, SDLK_6, SDLK_8, SDLK_RETURN});
            CHECK(g.top() == "clinician_pin");
        }
    }
}

SCENARIO("the clinician edits a plan, archives and deletes profiles", "[clinician]") {
    Game g;
    const auto robin = g.player("Robin");
    const auto sam = g.player("Sam");
    g.start(game::make_profile_select(g.ctx));
    g.screens.push(game::make_clinician_home(g.ctx));
    g.screens.apply();
    REQUIRE(g.top() == "clinician_home"); // Robin is selected first

    WHEN("the cap on hold time is set below the hold") {
        g.press({SDLK_p});
        REQUIRE(g.top() == "clinician_plan");
        g.press_n(SDLK_DOWN, 16); // cap on hold time (Q2 and Q3 both hold 10 s)
        g.press({SDLK_LEFT, SDLK_RETURN});
        THEN("the plan is refused and the editor stays open with the edits") {
            CHECK(g.top() == "clinician_plan");
            CHECK(g.count("SELECT count(*) FROM plans") == 0);
        }
        AND_WHEN("the cap is raised above the hold and the plan saved") {
            g.press({SDLK_RIGHT, SDLK_RIGHT, SDLK_RETURN});
            THEN("it is stored") {
                CHECK(g.top() == "clinician_home");
                const auto plan = g.store->plan(robin.id);
                REQUIRE(plan.has_value());
                CHECK(plan->cap_hold_s == 11.0);
                CHECK(plan->dose.hold_s == 10.0);
            }
        }
    }
    WHEN("the protocol and a pain threshold are edited") {
        g.press({SDLK_p, SDLK_RIGHT});   // condition: kneecap pain
        g.press({SDLK_DOWN, SDLK_LEFT}); // side: right
        g.press_n(SDLK_DOWN, 35);        // stop the set at (page 2)
        g.press({SDLK_LEFT, SDLK_RETURN});
        THEN("they are stored") {
            CHECK(g.top() == "clinician_home");
            const auto plan = g.store->plan(robin.id).value();
            CHECK(plan.condition == "kneecap_pain");
            CHECK(plan.side == "right");
            CHECK(plan.thresholds.stop_set_at == g.loaded.content.tuning.pain.stop_set_at - 1);
            CHECK_FALSE(plan.thresholds.during_amber_at.has_value()); // unchanged: default
        }
    }
    WHEN("the band's lower edge gets a cap below the band (Q2: 20-30 % MVC)") {
        g.press({SDLK_p});
        g.press_n(SDLK_DOWN, 18); // limit: band's lower edge (not set)
        g.press({SDLK_RIGHT, SDLK_RIGHT, SDLK_RIGHT, SDLK_RETURN}); // 15 %
        THEN("it is refused; a cap of 25 % is stored") {
            CHECK(g.top() == "clinician_plan");
            CHECK(g.count("SELECT count(*) FROM plans") == 0);
            g.press({SDLK_RIGHT, SDLK_RIGHT, SDLK_RETURN});
            CHECK(g.top() == "clinician_home");
            const auto plan = g.store->plan(robin.id);
            REQUIRE(plan.has_value());
            CHECK(plan->band_low_cap_pct == 25.0);
        }
    }
    WHEN("A archives the selected profile") {
        g.press({SDLK_a});
        THEN("players no longer see it, its data stays, and A brings it back") {
            CHECK(profiles::is_archived(*g.store, robin.id));
            CHECK(g.store->profiles().size() == 1);
            CHECK(g.count("SELECT count(*) FROM sessions") == 2);
            g.press({SDLK_a}); // still selected, now listed last among the archived

            CHECK_FALSE(profiles::is_archived(*g.store, robin.id));
        }
    }
    WHEN("D is pressed and a wrong name typed") {
        g.press({SDLK_d});
        REQUIRE(g.top() == "clinician_delete");
        g.type("Sam");
        g.press({SDLK_RETURN});
        THEN("nothing is deleted") {
            CHECK(g.top() == "clinician_delete");
            CHECK(g.store->profile(robin.id).has_value());
        }
        AND_WHEN("Esc cancels") {
            g.press({SDLK_ESCAPE});
            CHECK(g.top() == "clinician_home");
            CHECK(g.count("SELECT count(*) FROM profiles") == 2);
        }
        AND_WHEN("the right name is typed and confirmed") {
            g.press_n(SDLK_BACKSPACE, 3);
            g.type("Robin");
            g.press({SDLK_RETURN});
            THEN("the profile and everything of it is gone, and only it") {
                CHECK(g.top() == "clinician_home");
                CHECK_FALSE(g.store->profile(robin.id).has_value());
                CHECK(g.count("SELECT count(*) FROM sessions WHERE profile_id = " +
                              std::to_string(robin.id)) == 0);
                CHECK(g.store->profile(sam.id).has_value());
                CHECK(g.count("SELECT count(*) FROM sessions") == 1);
            }
        }
    }
    WHEN("H opens the history") {
        g.press({SDLK_h});
        CHECK(g.top() == "clinician_history");
        g.press({SDLK_DOWN, SDLK_TAB, SDLK_ESCAPE});
        CHECK(g.top() == "clinician_home");
    }
}

SCENARIO("the clinician edits the squat plan, and its depth cap is checked", "[clinician][squat]") {
    Game g;
    const auto robin = g.player("Robin");
    g.start(game::make_profile_select(g.ctx));
    g.screens.push(game::make_clinician_home(g.ctx));
    g.screens.apply();
    g.press({SDLK_p, SDLK_PAGEDOWN}); // page 2: squat level
    REQUIRE(g.top() == "clinician_plan");
    g.press_n(SDLK_DOWN, 11); // limit: depth (45 without a plan)

    WHEN("the depth cap is raised above 90 degrees") {
        g.press_n(SDLK_RIGHT, 10); // 95
        g.press({SDLK_RETURN});
        THEN("nothing is saved and the editor stays open") {
            CHECK(g.top() == "clinician_plan");
            CHECK(g.count("SELECT count(*) FROM squat_plans") == 0);
            CHECK(g.count("SELECT count(*) FROM plans") == 0);
        }
    }
    WHEN("the depth cap is lowered below the depth") {
        g.press_n(SDLK_LEFT, 4); // 25, below S1's 30
        g.press({SDLK_RETURN});
        THEN("it is refused") {
            CHECK(g.top() == "clinician_plan");
            CHECK(g.count("SELECT count(*) FROM squat_plans") == 0);
        }
    }
    WHEN("a valid squat plan is set: depth 40 under a cap of 60, 2 sets") {
        g.press_n(SDLK_RIGHT, 3); // cap 60
        g.press_n(SDLK_UP, 8);    // depth
        g.press({SDLK_RIGHT, SDLK_RIGHT});
        g.press({SDLK_UP, SDLK_UP, SDLK_RIGHT}); // sets 2
        g.press({SDLK_RETURN});
        THEN("both plans are stored") {
            CHECK(g.top() == "clinician_home");
            const auto squat = profiles::squat_plan(*g.store, robin.id);
            REQUIRE(squat.has_value());
            CHECK(squat->dose.depth_deg == 40);
            CHECK(squat->dose.depth_cap_deg == 60);
            CHECK(squat->dose.sets == 2);
            CHECK(squat->cap_sets >= 2);
            CHECK(g.store->plan(robin.id).has_value());
        }
    }
    WHEN("another squat level is chosen") {
        g.press_n(SDLK_UP, 11);                         // squat level
        g.press({SDLK_RIGHT, SDLK_RIGHT, SDLK_RETURN}); // S3
        THEN("its dose is copied and the caps fit it") {
            CHECK(g.top() == "clinician_home");
            const auto squat = profiles::squat_plan(*g.store, robin.id).value();
            const auto* s3 = g.loaded.content.squat_level("S3");
            REQUIRE(s3 != nullptr);
            CHECK(squat.level_id == "S3");
            CHECK(squat.dose.sets == s3->dose.sets);
            CHECK(squat.dose.pause_s == s3->dose.pause_s);
            CHECK(squat.cap_sets >= s3->dose.sets);
        }
    }
}

TEST_CASE("X exports a profile from the clinician's home into the documents folder",
          "[clinician][export]") {
    Game g;
    const auto robin = g.player("Robin");
    const fs::path docs = g.dir / "docs";
    REQUIRE(::setenv("XDG_DOCUMENTS_DIR", docs.c_str(), 1) == 0);
    g.start(game::make_profile_select(g.ctx));
    g.screens.push(game::make_clinician_home(g.ctx));
    g.screens.apply();
    g.press({SDLK_x});
    REQUIRE(g.top() == "clinician_export");
    SECTION("CSV, every date") {
        g.press({SDLK_RETURN});
        const fs::path dir = docs / "Quadventure";
        const fs::path sessions = dir / ("profile-" + std::to_string(robin.id) + "-sessions.csv");
        REQUIRE(fs::exists(sessions));
        struct stat st {};
        REQUIRE(::stat(sessions.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        REQUIRE(::stat(dir.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0700);
    }
    SECTION("FHIR, the last 4 weeks") {
        g.press({SDLK_RIGHT, SDLK_DOWN, SDLK_RIGHT, SDLK_RETURN});
        int files = 0;
        for (const auto& e : fs::directory_iterator(docs / "Quadventure")) {
            CHECK(e.path().string().find(".fhir.json") != std::string::npos);
            struct stat st {};
            REQUIRE(::stat(e.path().c_str(), &st) == 0);
            CHECK((st.st_mode & 0777) == 0600);
            ++files;
        }
        CHECK(files == 1);
    }
    g.press({SDLK_ESCAPE});
    CHECK(g.top() == "clinician_home");
    ::unsetenv("XDG_DOCUMENTS_DIR");
}

// Not run by default: QV_CLINICIAN_SHOTS=<dir> test_game "[.shots]" writes a PNG of each
// clinician screen, drawn by the real Gfx on a software renderer, to look at.
TEST_CASE("clinician screens drawn to PNG files", "[.shots]") {
    const char* out = std::getenv("QV_CLINICIAN_SHOTS");
    if (out == nullptr) {
        WARN("set QV_CLINICIAN_SHOTS to a directory to draw the clinician screens");
        return;
    }
    REQUIRE(TTF_Init() == 0);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, game::Gfx::kWidth, game::Gfx::kHeight,
                                                          32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    REQUIRE(renderer != nullptr);
    {
        const auto [regular, bold] = game::find_fonts({});
        game::Gfx gfx(renderer, regular, bold);
        REQUIRE(gfx.fonts_ok());
        Game g;
        const auto robin = g.player("Robin");
        g.player("Sam");
        const auto kim = g.player("Kim");
        REQUIRE(g.store->set_child(kim.id, true).ok());
        REQUIRE(profiles::archive_profile(*g.store, kim.id).ok());
        profiles::PainEntry pain;
        pain.profile_id = robin.id;
        pain.session_id = 1;
        pain.score = 3;
        pain.recorded_at = profiles::now_iso8601();
        REQUIRE(g.store->add_pain(pain).ok());
        profiles::DecisionRecord d;
        d.profile_id = robin.id;
        d.session_id = 1;
        d.light = "green";
        d.action = "hold";
        d.reason_code = "not_enough_sessions";
        d.reason = "We need 2 sessions to see how your knee responds; so far 1, so the exercise "
                   "stays the same.";
        REQUIRE(g.store->add_decision(d).ok());
        const auto shot = [&](const std::string& name) {
            g.screens.apply();
            g.screens.top()->step(0.1);
            g.screens.draw(gfx);
            CHECK(gfx.save_png(fs::path(out) / (name + ".png")));
        };
        g.start(game::make_first_start_or(g.ctx, game::make_profile_select(g.ctx)));
        shot("first_start");
        g.press({SDLK_1, SDLK_2, SDLK_3, SDLK_RETURN});
        shot("first_start_error");
        g.press({SDLK_BACKSPACE, SDLK_BACKSPACE, SDLK_BACKSPACE, SDLK_2, SDLK_4, SDLK_6, SDLK_8,
                 SDLK_RETURN, SDLK_2, SDLK_4, SDLK_6, SDLK_8, SDLK_RETURN});
        shot("profile_select");
        g.press({SDLK_c, SDLK_1, SDLK_1, SDLK_1, SDLK_1, SDLK_RETURN});
        shot("pin_wrong");
        g.press({SDLK_1, SDLK_1, SDLK_1, SDLK_1, SDLK_RETURN, SDLK_1, SDLK_1, SDLK_1, SDLK_1,
                 SDLK_RETURN, SDLK_1, SDLK_2});
        shot("pin_locked");
        g.press({SDLK_ESCAPE});
        g.screens.push(game::make_clinician_home(g.ctx));
        shot("home");
        g.press({SDLK_p});
        shot("plan");
        g.press_n(SDLK_DOWN, 16);
        g.press({SDLK_LEFT, SDLK_RETURN});
        shot("plan_refused");
        g.press({SDLK_RIGHT, SDLK_PAGEDOWN});
        shot("plan_squats");
        g.press_n(SDLK_DOWN, 11);
        g.press_n(SDLK_RIGHT, 10);
        g.press({SDLK_RETURN});
        shot("plan_squats_refused");
        g.press({SDLK_ESCAPE, SDLK_x});
        ::setenv("XDG_DOCUMENTS_DIR", (g.dir / "docs").c_str(), 1);
        g.press({SDLK_RETURN});
        shot("export");
        ::unsetenv("XDG_DOCUMENTS_DIR");
        g.press({SDLK_ESCAPE, SDLK_h});
        shot("history");
        g.press({SDLK_TAB});
        shot("history_decisions");
        g.press({SDLK_ESCAPE, SDLK_e});
        shot("profile_edit");
        g.press({SDLK_ESCAPE, SDLK_d});
        g.type("Rob");
        shot("delete_confirm");
        g.press({SDLK_ESCAPE, SDLK_UP});
        shot("home_archived");
    }
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    TTF_Quit();
}
