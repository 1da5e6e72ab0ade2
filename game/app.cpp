#include "game/app.hpp"

#include "content/content.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "game/audio.hpp"
#include "game/autopilot.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/input_map.hpp"
#include "game/joystick.hpp"
#include "game/kiosk.hpp"
#include "game/preferences.hpp"
#include "game/screens/screens.hpp"
#include "game/widgets.hpp"
#include "input/drivers/keyboard/keyboard.hpp"
#include "input/drivers/replay/recorded_source.hpp"
#include "input/registry.hpp"
#include "input/usb_watch.hpp"
#include "profiles/clinician_store.hpp"
#include "profiles/kiosk_store.hpp"
#include "profiles/squat_store.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"
#include "report/cli.hpp"

#include <CLI/CLI.hpp>
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_mixer.h>
#include <SDL_ttf.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <set>

#ifndef QV_VERSION
#define QV_VERSION "0.0.0"
#endif

namespace qv::game {

namespace fs = std::filesystem;

namespace {

struct Options {
    bool demo = false;
    bool watch = false;
    bool fullscreen = false;
    bool list_sensors = false;
    std::string check_content;
    bool check_content_set = false;
    std::string data_dir;
    std::string content_dir;
    std::string screenshot;
    std::string screen;
    int frames = 0;
    std::string screenshot_dir;
    std::uint64_t seed = 20261124;
    std::string level;
    std::string log_level = "info";
    std::string record;
    std::string replay;
    bool reset_pin = false;
    std::string game = "balloon";
    bool child = false;     ///< --demo: play as a child's profile
    std::string squat_mode; ///< --demo: the squat mode the autopilot chooses (empty: the default)
    bool kiosk = false;
    double soak_hours = 0;
};

fs::path exe_path() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p;
}

/// RAII for SDL and its satellite libraries.
struct SdlLibraries {
    bool ok = false;
    SdlLibraries() {
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0) {
            std::cerr << "quadventure: cannot start SDL: " << SDL_GetError() << "\n";
            return;
        }
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
            log::get("audio")->warn("no audio: {}", SDL_GetError());
        }
        if (TTF_Init() != 0) {
            std::cerr << "quadventure: cannot start SDL_ttf: " << TTF_GetError() << "\n";
            return;
        }
        IMG_Init(IMG_INIT_PNG);
        ok = true;
    }
    ~SdlLibraries() {
        IMG_Quit();
        TTF_Quit();
        SDL_Quit();
    }
};

int list_sensors() {
    std::cout << "Supported input drivers:\n";
    for (const auto& d : input::drivers()) {
        std::cout << fmt::format("  {:<14} {}", d.id, d.description);
        if (d.transport == input::Transport::Usb) {
            std::cout << fmt::format("  (USB {:04x}:{:04x})", d.usb_vendor, d.usb_product);
        }
        std::cout << (d.measures ? "" : "  [not a measurement]") << "\n";
    }
    std::string error;
    const auto ids = input::usb_ids();
    const auto found = input::connected_usb_devices(ids, &error);
    if (!error.empty()) {
        std::cout << "Connected USB sensors: cannot look (" << error << ")\n";
        return 0;
    }
    std::cout << "Connected USB sensors:" << (found.empty() ? " none\n" : "\n");
    for (const auto& dev : found) {
        const auto* row = input::find_usb_driver(dev.id.vendor, dev.id.product);
        std::cout << fmt::format("  {:<14} USB {:04x}:{:04x} on bus {} device {}\n",
                                 row != nullptr ? row->id : "?", dev.id.vendor, dev.id.product,
                                 dev.bus, dev.address);
    }
    return 0;
}

