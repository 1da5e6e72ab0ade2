#pragma once
// A game without a window for screen tests: real content, a real SQLite file in a scratch
// directory, the storage thread, the input hub on a manual clock and the screen stack.

#include "content/content.hpp"
#include "core/clock.hpp"
#include "game/audio.hpp"
#include "game/autopilot.hpp"
#include "game/context.hpp"
#include "game/screen.hpp"
#include "game/screens/screens.hpp"
#include "input/hub.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sqlite3.h>

namespace qv::test {

namespace fs = std::filesystem;

inline fs::path game_scratch() {
    std::string tmpl = "/tmp/qv-game-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    return tmpl;
}

/// A game without a window: real content, store, storage thread, input hub and screen stack.
struct Game {
    fs::path dir = game_scratch();
    content::LoadResult loaded = content::load_builtin();
    std::unique_ptr<profiles::Store> store = std::move(profiles::Store::open(dir / "q.db").value());
    std::unique_ptr<profiles::StorageWorker> worker =
        std::move(profiles::StorageWorker::start(dir / "q.db").value());
    ManualClock clock{1'000'000};
    input::InputHub hub{clock, loaded.content.tuning.filter};
    game::Audio audio{{}};
    game::ScreenStack screens;
    game::Context ctx{loaded.content, *store, *worker,      hub, {}, audio, screens,
                      clock,          false,  std::nullopt, {},  {}, false};

    explicit Game(bool child = false) {
        auto p = store->create_profile("Robin", "owl", "Q2").value();
        if (child) {
            REQUIRE(store->set_child(p.id, true).ok());
            p.child = true;
        }
        ctx.profile = p;
    }
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
    std::string top() const { return screens.top() ? screens.top()->name() : ""; }
    long long count(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(store->handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        const auto v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
};

/// Starts the play screen with the virtual patient on the manual clock at Q2's dose.
inline void start_play(Game& g) {
    REQUIRE(g.ctx.use_source("simulator"));
    g.ctx.draft.pain_before = 2;
    g.ctx.draft.dose = g.loaded.content.level("Q2")->dose;
    g.ctx.draft.stair.floor = 1;
    g.ctx.draft.stair.ceiling = 8;
    g.ctx.draft.stair_state.value = 5;
    g.start(game::make_play(g.ctx));
    REQUIRE(g.ctx.draft.session_id != 0);
}
/// Runs the top screen for `seconds` of game time at 60 frames per second.
inline void run(Game& g, double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 60); ++i) {
        g.clock.advance(from_seconds(1.0 / 60));
        g.hub.pump();
        g.screens.top()->step(1.0 / 60);
        g.screens.apply();
    }
}

} // namespace qv::test
