// The waiting-room kiosk against a real database and the real screens: guests never join the
// player's list and their visit ends as the clinic chose; the settings refuse what they cannot
// keep; the attract screen, the avatar pick and the goodbye draw no name; the idle timer warns,
// then ends the visit and closes a session left in progress; leaving needs the clinician PIN.

#include "game/gfx.hpp"
#include "game/kiosk.hpp"
#include "game_fixture.hpp"
#include "profiles/clinician_store.hpp"
#include "profiles/kiosk_store.hpp"

#include <SDL_ttf.h>
#include <catch2/catch.hpp>

using namespace qv;
using test::Game;

namespace {

/// A game with the kiosk on: the fixture's profile "Robin" is a player, nobody is picked yet.
struct KioskGame : Game {
    game::Kiosk kiosk{loaded.content.tuning.kiosk,
                      profiles::KioskSettings{true, profiles::GuestData::Discard, 60}};
    KioskGame() {
        ctx.kiosk = &kiosk;
        ctx.profile.reset();
    }
    std::int64_t begin_session(std::int64_t profile_id) {
        profiles::SessionRecord s;
        s.profile_id = profile_id;
        s.source.driver = "keyboard";
        s.level_id = "Q2";
        return store->begin_session(s).value();
    }
};

/// Every string the top screens draw, on the real Gfx over a software renderer.
struct DrawnText {
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, game::Gfx::kWidth, game::Gfx::kHeight,
                                                          32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
    std::unique_ptr<game::Gfx> gfx;
    std::vector<std::string> seen;
    DrawnText() {
        REQUIRE(TTF_Init() == 0);
        REQUIRE(renderer != nullptr);
        const auto [regular, bold] = game::find_fonts({});
        gfx = std::make_unique<game::Gfx>(renderer, regular, bold);
        REQUIRE(gfx->fonts_ok());
        gfx->set_text_observer([this](const std::string& s) { seen.push_back(s); });
    }
    ~DrawnText() {
        gfx.reset();
        SDL_DestroyRenderer(renderer);
        SDL_FreeSurface(surface);
        TTF_Quit();
    }
    /// Draws the stack and returns what it wrote, joined.
    std::string draw(game::ScreenStack& screens) {
        seen.clear();
        gfx->clear(game::palette::sky_bottom);
        screens.draw(*gfx);
        gfx->end_frame();
        std::string all;
        for (const auto& s : seen) {
            all += s + "\n";
        }
        return all;
    }
};

} // namespace

TEST_CASE("kiosk guests are never in the player's list, and a visit ends as the clinic chose",
          "[kiosk]") {
    Game g;
    auto& store = *g.store;
    const auto players = store.profiles().size();
    auto guest = profiles::create_guest(store, "", "Q2");
    REQUIRE(guest.ok());
    CHECK(guest->guest);
    CHECK(store.profiles().size() == players);
    CHECK(store.profile(guest->id)->guest);

    SECTION("kept: archived, anonymous, and out of the clinician's archive list") {
        profiles::SessionRecord s;
        s.profile_id = guest->id;
        s.source.driver = "keyboard";
        s.level_id = "Q2";
        const auto id = store.begin_session(s).value();
        REQUIRE(store.finish_session(id, profiles::SessionStatus::Completed, 1, 3).ok());
        REQUIRE(profiles::end_guest_visit(store, guest->id, profiles::GuestData::Keep).ok());
        CHECK(profiles::is_archived(store, guest->id));
        CHECK(profiles::archived_profiles(store).empty());
        CHECK(g.count("SELECT count(*) FROM sessions WHERE profile_id = " +
                      std::to_string(guest->id)) == 1);
        const auto totals = profiles::guest_totals(store);
        CHECK(totals.guests == 1);
        CHECK(totals.sessions == 1);
    }
    SECTION("discarded: the guest and everything it recorded are gone") {
        g.ctx.kiosk = nullptr;
        profiles::SessionRecord s;
        s.profile_id = guest->id;
        s.source.driver = "keyboard";
        s.level_id = "Q2";
        REQUIRE(store.begin_session(s).ok());
        REQUIRE(profiles::end_guest_visit(store, guest->id, profiles::GuestData::Discard).ok());
        CHECK_FALSE(store.profile(guest->id).has_value());
        CHECK(g.count("SELECT count(*) FROM sessions WHERE profile_id = " +
                      std::to_string(guest->id)) == 0);
    }
    SECTION("a player's profile can never be ended as a guest") {
        const auto robin = store.profiles().front();
        const auto r = profiles::end_guest_visit(store, robin.id, profiles::GuestData::Discard);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("not a kiosk guest"));
        CHECK(store.profile(robin.id).has_value());
    }
    SECTION("visits left open by a killed game are ended at the next start") {
        auto second = profiles::create_guest(store, "fox", "Q2");
        REQUIRE(second.ok());
        const auto ended = profiles::end_open_guest_visits(store, profiles::GuestData::Discard);
        REQUIRE(ended.ok());
        CHECK(ended.value() == 2);
        CHECK(g.count("SELECT count(*) FROM profiles WHERE guest = 1") == 0);
        CHECK(store.profiles().size() == players);
    }
}