/// Prints what the demo stored, from the database itself.
void print_demo_summary(Context& ctx, const fs::path& db) {
    const auto& d = ctx.draft;
    std::cout << "\nDemo finished.\n";
    if (!ctx.profile || d.session_id == 0) {
        std::cout << "  No session was stored.\n";
        return;
    }
    const auto history = ctx.store.recent_sessions(ctx.profile->id, 1);
    if (history.empty()) {
        return;
    }
    const auto& s = history.front();
    std::cout << fmt::format("  profile        {} (id {})\n", ctx.profile->name, ctx.profile->id);
    std::cout << fmt::format("  session        {} ({}), source {}, level {}\n", s.session.id,
                             profiles::to_string(s.session.status), s.session.source.driver,
                             s.session.level_id);
    if (d.exercise == "squat") {
        const auto sets = profiles::squat_sets_of(ctx.store, d.session_id);
        int done = 0, total = 0, deep = 0;
        for (const auto& set : sets) {
            for (const auto& r : set.reps) {
                ++total;
                done += r.success ? 1 : 0;
                deep += r.violations > 0 ? 1 : 0;
            }
        }
        std::cout << fmt::format(
            "  squats         {} of {} on the path in {} set(s), game {}, {}\n", done, total,
            sets.size(), d.game, squat_mode_name(d.squat_mode));
        std::cout << fmt::format("  past the cap   {}\n", deep);
    } else {
        std::cout << fmt::format("  holds          {} of {} completed in {} set(s), game {}\n",
                                 s.reps_done, s.reps_total, s.sets_done, d.game);
        std::cout << fmt::format("  time in band   {:.1f} s per hold on average\n",
                                 s.mean_time_in_band_s);
    }
    std::cout << fmt::format("  stars          {}\n", s.session.stars);
    std::cout << fmt::format("  pain           before {}, after {}\n", s.pain_before, s.pain_after);
    if (d.calibration) {
        std::cout << fmt::format("  calibration    100 % MVC = {:.0f} N\n", d.calibration->mvc_n);
    }
    std::cout << fmt::format("  database       {}\n", db.string());
}

/// The soak test's memory record: resident memory at the end of every kiosk visit.
class SoakMeter {
  public:
    void visit_done(Micros now_us) {
        ++visits_;
        const long kb = rss_kb();
        if (visits_ == kWarmUpVisits) {
            warm_kb_ = kb;
            warm_us_ = now_us;
        }
        last_kb_ = kb;
        peak_kb_ = std::max(peak_kb_, kb);
    }
    void print(std::ostream& out, Micros now_us) const {
        const double hours = to_seconds(now_us) / 3600.0;
        out << fmt::format("\nSoak finished: {} kiosk visits in {:.2f} h of game time.\n",
                           visits_ - 1, hours);
        if (warm_kb_ <= 0 || visits_ <= kWarmUpVisits) {
            out << "  too few visits to compare memory\n";
            return;
        }
        const double growth =
            100.0 * static_cast<double>(last_kb_ - warm_kb_) / static_cast<double>(warm_kb_);
        out << fmt::format("  resident memory after visit {} (at {:.2f} h): {} KiB\n",
                           kWarmUpVisits - 1, to_seconds(warm_us_) / 3600.0, warm_kb_);
        out << fmt::format("  resident memory at the end: {} KiB (peak {} KiB)\n", last_kb_,
                           peak_kb_);
        out << fmt::format("  growth: {:+.2f} %\n", growth);
    }

  private:
    // The first visit (counted when the attract screen first shows) fills caches: glyphs, sounds,
    // prepared statements. Growth is measured from the end of the second visit.
    static constexpr int kWarmUpVisits = 3;
    static long rss_kb() {
        std::ifstream status("/proc/self/status");
        std::string key;
        while (status >> key) {
            if (key == "VmRSS:") {
                long kb = 0;
                status >> kb;
                return kb;
            }
            status.ignore(4096, '\n');
        }
        return 0;
    }
    int visits_ = 0;
    long warm_kb_ = 0, last_kb_ = 0, peak_kb_ = 0;
    Micros warm_us_ = 0;
};

} // namespace

