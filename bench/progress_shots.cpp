// Photographs every page of the progress view on generated histories, so the pages can be looked
// at without playing weeks of sessions: an adult with eight weeks, an adult with nothing yet, a
// child, and an adult with keyboard practice only. Headless (SDL's dummy video driver, software
// renderer).
//
//   build/dev/bench/progress_shots OUT_DIR [LAST_DAY of the histories, default today]

#include "bench/history.hpp"
#include "content/content.hpp"
#include "core/clock.hpp"
#include "game/audio.hpp"
#include "game/autopilot.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screen.hpp"
#include "game/screens/screens.hpp"
#include "input/hub.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"

#include <SDL_image.h>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>

namespace fs = std::filesystem;
using namespace qv;

namespace {

struct Case {
    std::string tag;
    bench::HistoryOptions history;
    bool empty = false;
};

int shoot(SDL_Renderer* renderer, const content::Content& content, const fs::path& out,
          const fs::path& scratch, const Case& c, const std::string& today) {
    const fs::path db = scratch / (c.tag + ".db");
    auto store = profiles::Store::open(db);
    if (!store) {
        fmt::print(stderr, "{}\n", store.error().message);
        return 1;
    }
    std::int64_t pid = 0;
    if (c.empty) {
        auto p = (*store)->create_profile("Alex", "owl", "Q2");
        if (!p) {
            return 1;
        }
        pid = p->id;
    } else {
        auto h = c.history;
        h.last_day = today;
        auto filled = bench::fill_history(**store, h);
        if (!filled) {
            fmt::print(stderr, "{}\n", filled.error().message);
            return 1;
        }
        pid = filled.value();
    }
    auto worker = profiles::StorageWorker::start(db);
    if (!worker) {
        return 1;
    }
    ManualClock clock{1'000'000};
    input::InputHub hub{clock, content.tuning.filter};
    game::Audio audio{content.sounds};
    game::ScreenStack screens;
// Fields after `realtime` keep their defaults, whatever fields Context gains later.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
    game::Context ctx{.content = content,
                      .store = **store,
                      .worker = **worker,
                      .input = hub,
                      .drivers = {},
                      .audio = audio,
                      .screens = screens,
                      .clock = clock,
                      .realtime = false};
#pragma GCC diagnostic pop
    ctx.profile = (*store)->profile(pid);
    const auto [regular, bold] = game::find_fonts(fs::path());
    game::Gfx gfx(renderer, regular, bold);
    screens.push(game::make_progress(ctx));
    screens.apply();
    const int pages = ctx.profile->child ? 2 : 5;
    for (int page = 0; page < pages; ++page) {
        gfx.clear(game::palette::sky_bottom);
        screens.top()->step(1.0);
        screens.draw(gfx);
        const auto file = out / fmt::format("progress-{}-{}.png", c.tag, page + 1);
        if (!gfx.save_png(file)) {
            fmt::print(stderr, "cannot write {}\n", file.string());
            return 1;
        }
        fmt::print("{}\n", file.string());
        gfx.end_frame();
        for (const auto& e : game::key_press(SDLK_RIGHT)) {
            screens.handle(e);
        }
        screens.apply();
    }
    screens.reset(nullptr);
    screens.apply();
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        fmt::print(stderr, "usage: progress_shots OUT_DIR [TODAY as YYYY-MM-DD]\n");
        return 2;
    }
    const fs::path out = argv[1];
    std::string today = argc > 2 ? argv[2] : "";
    if (today.empty()) { // the screen shows the computer's today: the history ends there
        const std::time_t now = std::time(nullptr);
        std::tm tm{};
        ::localtime_r(&now, &tm);
        char buf[16];
        std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
        today = buf;
    }
    fs::create_directories(out);
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
        fmt::print(stderr, "cannot start SDL: {}\n", SDL_GetError());
        return 1;
    }
    IMG_Init(IMG_INIT_PNG);
    SDL_Window* window = SDL_CreateWindow("progress", 0, 0, game::Gfx::kWidth, game::Gfx::kHeight,
                                          SDL_WINDOW_HIDDEN);
    SDL_Renderer* renderer =
        window ? SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE) : nullptr;
    if (renderer == nullptr) {
        fmt::print(stderr, "no renderer: {}\n", SDL_GetError());
        return 1;
    }
    SDL_RenderSetLogicalSize(renderer, game::Gfx::kWidth, game::Gfx::kHeight);
    const auto loaded = content::load_builtin();
    std::string tmpl = (fs::temp_directory_path() / "qv-shots-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        return 1;
    }
    std::vector<Case> cases(4);
    cases[0].tag = "adult";
    cases[0].history.days = 56;
    cases[1].tag = "empty";
    cases[1].empty = true;
    cases[2].tag = "child";
    cases[2].history.days = 35;
    cases[2].history.child = true;
    cases[2].history.name = "Mia";
    cases[2].history.adherence = 0.7;
    cases[2].history.pain_stop_chance = 0.1;
    cases[3].tag = "practice";
    cases[3].history.days = 10;
    cases[3].history.driver = "keyboard";
    cases[3].history.both_legs = false;
    cases[3].history.today_done = false;
    int rc = 0;
    for (const auto& c : cases) {
        rc |= shoot(renderer, loaded.content, out, tmpl, c, today);
    }
    fs::remove_all(tmpl);
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
    return rc;
}