TEST_CASE("kiosk settings are kept, and values they cannot keep are refused or ignored",
          "[kiosk]") {
    Game g;
    auto& store = *g.store;
    const profiles::KioskSettings defaults{false, profiles::GuestData::Discard, 90};
    CHECK(profiles::kiosk_settings(store, defaults) == defaults);

    const profiles::KioskSettings chosen{true, profiles::GuestData::Keep, 120};
    REQUIRE(profiles::set_kiosk_settings(store, chosen).ok());
    CHECK(profiles::kiosk_settings(store, defaults) == chosen);

    const auto bad = profiles::set_kiosk_settings(store, {true, profiles::GuestData::Keep, 5});
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains("5 s") && Catch::Contains("20 to 900"));
    CHECK(profiles::kiosk_settings(store, defaults) == chosen);

    // A value damaged in the file keeps the default, one key at a time.
    REQUIRE(profiles::set_setting(store, "kiosk.idle_timeout_s", "soon").ok());
    REQUIRE(profiles::set_setting(store, "kiosk.guest_data", "shred").ok());
    const auto read = profiles::kiosk_settings(store, defaults);
    CHECK(read.enabled);
    CHECK(read.guest_data == profiles::GuestData::Discard);
    CHECK(read.idle_timeout_s == 90);
}

TEST_CASE("the kiosk's attract, avatar pick and goodbye screens never draw a name", "[kiosk]") {
    KioskGame g;
    REQUIRE(g.store->create_profile("Alexandra", "fox", "Q2").ok());
    REQUIRE(g.store->create_profile("Sam Sample", "fox", "Q2").ok()); // the same animal
    DrawnText text;
    g.start(game::make_profile_select(g.ctx)); // with the kiosk on: the attract screen
    REQUIRE(g.top() == "kiosk_attract");
    auto drawn = text.draw(g.screens);
    CHECK_THAT(drawn, Catch::Contains(g.ctx.t("kiosk.attract.invite")));

    g.press({SDLK_SPACE});
    REQUIRE(g.top() == "kiosk_pick");
    drawn = text.draw(g.screens);
    CHECK_THAT(drawn, Catch::Contains(g.ctx.t("kiosk.pick.guest")));
    for (const char* name : {"Robin", "Alexandra", "Sam"}) {
        CHECK_THAT(drawn, !Catch::Contains(name));
    }
    CHECK_THAT(drawn, Catch::Contains("1") && Catch::Contains("2")); // the two foxes: numbered

    // Guest is offered first; one step left is the last player, Sam Sample.
    g.press({SDLK_LEFT, SDLK_RETURN});
    REQUIRE(g.top() == "choose_game");
    REQUIRE(g.ctx.profile.has_value());
    CHECK(g.ctx.profile->name == "Sam Sample");
    drawn = text.draw(g.screens);
    CHECK_THAT(drawn, !Catch::Contains("Sam"));

    // Every way "home" is the goodbye, which ends the visit by itself.
    g.screens.reset(game::make_profile_home(g.ctx));
    g.screens.apply();
    REQUIRE(g.top() == "kiosk_goodbye");
    drawn = text.draw(g.screens);
    CHECK_THAT(drawn, !Catch::Contains("Sam"));
    CHECK_THAT(drawn, Catch::Contains(g.ctx.t("kiosk.goodbye.kept")));
    for (int i = 0; i < 60 * 10 && g.top() == "kiosk_goodbye"; ++i) {
        g.screens.top()->step(1.0 / 60);
        g.screens.apply();
    }
    CHECK(g.top() == "kiosk_attract");
    CHECK_FALSE(g.ctx.profile.has_value());
    CHECK(g.store->profile(g.store->profiles().back().id).has_value()); // a player stays
}

