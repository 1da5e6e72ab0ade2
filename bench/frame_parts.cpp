// frame_parts: where a frame's time goes on SDL's software renderer at 1280x720 (dummy video
// driver): the median time of each drawing piece the screens use, next to a bare clear+present.
// A tool for looking, not a benchmark row (quadventure-bench has the frame-cost rows).
//
//   frame_parts [frames]

#include "content/content.hpp"
#include "game/gfx.hpp"
#include "game/widgets.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <string>
#include <vector>

using namespace qv;

namespace {
double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::max(5, std::atoi(argv[1])) : 120;
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fmt::print(stderr, "SDL: {}\n", SDL_GetError());
        return 1;
    }
    SDL_Window* window =
        SDL_CreateWindow("parts", 0, 0, game::Gfx::kWidth, game::Gfx::kHeight, SDL_WINDOW_HIDDEN);
    SDL_Renderer* r = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (r == nullptr) {
        fmt::print(stderr, "SDL: {}\n", SDL_GetError());
        return 1;
    }
    SDL_RenderSetLogicalSize(r, game::Gfx::kWidth, game::Gfx::kHeight);
    const auto content_dir = content::find_content_dir("/proc/self/exe");
    const auto [regular, bold] = game::find_fonts(content_dir.value_or(std::filesystem::path()));
    {
        game::Gfx gfx(r, regular, bold);
        const content::LoadResult loaded = content::load_builtin();
        double t = 0;
        const auto time = [&](const std::string& what, const std::function<void()>& draw) {
            std::vector<double> ms;
            for (int i = 0; i < frames; ++i) {
                t += 1.0 / 60;
                const double t0 = now_s();
                draw();
                SDL_RenderFlush(r); // SDL queues drawing: run it here
                ms.push_back((now_s() - t0) * 1e3);
                SDL_RenderPresent(r);
                gfx.end_frame();
            }
            std::nth_element(ms.begin(), ms.begin() + static_cast<long>(ms.size() / 2), ms.end());
            fmt::print("{:<44} {:8.3f} ms\n", what, ms[ms.size() / 2]);
        };
        const game::Color c = game::Color::hex(0x2A8C82);
        const game::Color ct = game::Color::hex(0x2A8C82, 200);
        time("clear", [&] { gfx.clear(game::palette::sky_bottom); });
        time("present (after a clear)", [&] {
            gfx.clear(game::palette::sky_bottom);
            SDL_RenderPresent(r);
        });
        time("vertical_gradient, full screen", [&] {
            gfx.vertical_gradient(0, 0, 1280, 720, game::palette::sky_top,
                                  game::palette::sky_bottom);
        });
        time("draw_backdrop", [&] { game::draw_backdrop(gfx, t); });
        time("rect 200x200 opaque", [&] { gfx.rect(540, 260, 200, 200, c); });
        time("rect 1280x52 translucent", [&] { gfx.rect(0, 668, 1280, 52, ct); });
        time("circle r=52 opaque", [&] { gfx.circle(640, 360, 52, c); });
        time("circle r=52 translucent", [&] { gfx.circle(640, 360, 52, ct); });
        time("rounded_rect 300x110 r=22 opaque",
             [&] { gfx.rounded_rect(300, 300, 300, 110, 22, c); });
        time("10 stars r=30", [&] {
            for (int i = 0; i < 10; ++i) {
                gfx.star(100 + 110.0f * static_cast<float>(i), 360, 30, c);
            }
        });
        time("avatar r=58",
             [&] { game::draw_avatar(gfx, loaded.content.avatars.front(), 640, 360, 58); });
        time("text Title, cached", [&] {
            gfx.text("Quadventure 123", 640, 40, game::FontSize::Title, c, game::Align::Center,
                     true);
        });
        time("draw_hints (3 keys)", [&] {
            game::draw_hints(gfx, {{"Enter", "Play"}, {"Esc", "Back"}, {"P", "Pain"}});
        });
    }
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(window);
    TTF_Quit();
    SDL_Quit();
    return 0;
}