int run_main(int argc, char** argv) {
    // Exports are a command of their own (report/cli.hpp): no window, no SDL.
    const std::vector<std::string> words(argv + 1, argv + argc);
    if (std::find(words.begin(), words.end(), "--export") != words.end() ||
        std::any_of(words.begin(), words.end(),
                    [](const std::string& w) { return w.rfind("--export=", 0) == 0; })) {
        return report::export_main(words, std::cout, std::cerr);
    }
    CLI::App cli{"Quadventure: a knee rehabilitation exercise game"};
    Options o;
    cli.set_version_flag("--version", std::string("quadventure ") + QV_VERSION);
    cli.add_flag("--demo", o.demo,
                 "Headless demonstration: a virtual patient plays a whole session with no window, "
                 "on an accelerated clock; the session is stored like any other");
    cli.add_flag("--watch", o.watch, "With --demo: show the window and play in real time");
    cli.add_flag("--fullscreen", o.fullscreen, "Start fullscreen");
    cli.add_flag("--kiosk", o.kiosk,
                 "Waiting-room kiosk: fullscreen, an attract screen, avatars and Guest (no names), "
                 "idle reset; leaving needs the clinician PIN (docs/kiosk.md)");
    cli.add_option("--soak", o.soak_hours,
                   "With --demo --kiosk: keep playing visits for this many hours of game time and "
                   "report memory (the soak test; docs/kiosk.md)");
    cli.add_flag("--list-sensors", o.list_sensors, "List supported and connected sensors");
    cli.add_flag("--reset-pin", o.reset_pin,
                 "Remove a forgotten clinician PIN (keeps every profile and session), then exit");
    cli.add_option("--check-content", o.check_content,
                   "Validate content files (default: the installed content) and exit")
        ->expected(0, 1);
    cli.add_option("--data-dir", o.data_dir, "Directory for the database (default: XDG data dir)");
    cli.add_option("--content-dir", o.content_dir, "Content directory to load");
    cli.add_option("--screenshot", o.screenshot,
                   "Write a PNG of the screen named by --screen (or of frame --frames) and exit");
    cli.add_option("--screen", o.screen, "Screen to photograph with --screenshot");
    cli.add_option("--frames", o.frames, "Frame to photograph with --screenshot (default 60)");
    cli.add_option("--screenshot-dir", o.screenshot_dir,
                   "Write a PNG of every screen the game shows into this directory");
    cli.add_option("--seed", o.seed, "Seed for the virtual patient and the physics");
    cli.add_option("--level", o.level, "With --demo: the quad-set level to play (e.g. Q3)");
    cli.add_option(
        "--game", o.game,
        "With --demo: the game to play (balloon, tower, rider or diver; see games.toml)");
    cli.add_flag("--child", o.child,
                 "With --demo: play as a child's profile (child mode: faces pain scale, short "
                 "levels, praise and tokens)");
    cli.add_option("--squat-mode", o.squat_mode,
                   "With --demo and a squat game: knee-angle (default), load-share or "
                   "sit-to-stand (the virtual patient on a force pad)")
        ->check(CLI::IsMember({"knee-angle", "load-share", "sit-to-stand"}));
    cli.add_option("--log-level", o.log_level, "trace, debug, info, warn, error or off");
    std::string export_format;
    cli.add_option("--export", export_format,
                   "Export one profile's data for a clinician as csv, fhir or pdf, then exit (its "
                   "own options: see the man page or docs/exports.md)");
    cli.add_option("--record", o.record,
                   "Record every sample of the sensor played into this file (.qvrec, "
                   "docs/recording-format.md)");
    cli.add_option("--replay", o.replay,
                   "Offer this recording as a sensor: it plays back through the same pipeline "
                   "(with --demo, the demo plays it)");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    o.check_content_set = cli.count("--check-content") > 0;
    log::set_level(spdlog::level::from_str(o.log_level));
    auto logger = log::get("game");

    if (o.list_sensors) {
        return list_sensors();
    }

    // Content.
    std::optional<fs::path> content_dir;
    if (!o.content_dir.empty()) {
        content_dir = fs::path(o.content_dir);
    } else {
        content_dir = content::find_content_dir(exe_path());
    }
    if (o.check_content_set) {
        const fs::path dir =
            o.check_content.empty() ? content_dir.value_or(fs::path()) : fs::path(o.check_content);
        if (dir.empty()) {
            std::cerr << "quadventure: no content directory found (set QV_CONTENT_DIR)\n";
            return 1;
        }
        return content::check_content(dir, std::cout);
    }
    auto loaded = content_dir ? content::load(*content_dir) : content::load_builtin();
    for (const auto& err : loaded.errors) {
        logger->warn("content: {} (using the built-in default instead)", err.to_string());
    }
    const content::Content& content = loaded.content;
    if (content.quadset_levels.empty()) {
        std::cerr << "quadventure: no quad-set levels in the content\n";
        return 1;
    }

    if (content.game(o.game) == nullptr) {
        std::cerr << "quadventure: --game " << o.game << ": no such game in the content\n";
        return 1;
    }

    int level_index = -1;
    for (std::size_t i = 0; i < content.quadset_levels.size(); ++i) {
        if (content.quadset_levels[i].id == o.level) {
            level_index = static_cast<int>(i);
        }
    }
    if (!o.level.empty() && level_index < 0) {
        std::cerr << "quadventure: --level " << o.level << ": no such level in the content\n";
        return 1;
    }

    if (!o.replay.empty()) {
        if (auto rec = input::read_recording(o.replay); !rec) {
            std::cerr << "quadventure: --replay: " << rec.error().message << "\n";
            return 1;
        }
    }

    // Storage.
    const fs::path db = o.data_dir.empty() ? profiles::default_database_path()
                                           : fs::path(o.data_dir) / "quadventure.db";
    if (o.reset_pin) {
        if (auto r = profiles::reset_pin_in(db); !r) {
            std::cerr << "quadventure: cannot reset the PIN: " << r.error().message << "\n";
            return 1;
        }
        std::cout << "The clinician PIN was removed; every profile and session was kept.\n"
                     "Start Quadventure to set a new PIN.\n";
        return 0;
    }
    auto store = profiles::Store::open(db);
    if (!store) {
        std::cerr << "quadventure: " << store.error().message << "\n";
        return 1;
    }
    if (auto closed = (*store)->close_interrupted_sessions(); !closed) {
        logger->warn("{}", closed.error().message);
    } else if (closed.value() > 0) {
        logger->info("{} session(s) interrupted last time are now marked as ended early",
                     closed.value());
    }
    // The waiting-room kiosk: --kiosk, or the clinic's setting (not for a plain demo).
    const profiles::KioskSettings kiosk_defaults{
        false, profiles::GuestData::Discard,
        static_cast<int>(std::lround(content.tuning.kiosk.idle_timeout_s))};
    const auto kiosk_settings = profiles::kiosk_settings(**store, kiosk_defaults);
    const bool kiosk_on = o.kiosk || (kiosk_settings.enabled && !o.demo);
    if (o.soak_hours > 0 && !(o.demo && o.kiosk)) {
        std::cerr << "quadventure: --soak needs --demo --kiosk\n";
        return 1;
    }
    if (kiosk_on) {
        // Guests of a visit the game did not see end (it was killed) end now, as chosen.
        if (auto n = profiles::end_open_guest_visits(**store, kiosk_settings.guest_data); !n) {
            logger->warn("{}", n.error().message);
        } else if (n.value() > 0) {
            logger->info("{} guest visit(s) left open last time were ended ({})", n.value(),
                         profiles::to_string(kiosk_settings.guest_data));
        }
    }
    auto worker = profiles::StorageWorker::start(db);
    if (!worker) {
        std::cerr << "quadventure: " << worker.error().message << "\n";
        return 1;
    }

    // SDL: headless for the demo.
    const bool headless = o.demo && !o.watch;
    if (headless) {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_AUDIODRIVER", "dummy", 0);
    }
    SdlLibraries sdl;
    if (!sdl.ok) {
        return 1;
    }
    Uint32 flags = SDL_WINDOW_RESIZABLE | (headless ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN);
    if (o.fullscreen || (kiosk_on && !headless)) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    if (kiosk_on && !headless) {
        // The desktop's own shortcuts (Alt+Tab, the Super key, Alt+F4) reach the game, not the
        // desktop, while it has the keyboard grabbed; what an X server does itself (Ctrl+Alt+Fn)
        // is not the game's to stop: docs/kiosk.md says how to turn it off.
        SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
        SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    }
    SDL_Window* window = SDL_CreateWindow("Quadventure", SDL_WINDOWPOS_CENTERED,
                                          SDL_WINDOWPOS_CENTERED, Gfx::kWidth, Gfx::kHeight, flags);
    if (window == nullptr) {
        std::cerr << "quadventure: cannot open a window: " << SDL_GetError()
                  << "\n  (no display? try: quadventure --demo)\n";
        return 1;
    }
    if (kiosk_on && !headless) {
        SDL_SetWindowGrab(window, SDL_TRUE);
        SDL_SetWindowKeyboardGrab(window, SDL_TRUE);
    }
    SDL_Renderer* renderer =
        headless
            ? nullptr
            : SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (renderer == nullptr) {
        renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    }
    if (renderer == nullptr) {
        std::cerr << "quadventure: cannot create a renderer: " << SDL_GetError() << "\n";
        SDL_DestroyWindow(window);
        return 1;
    }
    SDL_RendererInfo rinfo{};
    SDL_GetRendererInfo(renderer, &rinfo);
    const bool vsync = (rinfo.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
    SDL_RenderSetLogicalSize(renderer, Gfx::kWidth, Gfx::kHeight);
    SDL_StopTextInput();
    logger->info("renderer {} ({}), database {}", rinfo.name, vsync ? "vsync" : "paced by timer",
                 db.string());

    int exit_code = 0;
    {
        const auto [regular, bold] = find_fonts(content_dir.value_or(fs::path()));
        Gfx gfx(renderer, regular, bold);
        if (!gfx.fonts_ok()) {
            std::cerr << "quadventure: cannot load the DejaVu fonts (" << regular.string()
                      << "); install fonts-dejavu-core\n";
            SDL_DestroyRenderer(renderer);
            SDL_DestroyWindow(window);
            return 1;
        }
        Audio audio(content.sounds);

        SteadyClock steady;
        ManualClock manual(1'000'000);
        const bool realtime = !headless;
        const Clock& clock = realtime ? static_cast<const Clock&>(steady) : manual;
        input::InputHub hub(clock, content.tuning.filter);
        ScreenStack screens;
        input::DriverContext drivers;
        drivers.keyboard = content.tuning.keyboard;
        drivers.patient = content.tuning.patient;
        drivers.seed = o.seed;
        drivers.record_file = o.record;
        drivers.replay_file = o.replay;
        Context ctx{content, **store,  **worker,     hub, drivers, audio, screens,
                    clock,   realtime, std::nullopt, {},  {},      false};
        // Gamepad, taps on the hint bar and the one switch become the keys the screens know.
        InputMap input_map(content.tuning.accessibility);
        PreferenceSync preferences;
        JoystickBoards joysticks(ctx); // SDL joysticks: the HX711 board (docs/joystick-board.md)
        Kiosk kiosk(content.tuning.kiosk, kiosk_settings);
        if (kiosk_on) {
            ctx.kiosk = &kiosk;
        }
        // A fresh install asks for a clinician PIN first (or a home-only choice); the headless
        // demo is not an install. The kiosk never runs without a PIN.
        if (o.demo && kiosk_on && !profiles::has_pin(**store)) {
            // The kiosk demo sets the PIN a clinic would have set (the demo's own database).
            if (auto r = profiles::set_pin(**store, "2468", profiles::PinHashCost{1, 8u << 20});
                !r) {
                std::cerr << "quadventure: " << r.error().message << "\n";
                return 1;
            }
        }
        screens.push(o.demo && !kiosk_on ? make_profile_select(ctx)
                                         : make_first_start_or(ctx, make_profile_select(ctx)));
        KioskIdle kiosk_idle = KioskIdle::Active;

        std::optional<Autopilot> autopilot;
        if (o.demo) {
            autopilot.emplace(level_index, o.screenshot.empty() ? std::string() : o.screen, o.game);
            autopilot->set_squat_mode(o.squat_mode);
            autopilot->set_child(o.child);
            if (kiosk_on) {
                autopilot->set_kiosk_visits(o.soak_hours > 0 ? 1'000'000 : 1);
            }
            std::cout << "Quadventure demo: a virtual patient plays one session of "
                      << content.game(o.game)->id
                      << (headless ? " (no window, accelerated clock)" : "") << "...\n";
        }
        std::set<std::string> photographed;
        int shot_index = 0;
        std::string current;
        double screen_time = 0;
        std::uint64_t frame = 0;
        Uint64 last = SDL_GetPerformanceCounter();
        const double freq = static_cast<double>(SDL_GetPerformanceFrequency());
        const double frame_s = 1.0 / 60.0;
        const int wanted_frame = o.frames > 0 ? o.frames : 60;
        // A demo that has not finished in an hour of game time (past its soak) is stuck.
        const double demo_limit_s = 60 * 60 + o.soak_hours * 3600;
        SoakMeter soak;

        while (!ctx.quit) {
            SDL_Event e;
            while (SDL_PollEvent(&e) != 0) {
                if (e.type == SDL_QUIT) {
                    if (ctx.kiosk == nullptr) {
                        ctx.quit = true;
                    } else if (screens.top() == nullptr ||
                               screens.top()->name().rfind("kiosk_pin", 0) != 0) {
                        screens.push(make_kiosk_pin(ctx)); // leaving the kiosk needs the PIN
                    }
                    continue;
                }
                if (ctx.kiosk != nullptr && Kiosk::is_person(e)) {
                    const bool waking = kiosk_idle == KioskIdle::Warning;
                    kiosk.note_input();
                    kiosk_idle = KioskIdle::Active;
                    if (waking && (e.type == SDL_KEYDOWN || e.type == SDL_MOUSEBUTTONDOWN)) {
                        continue; // the key that answers "still there?" does nothing else
                    }
                }
                if (input_map.consume(e, gfx)) {
                    continue;
                }
                if (joysticks.handle(e)) {
                    continue; // hot-plug; the axis is read once per frame below
                }
                if (auto* kb =
                        dynamic_cast<input::KeyboardSource*>(input::underlying(hub.source()))) {
                    const bool key = e.type == SDL_KEYDOWN || e.type == SDL_KEYUP;
                    const SDL_Keycode sym = key ? e.key.keysym.sym : SDLK_UNKNOWN;
                    if (kb->channel() == Channel::KneeAngle &&
                        (sym == SDLK_UP || sym == SDLK_DOWN)) {
                        // Squats: the held arrows bend and straighten the knee.
                        const bool held = e.type == SDL_KEYDOWN;
                        if (sym == SDLK_DOWN) {
                            kb->set_bending(held);
                        } else {
                            kb->set_straightening(held);
                        }
                    } else if (key && sym == SDLK_SPACE) {
                        kb->set_pushing(e.type == SDL_KEYDOWN);
                    } else if (e.type == SDL_KEYDOWN &&
                               (e.key.keysym.sym == SDLK_UP || e.key.keysym.sym == SDLK_DOWN)) {
                        kb->nudge_effort(e.key.keysym.sym == SDLK_UP ? 1 : -1);
                    } else if (e.type == SDL_MOUSEWHEEL) {
                        kb->nudge_effort(e.wheel.y > 0 ? 1 : -1);
                    } else if (e.type == SDL_WINDOWEVENT &&
                               e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
                        kb->set_pushing(false);
                    }
                }
                if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_F12 && ctx.kiosk == nullptr) {
                    const fs::path dir = paths::data_dir() / "screenshots";
                    fs::create_directories(dir);
                    const auto file =
                        dir / fmt::format("quadventure-{}.png", profiles::now_iso8601());
                    if (gfx.save_png(file)) {
                        logger->info("screenshot written to {}", file.string());
                    }
                    continue;
                }
                screens.handle(e);
            }

            joysticks.feed();
            double dt = frame_s;
            if (realtime) {
                const Uint64 now = SDL_GetPerformanceCounter();
                dt = std::min(0.1, static_cast<double>(now - last) / freq);
                last = now;
            } else {
                manual.advance(from_seconds(frame_s));
                hub.pump();
            }
            input_map.step(dt, gfx);
            preferences.update(ctx, gfx);
            if (ctx.kiosk != nullptr) {
                kiosk.note_signal(hub);
                const Screen* shown = screens.top();
                // No timer on the attract screen, nor while a first start asks for the PIN the
                // kiosk cannot run without.
                const bool visiting = shown != nullptr && shown->name() != "kiosk_attract" &&
                                      shown->name() != "clinician_first_start";
                const KioskIdle before = kiosk_idle;
                kiosk_idle = kiosk.step(dt, visiting);
                if (kiosk_idle == KioskIdle::Warning && before != KioskIdle::Warning) {
                    audio.play("rest_end"); // "still there?" is heard as well as seen
                }
                if (kiosk_idle == KioskIdle::TimedOut) {
                    end_kiosk_visit(ctx, "idle");
                }
            }
            if (screens.apply()) {
                screen_time = 0;
            }
            Screen* top = screens.top();
            if (top == nullptr) {
                break;
            }
            const std::string name = top->name();
            if (name != current) {
                current = name;
                screen_time = 0;
            }
            if (autopilot) {
                for (const auto& ev : autopilot->act(name, screen_time, ctx)) {
                    screens.handle(ev);
                }
                if (o.soak_hours > 0 && name == "kiosk_attract" && screen_time == 0) {
                    soak.visit_done(manual.now_us());
                    if (manual.now_us() > from_seconds(o.soak_hours * 3600)) {
                        autopilot->stop_visiting();
                    }
                }
                if (autopilot->finished() && screen_time > 1.0) {
                    ctx.quit = true;
                }
                if (manual.now_us() > from_seconds(demo_limit_s)) {
                    std::cerr << "quadventure: the demo did not finish (stuck on screen '" << name
                              << "')\n";
                    exit_code = 1;
                    ctx.quit = true;
                }
            }
            top->step(dt);
            screen_time += dt;
            ++frame;

            // Headless demos draw only the frames someone could look at.
            const bool shoot_dir =
                !o.screenshot_dir.empty() && screen_time >= 0.7 && !photographed.count(name);
            const bool shoot_one =
                !o.screenshot.empty() &&
                (o.screen.empty() ? frame >= static_cast<std::uint64_t>(wanted_frame)
                                  : (name == o.screen && screen_time >= 2.0));
            const bool draw = realtime || shoot_dir || shoot_one || frame % 30 == 0;
            if (draw) {
                gfx.clear(palette::sky_bottom);
                screens.draw(gfx);
                if (!ctx.storage_error.empty()) {
                    draw_banner(gfx, ctx.storage_error);
                }
                if (kiosk_idle == KioskIdle::Warning) {
                    draw_kiosk_idle_warning(gfx, ctx, kiosk.seconds_left());
                }
                if (shoot_dir) {
                    photographed.insert(name);
                    fs::create_directories(o.screenshot_dir);
                    gfx.save_png(fs::path(o.screenshot_dir) /
                                 fmt::format("{:02d}-{}.png", ++shot_index, name));
                }
                if (shoot_one) {
                    if (!gfx.save_png(o.screenshot)) {
                        exit_code = 1;
                    }
                    ctx.quit = true;
                }
                SDL_RenderPresent(renderer);
                gfx.end_frame();
            }
            if (realtime) { // sleeps whatever vsync did not wait for: never a busy loop
                const double fps = std::clamp(top->max_fps(), 1.0, 60.0);
                const double wanted = 1.0 / fps;
                const double spent = static_cast<double>(SDL_GetPerformanceCounter() - last) / freq;
                if (spent < wanted) {
                    SDL_Delay(static_cast<Uint32>((wanted - spent) * 1000.0));
                }
            }
        }
        if (!o.screenshot.empty() && !std::filesystem::exists(o.screenshot) && exit_code == 0) {
            std::cerr << "quadventure: no screenshot was taken"
                      << (o.screen.empty() ? std::string()
                                           : " (the screen '" + o.screen + "' was never shown)")
                      << "\n";
            exit_code = 1;
        }
        if (autopilot && autopilot->finished() && exit_code == 0) {
            (*worker)->flush();
            if (o.soak_hours > 0) {
                soak.print(std::cout, manual.now_us());
            } else if (!kiosk_on) {
                print_demo_summary(ctx, db);
            } else {
                std::cout
                    << "\nKiosk demo finished: one guest visit, back on the attract screen.\n";
            }
        }
        hub.use(nullptr);
    }
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    return exit_code;
}

} // namespace qv::game