TEST_CASE("a guest is picked by a tap and its visit leaves nothing when the clinic discards",
          "[kiosk]") {
    KioskGame g;
    g.start(game::make_kiosk_attract(g.ctx));
    g.press({SDLK_RETURN});
    REQUIRE(g.top() == "kiosk_pick");
    DrawnText text;
    text.draw(g.screens); // lays the cards out
    // Two cards (Robin, Guest) centred: Guest is the right one.
    SDL_Event tap{};
    tap.type = SDL_MOUSEBUTTONDOWN;
    tap.button.button = SDL_BUTTON_LEFT;
    tap.button.x = game::Gfx::kWidth / 2 + 120;
    tap.button.y = 270;
    g.screens.handle(tap);
    g.screens.apply();
    REQUIRE(g.top() == "choose_game");
    REQUIRE(g.ctx.profile.has_value());
    REQUIRE(g.ctx.profile->guest);
    const auto guest_id = g.ctx.profile->id;
    g.ctx.draft.session_id = g.begin_session(guest_id);

    game::end_kiosk_visit(g.ctx, "test");
    g.screens.apply();
    CHECK(g.top() == "kiosk_attract");
    CHECK_FALSE(g.store->profile(guest_id).has_value());
    CHECK(g.count("SELECT count(*) FROM sessions") == 0);
}

TEST_CASE("the kiosk's idle timer warns, then ends the visit and closes its session", "[kiosk]") {
    KioskGame g;
    g.kiosk.set_settings({true, profiles::GuestData::Keep, 60});
    const double warn = g.kiosk.params().warning_s;
    auto guest = profiles::create_guest(*g.store, "", "Q2");
    REQUIRE(guest.ok());
    g.ctx.profile = *guest;
    const auto session_id = g.begin_session(guest->id);
    g.ctx.draft.session_id = session_id;
    g.start(game::make_choose_game(g.ctx));

    CHECK(g.kiosk.step(1.0, false) == game::KioskIdle::Active); // on the attract screen: no timer
    CHECK(g.kiosk.idle_s() == 0);
    double t = 0;
    game::KioskIdle state = game::KioskIdle::Active;
    while (state == game::KioskIdle::Active && t < 120) {
        state = g.kiosk.step(0.5, true);
        t += 0.5;
    }
    CHECK(state == game::KioskIdle::Warning);
    CHECK(t == Approx(60 - warn).margin(0.5));

    g.kiosk.note_input(); // "still there?" answered
    CHECK(g.kiosk.step(0.5, true) == game::KioskIdle::Active);
    CHECK(g.kiosk.seconds_left() == Approx(59.5));

    t = 0;
    while (state != game::KioskIdle::TimedOut && t < 120) {
        state = g.kiosk.step(0.5, true);
        t += 0.5;
    }
    REQUIRE(state == game::KioskIdle::TimedOut);
    CHECK(t == Approx(59.5).margin(0.5));
    game::end_kiosk_visit(g.ctx, "idle");
    g.screens.apply();
    CHECK(g.top() == "kiosk_attract");
    CHECK_FALSE(g.ctx.profile.has_value());
    const auto s = g.store->session(session_id);
    REQUIRE(s.has_value());
    CHECK(s->status == profiles::SessionStatus::Aborted); // ended early; finished sets stay
    CHECK(profiles::is_archived(*g.store, guest->id));    // kept, anonymous
}

TEST_CASE("only people wake the kiosk: keys, taps and buttons, not window events", "[kiosk]") {
    SDL_Event e{};
    for (auto type : {SDL_KEYDOWN, SDL_MOUSEBUTTONDOWN, SDL_FINGERDOWN, SDL_CONTROLLERBUTTONDOWN,
                      SDL_JOYBUTTONDOWN}) {
        e.type = type;
        CHECK(game::Kiosk::is_person(e));
    }
    for (auto type : {SDL_WINDOWEVENT, SDL_KEYUP, SDL_MOUSEMOTION, SDL_QUIT, SDL_JOYDEVICEADDED}) {
        e.type = type;
        CHECK_FALSE(game::Kiosk::is_person(e));
    }
}

TEST_CASE("leaving the kiosk needs the clinician PIN", "[kiosk]") {
    KioskGame g;
    REQUIRE(profiles::set_pin(*g.store, "4321", profiles::PinHashCost{1, 8u << 20}).ok());
    g.start(game::make_kiosk_attract(g.ctx));
    g.press({SDLK_ESCAPE});
    REQUIRE(g.top() == "kiosk_pin");
    g.press({SDLK_1, SDLK_2, SDLK_3, SDLK_4, SDLK_RETURN});
    CHECK(g.top() == "kiosk_pin"); // wrong: still asking
    CHECK_FALSE(g.ctx.quit);
    g.press({SDLK_q}); // not a way out either
    CHECK(g.top() == "kiosk_pin");
    CHECK_FALSE(g.ctx.quit);

    g.press({SDLK_4, SDLK_3, SDLK_2, SDLK_1, SDLK_RETURN});
    REQUIRE(g.top() == "kiosk_admin");
    SECTION("Esc goes back to the waiting room") {
        g.press({SDLK_ESCAPE});
        CHECK(g.top() == "kiosk_attract");
        CHECK_FALSE(g.ctx.quit);
    }
    SECTION("Q closes the game") {
        g.press({SDLK_q});
        CHECK(g.ctx.quit);
    }
    SECTION("C opens the clinician screens, and locking them comes back to the kiosk") {
        g.press({SDLK_c});
        REQUIRE(g.top() == "clinician_home");
        g.press({SDLK_ESCAPE});
        CHECK(g.top() == "kiosk_attract");
    }
}

TEST_CASE("the clinician's kiosk settings refuse the kiosk without a PIN, then save it",
          "[kiosk]") {
    Game g;
    g.start(game::make_kiosk_settings(g.ctx));
    REQUIRE(g.top() == "clinician_kiosk");
    g.press({SDLK_RIGHT, SDLK_RETURN}); // kiosk on, no PIN yet
    const profiles::KioskSettings defaults{false, profiles::GuestData::Discard, 90};
    CHECK_FALSE(profiles::kiosk_settings(*g.store, defaults).enabled);

    REQUIRE(profiles::set_pin(*g.store, "4321", profiles::PinHashCost{1, 8u << 20}).ok());
    // Guest data: keep. Idle timeout: one step up from 90 s.
    g.press({SDLK_DOWN, SDLK_RIGHT, SDLK_DOWN, SDLK_RIGHT, SDLK_RETURN});
    const auto saved = profiles::kiosk_settings(*g.store, defaults);
    CHECK(saved.enabled);
    CHECK(saved.guest_data == profiles::GuestData::Keep);
    CHECK(saved.idle_timeout_s == 120);
}
