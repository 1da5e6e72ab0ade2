// quadventure-bench: one table with a row per TARGETS.md target that can be measured today.
// Every speed figure is a ratio to a baseline measured in the same run, or a count; the bench
// never fails because the machine is slow (it exits 0 whatever the verdicts; 1 only when it
// could not run). docs/benchmarks.md says what each row measures.
//
//   quadventure-bench [--quick] [--only WORD]   (bench/run.sh builds it and runs it; --only runs
//                                                the measurements whose name contains WORD)

#include "bench/history.hpp"
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
#include "input/sample_queue.hpp"
#include "input/sampled_source.hpp"
#include "input/source_thread.hpp"
#include "profiles/clinician_store.hpp"
#include "profiles/storage_worker.hpp"
#include "profiles/store.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <numbers>
#include <optional>
#include <pthread.h>
#include <regex>
#include <set>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;
using namespace qv;

namespace {

// ---------------------------------------------------------------------------------------------
// The table

struct Row {
    std::string what;
    std::string target;
    std::string figure;
    std::string verdict; ///< "meets", "misses", or "not measured yet: <why>"
};

std::vector<Row> g_rows;

void add(std::string what, std::string target, std::string figure, bool meets) {
    g_rows.push_back(
        {std::move(what), std::move(target), std::move(figure), meets ? "meets" : "misses"});
    fmt::print(stderr, "  measured: {}: {}\n", g_rows.back().what, g_rows.back().figure);
}

[[maybe_unused]] void not_yet(std::string what, std::string target, std::string why) {
    g_rows.push_back({std::move(what), std::move(target), "-", "not measured yet: " + why});
}

void failed(std::string what, std::string target, std::string why) {
    g_rows.push_back({std::move(what), std::move(target), "-", "could not measure: " + why});
}

void print_table() {
    std::size_t w[3] = {4, 6, 6};
    for (const Row& r : g_rows) {
        w[0] = std::max(w[0], r.what.size());
        w[1] = std::max(w[1], r.target.size());
        w[2] = std::max(w[2], r.figure.size());
    }
    const auto line = [&](const std::string& a, const std::string& b, const std::string& c,
                          const std::string& d) {
        fmt::print("| {:<{}} | {:<{}} | {:<{}} | {} |\n", a, w[0], b, w[1], c, w[2], d);
    };
    line("what", "target", "figure", "verdict");
    fmt::print("|{:-<{}}|{:-<{}}|{:-<{}}|{:-<9}|\n", "", w[0] + 2, "", w[1] + 2, "", w[2] + 2, "");
    for (const Row& r : g_rows) {
        line(r.what, r.target, r.figure, r.verdict);
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double thread_cpu_s(clockid_t id) {
    timespec ts{};
    clock_gettime(id, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long long monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

fs::path scratch(const std::string& what) {
    std::string tmpl = (fs::temp_directory_path() / ("qv-bench-" + what + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error("cannot make a scratch directory");
    }
    return tmpl;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Starts `argv` with `env` added to this process's environment; stdout and stderr to `log`.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const fs::path& log) {
    std::vector<std::string> envs;
    for (char** e = environ; *e != nullptr; ++e) {
        envs.emplace_back(*e);
    }
    envs.insert(envs.end(), env.begin(), env.end());
    std::vector<char*> a, e;
    for (const auto& s : argv) {
        a.push_back(const_cast<char*>(s.c_str()));
    }
    a.push_back(nullptr);
    for (const auto& s : envs) {
        e.push_back(const_cast<char*>(s.c_str()));
    }
    e.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = -1;
    if (posix_spawn(&pid, a[0], &fa, nullptr, a.data(), e.data()) != 0) {
        pid = -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/// utime + stime of a live process, seconds (from /proc; clock-tick resolution).
double process_cpu_s(pid_t pid) {
    std::string stat = read_text(fmt::format("/proc/{}/stat", pid));
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return -1;
    }
    std::istringstream in(stat.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (in >> field) {
        f.push_back(field);
    }
    if (f.size() < 13) {
        return -1;
    }
    // After the command: state(0) ... utime(11) stime(12).
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (std::stod(f[11]) + std::stod(f[12])) / ticks;
}

/// VmHWM (peak resident set) of a live process, MB.
double peak_rss_mb(pid_t pid) {
    std::istringstream in(read_text(fmt::format("/proc/{}/status", pid)));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stod(line.substr(6)) / 1024.0;
        }
    }
    return -1;
}

/// Environment for SDL programs in the bench: no display needed, the software renderer.
/// A program's path: $VAR when set (to bench another build's binary), else the built one.
std::string program(const char* var, const char* built) {
    const char* v = std::getenv(var);
    return v != nullptr && *v != '\0' ? v : built;
}

const std::vector<std::string> kSdlEnv = {"SDL_VIDEODRIVER=dummy", "SDL_RENDER_DRIVER=software",
                                          "SDL_AUDIODRIVER=dummy"};

// ---------------------------------------------------------------------------------------------
// A 1 kHz synthetic force source on the real SampledSource grid; it notes the thread that
// drives it so the bench can read that thread's CPU clock.

class SyntheticSource final : public input::SampledSource {
  public:
    explicit SyntheticSource(double rate_hz) : SampledSource(rate_hz) {}
    const SourceIdentity& identity() const override { return identity_; }
    /// The CPU clock of the thread calling advance_to (valid once have_clock()).
    clockid_t thread_clock() const { return clock_id_; }
    bool have_clock() const { return have_clock_.load(); }

  protected:
    double next_value(double dt_s) override {
        if (!have_clock_.load(std::memory_order_relaxed)) {
            pthread_getcpuclockid(pthread_self(), &clock_id_);
            have_clock_.store(true);
        }
        phase_ += dt_s;
        return 100.0 + 50.0 * std::sin(phase_ * std::numbers::pi);
    }

  private:
    SourceIdentity identity_{"bench-synthetic", "1 kHz sine", "", "", false};
    double phase_ = 0;
    clockid_t clock_id_{};
    std::atomic<bool> have_clock_{false};
};

/// Steady time running `factor` times faster, for simulated minutes in real seconds.
class ScaledClock final : public Clock {
  public:
    explicit ScaledClock(double factor) : factor_(factor), origin_(steady_.now_us()) {}
    Micros now_us() const override {
        return origin_ +
               static_cast<Micros>(static_cast<double>(steady_.now_us() - origin_) * factor_);
    }

  private:
    SteadyClock steady_;
    double factor_;
    Micros origin_;
};

// ---------------------------------------------------------------------------------------------
// SDL with the software renderer at 1280x720 (dummy video driver: no display needed).

struct Sdl {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    bool ok = false;
    Sdl() {
        setenv("SDL_VIDEODRIVER", "dummy", 0);
        setenv("SDL_AUDIODRIVER", "dummy", 0);
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0 || TTF_Init() != 0) {
            return;
        }
        window = SDL_CreateWindow("bench", 0, 0, game::Gfx::kWidth, game::Gfx::kHeight,
                                  SDL_WINDOW_HIDDEN);
        renderer = window ? SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE) : nullptr;
        if (renderer != nullptr) {
            SDL_RenderSetLogicalSize(renderer, game::Gfx::kWidth, game::Gfx::kHeight);
            ok = true;
        }
    }
    ~Sdl() {
        if (renderer)
            SDL_DestroyRenderer(renderer);
        if (window)
            SDL_DestroyWindow(window);
        TTF_Quit();
        SDL_Quit();
    }
};

/// The bare baseline frame: clear, one rectangle, present.
void bare_frame(SDL_Renderer* r) {
    // SDL's default blend mode, whatever the game's drawing left set.
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, 0xDD, 0xF1, 0xFF, 0xFF);
    SDL_RenderClear(r);
    SDL_SetRenderDrawColor(r, 0x2A, 0x8C, 0x82, 0xFF);
    const SDL_Rect rect{540, 260, 200, 200};
    SDL_RenderFillRect(r, &rect);
    SDL_RenderPresent(r);
}

/// The game's screens on the real store, storage thread, input hub and content, as the
/// screen tests drive them (tests/game/game_fixture.hpp), playing one game: the quad-set scenes
/// (balloon, tower) from the play screen, the squat scenes (rider, diver) from the squat plan.
struct GameWorld {
    fs::path dir = scratch("game");
    content::LoadResult loaded = content::load_builtin();
    std::unique_ptr<profiles::Store> store;
    std::unique_ptr<profiles::StorageWorker> worker;
    ManualClock clock{1'000'000};
    std::optional<input::InputHub> hub;
    std::optional<game::Audio> audio;
    game::ScreenStack screens;
    std::optional<game::Context> ctx;
    game::Autopilot autopilot; ///< plays the screens as the demo does (starts the holds)
    std::string screen;
    double screen_time = 0;

    /// True for a squat game (its session starts at the squat plan).
    bool squat = false;

    bool start_play(const std::string& game, std::string& why) {
        auto s = profiles::Store::open(dir / "q.db");
        auto w = profiles::StorageWorker::start(dir / "q.db");
        if (!s || !w) {
            why = !s ? s.error().message : w.error().message;
            return false;
        }
        store = std::move(*s);
        worker = std::move(*w);
        hub.emplace(clock, loaded.content.tuning.filter);
        audio.emplace(std::vector<content::SoundCue>{});
        ctx.emplace(game::Context{.content = loaded.content,
                                  .store = *store,
                                  .worker = *worker,
                                  .input = *hub,
                                  .drivers = {},
                                  .audio = *audio,
                                  .screens = screens,
                                  .clock = clock,
                                  .realtime = false,
                                  .profile = std::nullopt,
                                  .draft = {},
                                  .storage_error = {},
                                  .quit = false});
        auto p = store->create_profile("Bench", "owl", "Q2");
        if (!p) {
            why = p.error().message;
            return false;
        }
        ctx->profile = *p;
        const content::GameTheme* theme = loaded.content.game(game);
        if (theme == nullptr) {
            why = "no game '" + game + "' in the content";
            return false;
        }
        squat = theme->exercise == "squat";
        ctx->drivers.patient = loaded.content.tuning.patient; // as the demo plays it
        ctx->drivers.keyboard = loaded.content.tuning.keyboard;
        ctx->draft.exercise = theme->exercise;
        ctx->draft.game = game;
        ctx->draft.driver_id = "simulator";
        if (!ctx->use_source("simulator")) {
            why = "the simulator source did not start";
            return false;
        }
        const content::QuadSetLevel* level = loaded.content.level("Q2");
        if (level == nullptr) {
            why = "no level Q2 in the content";
            return false;
        }
        // As the calibrate screen leaves it: the patient's zero and maximum.
        input::Calibration cal;
        cal.mvc_n = loaded.content.tuning.patient.true_mvc_n;
        hub->set_calibration(cal);
        ctx->draft.pain_before = 2;
        if (squat) { // the autopilot takes the squat plan to the squat scene
            screens.push(game::make_squat_plan(*ctx));
            screens.apply();
            return screens.top() != nullptr;
        }
        ctx->draft.dose = level->dose;
        ctx->draft.stair.floor = 1;
        ctx->draft.stair.ceiling = 8;
        ctx->draft.stair_state.value = 5;
        screens.push(game::make_play(*ctx));
        screens.apply();
        return screens.top() != nullptr;
    }
    /// One frame of game time (1/60 s), as the headless demo's loop steps it.
    void step() {
        clock.advance(from_seconds(1.0 / 60));
        hub->pump();
        if (screens.apply()) {
            screen_time = 0;
        }
        game::Screen* top = screens.top();
        if (top == nullptr) {
            return;
        }
        if (top->name() != screen) {
            screen = top->name();
            screen_time = 0;
        }
        for (const SDL_Event& e : autopilot.act(screen, screen_time, *ctx)) {
            screens.handle(e);
        }
        top->step(1.0 / 60);
        screen_time += 1.0 / 60;
    }
    void draw(game::Gfx& gfx) {
        gfx.clear(game::palette::sky_bottom);
        screens.draw(gfx);
    }
    ~GameWorld() {
        screens.reset(nullptr);
        screens.apply();
        if (hub) {
            hub->use(nullptr);
        }
        worker.reset();
        store.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

// ---------------------------------------------------------------------------------------------
// (a) frame cost

/// One game's frame cost against the bare frame on the same renderer, interleaved.
struct FrameCost {
    double ratio = 0, scene_ms = 0, bare_ms = 0;
    std::size_t frames = 0;
    std::string screens; ///< the screens drawn in the measured frames
};

std::optional<FrameCost> frame_cost(Sdl& sdl, game::Gfx& gfx, const std::string& game, bool quick,
                                    std::string& why) {
    GameWorld world;
    if (!world.start_play(game, why)) {
        return std::nullopt;
    }
    const auto frame = [&] {
        world.step();
        world.draw(gfx);
        SDL_RenderPresent(sdl.renderer);
        gfx.end_frame();
    };
    // Into the game (the squat plan's Enter, the get-ready), with the text cache warm.
    const std::string scene_prefix = world.squat ? "squat_" : "play_";
    const auto in_scene = [&] {
        return world.screen.rfind(scene_prefix, 0) == 0 && world.screen != "squat_plan" &&
               world.screen.rfind("squat_weigh", 0) != 0;
    };
    for (int warm = 0; warm < 180 || (!in_scene() && warm < 60 * 60); ++warm) {
        frame();
    }
    if (!in_scene()) {
        why = "the " + game + " scene did not start (screen '" + world.screen + "')";
        return std::nullopt;
    }
    std::vector<double> bare, scene;
    std::set<std::string> seen;
    const int rounds = quick ? 6 : 20;
    for (int round = 0; round < rounds; ++round) { // interleaved, so noise hits both alike
        for (int i = 0; i < 60; ++i) {
            const double t0 = now_s();
            bare_frame(sdl.renderer);
            bare.push_back(now_s() - t0);
        }
        for (int i = 0; i < 60; ++i) {
            const double t0 = now_s();
            frame();
            scene.push_back(now_s() - t0);
            seen.insert(world.screen);
        }
    }
    FrameCost fc;
    fc.scene_ms = percentile(scene, 50) * 1e3;
    fc.bare_ms = percentile(bare, 50) * 1e3;
    fc.ratio = fc.scene_ms / fc.bare_ms;
    fc.frames = scene.size();
    for (const auto& name : seen) {
        fc.screens += (fc.screens.empty() ? "" : ", ") + name;
    }
    return fc;
}

void bench_frame_cost(bool quick) {
    const std::string what = "frame cost: quad-set scene (play screen)";
    const std::string squat_what = "frame cost: squat scene";
    const std::string tower_what = "frame cost: tower scene (quad set)";
    const std::string target = "<= 2.0 x bare clear+rect+present";
    Sdl sdl;
    if (!sdl.ok) {
        for (const auto& w : {what, squat_what, tower_what}) {
            failed(w, target, std::string("SDL: ") + SDL_GetError());
        }
        return;
    }
    const auto content_dir = content::find_content_dir("/proc/self/exe");
    const auto [regular, bold] = game::find_fonts(content_dir.value_or(fs::path()));
    game::Gfx gfx(sdl.renderer, regular, bold);
    if (!gfx.fonts_ok()) {
        for (const auto& w : {what, squat_what, tower_what}) {
            failed(w, target, "no DejaVu fonts");
        }
        return;
    }
    const auto describe = [](const FrameCost& fc) {
        return fmt::format("{:.2f} x (median {:.2f} ms vs {:.2f} ms; {} frames each; {})", fc.ratio,
                           fc.scene_ms, fc.bare_ms, fc.frames, fc.screens);
    };
    std::string why;
    if (const auto fc = frame_cost(sdl, gfx, "balloon", quick, why)) {
        add(what, target, describe(*fc), fc->ratio <= 2.0);
    } else {
        failed(what, target, why);
    }
    // The squat scenes: rider and diver, one row (the worse one decides).
    std::string figure;
    bool meets = true, any = false;
    for (const char* game : {"rider", "diver"}) {
        if (const auto fc = frame_cost(sdl, gfx, game, quick, why)) {
            figure += fmt::format("{}{}: {}", figure.empty() ? "" : "; ", game, describe(*fc));
            meets = meets && fc->ratio <= 2.0;
            any = true;
        } else {
            figure +=
                fmt::format("{}{}: could not measure ({})", figure.empty() ? "" : "; ", game, why);
            meets = false;
        }
    }
    if (any) {
        add(squat_what, target, figure, meets);
    } else {
        failed(squat_what, target, figure);
    }
    if (const auto fc = frame_cost(sdl, gfx, "tower", quick, why)) {
        add(tower_what, target, describe(*fc), fc->ratio <= 2.0);
    } else {
        failed(tower_what, target, why);
    }
}

// ---------------------------------------------------------------------------------------------
// (b) sensor to screen

void bench_latency(bool quick) {
    const std::string what = "sensor to screen, 1 kHz source, 60 Hz frames";
    const std::string target = "p99 <= 16.7 + 2 = 18.7 ms";
    Sdl sdl;
    if (!sdl.ok) {
        failed(what, target, std::string("SDL: ") + SDL_GetError());
        return;
    }
    const auto content_dir = content::find_content_dir("/proc/self/exe");
    const auto [regular, bold] = game::find_fonts(content_dir.value_or(fs::path()));
    game::Gfx gfx(sdl.renderer, regular, bold);
    const content::LoadResult loaded = content::load_builtin();
    SteadyClock clock;
    input::InputHub hub(clock, loaded.content.tuning.filter);
    hub.use(std::make_unique<SyntheticSource>(1000.0), true); // its SourceThread, 2 ms period
    std::vector<input::ForceReading> readings;
    std::vector<double> latency_ms;
    const double frame_s = 1.0 / 60.0;
    const double seconds = quick ? 4 : 10;
    const double end = now_s() + seconds;
    while (now_s() < end) {
        const double start = now_s();
        readings.clear();
        hub.poll(readings);
        // A frame that shows the newest reading: sky, a bar as high as the force, its number.
        gfx.clear(game::palette::sky_bottom);
        const float h = static_cast<float>(std::clamp(hub.latest().filtered_n, 0.0, 200.0) * 3);
        gfx.rect(600, 680 - h, 80, h, game::palette::accent);
        gfx.text(fmt::format("{:.1f} N", hub.latest().filtered_n), 640, 40, game::FontSize::Title,
                 game::palette::ink, game::Align::Center);
        SDL_RenderPresent(sdl.renderer);
        gfx.end_frame();
        const Micros presented = clock.now_us();
        for (const auto& r : readings) {
            latency_ms.push_back(static_cast<double>(presented - r.t_us) / 1000.0);
        }
        // The game's pacing: sleep what is left of the frame, never spin.
        const double spent = now_s() - start;
        if (spent < frame_s) {
            SDL_Delay(static_cast<Uint32>((frame_s - spent) * 1000.0));
        }
    }
    hub.use(nullptr);
    const double p50 = percentile(latency_ms, 50), p99 = percentile(latency_ms, 99);
    add(what, target,
        fmt::format("p50 {:.1f} ms, p99 {:.1f} ms ({} samples)", p50, p99, latency_ms.size()),
        p99 <= 1000.0 / 60.0 + 2.0);
}

// ---------------------------------------------------------------------------------------------
// (c) input capacity

void bench_input(bool quick) {
    const std::string what = "input capacity: 1 kHz, 10 simulated min";
    const std::string target = "0 dropped; input thread <= 2 % of a core";
    // Real time first: the input thread's CPU at 1 kHz while a 60 Hz consumer drains the queue.
    double cpu_pct = 0;
    std::uint64_t dropped_rt = 0, pushed_rt = 0;
    {
        SteadyClock clock;
        input::SampleQueue queue;
        SyntheticSource source(1000.0);
        source.start(queue);
        input::SourceThread thread(source, clock);
        thread.start();
        std::vector<Sample> out;
        while (!source.have_clock()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        const double seconds = quick ? 5 : 15;
        const double cpu0 = thread_cpu_s(source.thread_clock()), t0 = now_s();
        while (now_s() - t0 < seconds) {
            std::this_thread::sleep_for(std::chrono::microseconds(16'667));
            out.clear();
            queue.drain(out);
        }
        cpu_pct = 100.0 * (thread_cpu_s(source.thread_clock()) - cpu0) / (now_s() - t0);
        thread.stop();
        source.stop();
        dropped_rt = queue.dropped();
        pushed_rt = queue.pushed();
    }
    // Then 10 simulated minutes on a clock running 40 times faster, same thread and queue.
    std::uint64_t dropped = 0, pushed = 0;
    {
        const double factor = 40;
        ScaledClock clock(factor);
        input::SampleQueue queue;
        SyntheticSource source(1000.0);
        source.start(queue);
        input::SourceThread thread(source, clock);
        thread.start();
        std::vector<Sample> out;
        const Micros end = clock.now_us() + from_seconds(quick ? 120 : 600);
        while (clock.now_us() < end) {
            std::this_thread::sleep_for(std::chrono::microseconds(16'667));
            out.clear();
            queue.drain(out);
        }
        thread.stop();
        source.stop();
        dropped = queue.dropped();
        pushed = queue.pushed();
    }
    add(what, target,
        fmt::format("{} dropped of {} (40x clock), {} of {} in real time; input thread {:.2f} %",
                    dropped, pushed + dropped, dropped_rt, pushed_rt + dropped_rt, cpu_pct),
        dropped == 0 && dropped_rt == 0 && cpu_pct <= 2.0);
}

// ---------------------------------------------------------------------------------------------
// (d) CPU while playing, (f) peak RSS, (e) start-up: the real game binary

void bench_game_process(bool quick) {
    const std::string cpu_what = "CPU while playing (real binary, 20 s)";
    const std::string cpu_target = "<= 15 % of one core at 60 fps";
    const std::string rss_what = "memory: peak RSS during a 20 s session";
    const std::string rss_target = "<= 150 MB";
    const fs::path dir = scratch("play");
    const fs::path log = dir / "game.log", first = dir / "first-present";
    std::vector<std::string> env = kSdlEnv;
    env.push_back("LD_PRELOAD=" QV_BENCH_SHIM);
    env.push_back("QV_FIRST_PRESENT_FILE=" + first.string());
    const pid_t pid = spawn({program("QV_BENCH_GAME", QV_BENCH_GAME), "--demo", "--watch",
                             "--level", "Q1", "--data-dir", dir.string(), "--log-level", "info"},
                            env, log);
    if (pid < 0) {
        failed(cpu_what, cpu_target, "cannot start the game");
        return;
    }
    const double give_up = now_s() + 30;
    while (!fs::exists(first) && now_s() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const double seconds = quick ? 8 : 20;
    const double cpu0 = process_cpu_s(pid), t0 = now_s();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double cpu1 = process_cpu_s(pid), t1 = now_s();
    const double rss = peak_rss_mb(pid);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!fs::exists(first) || cpu0 < 0 || cpu1 < 0) {
        failed(cpu_what, cpu_target, "the game did not present a frame: " + read_text(log));
        failed(rss_what, rss_target, "see above");
    } else {
        const double pct = 100.0 * (cpu1 - cpu0) / (t1 - t0);
        add(cpu_what, cpu_target,
            fmt::format("{:.1f} % of a core over {:.0f} s (--demo --watch, software renderer, "
                        "timer pacing)",
                        pct, t1 - t0),
            pct <= 15.0);
        add(rss_what, rss_target, fmt::format("{:.1f} MB (VmHWM)", rss), rss <= 150.0);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

/// Waits for `path` to exist (the first-present shim's file), at most `seconds`.
bool wait_for_file(const fs::path& path, double seconds) {
    const double give_up = now_s() + seconds;
    while (!fs::exists(path) && now_s() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return fs::exists(path);
}

void bench_kiosk_idle(bool quick) {
    const std::string what = "CPU while idle (kiosk attract screen)";
    const std::string target = "<= 2 % of one core";
    const fs::path dir = scratch("kiosk");
    const fs::path log = dir / "game.log", first = dir / "first-present";
    {
        // A kiosk without a clinician PIN asks for one first: set it as a clinic would have.
        auto store = profiles::Store::open(dir / "quadventure.db");
        if (!store) {
            failed(what, target, store.error().message);
            return;
        }
        if (auto r = profiles::set_pin(**store, "2468", profiles::PinHashCost{1, 8u << 20}); !r) {
            failed(what, target, r.error().message);
            return;
        }
    }
    std::vector<std::string> env = kSdlEnv;
    env.push_back("LD_PRELOAD=" QV_BENCH_SHIM);
    env.push_back("QV_FIRST_PRESENT_FILE=" + first.string());
    const pid_t pid = spawn({program("QV_BENCH_GAME", QV_BENCH_GAME), "--kiosk", "--data-dir",
                             dir.string(), "--log-level", "info"},
                            env, log);
    if (pid < 0) {
        failed(what, target, "cannot start the game");
        return;
    }
    const bool presented = wait_for_file(first, 30);
    // The attract screen is the kiosk's first screen once a PIN is set; give it a second to settle.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double seconds = quick ? 8 : 20;
    const double cpu0 = process_cpu_s(pid), t0 = now_s();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double cpu1 = process_cpu_s(pid), t1 = now_s();
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!presented || cpu0 < 0 || cpu1 < 0) {
        failed(what, target, "the kiosk did not present a frame: " + read_text(log));
    } else {
        const double pct = 100.0 * (cpu1 - cpu0) / (t1 - t0);
        add(what, target,
            fmt::format("{:.2f} % of a core over {:.0f} s (--kiosk, attract screen at its "
                        "max_fps, software renderer)",
                        pct, t1 - t0),
            pct <= 2.0);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

/// What the game's soak prints (game/app.cpp SoakMeter), read back.
struct SoakResult {
    bool ok = false;
    int visits = 0;
    double hours = 0, growth_pct = 0;
    long warm_kb = 0, end_kb = 0, peak_kb = 0;
};

SoakResult parse_soak(const std::string& text) {
    SoakResult r;
    std::smatch m;
    if (std::regex_search(text, m,
                          std::regex(R"(Soak finished: (\d+) kiosk visits in ([0-9.]+) h)"))) {
        r.visits = std::stoi(m[1]);
        r.hours = std::stod(m[2]);
    }
    if (std::regex_search(
            text, m,
            std::regex(R"(resident memory after visit \d+ \(at [0-9.]+ h\): (\d+) KiB)"))) {
        r.warm_kb = std::stol(m[1]);
    }
    if (std::regex_search(
            text, m, std::regex(R"(resident memory at the end: (\d+) KiB \(peak (\d+) KiB\))"))) {
        r.end_kb = std::stol(m[1]);
        r.peak_kb = std::stol(m[2]);
    }
    if (std::regex_search(text, m, std::regex(R"(growth: ([-+]?[0-9.]+) %)"))) {
        r.growth_pct = std::stod(m[1]);
        r.ok = r.visits > 0;
    }
    return r;
}

/// Runs `argv` to the end (killed after `limit_s`); its exit status, -1 when it did not end.
int run_to_end(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const fs::path& log, double limit_s) {
    const pid_t pid = spawn(argv, env, log);
    if (pid < 0) {
        return -1;
    }
    const double give_up = now_s() + limit_s;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (now_s() > give_up) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// The ASan build of the game for the leak check: $QV_BENCH_ASAN_GAME, else the asan-ubsan
/// preset's, when it exists; empty when there is none.
std::string asan_game() {
    if (const char* v = std::getenv("QV_BENCH_ASAN_GAME"); v != nullptr && *v != '\0') {
        return v;
    }
    // The bench sits in <build>/bench/; the source tree's build/ holds the presets' builds.
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    for (fs::path p = self.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
        const fs::path candidate = p / "asan-ubsan" / "game" / "quadventure";
        if (p.filename() == "build" && fs::exists(candidate, ec)) {
            return candidate.string();
        }
    }
    return {};
}

void bench_soak(bool quick) {
    const std::string what = "soak: 8 simulated hours of kiosk use";
    const std::string target = "RSS growth < 1 %, no leaks";
    const double hours = quick ? 1 : 8;
    const fs::path dir = scratch("soak");
    const int code = run_to_end({program("QV_BENCH_GAME", QV_BENCH_GAME), "--demo", "--kiosk",
                                 "--soak", fmt::format("{}", hours), "--data-dir",
                                 (dir / "data").string(), "--log-level", "warn"},
                                kSdlEnv, dir / "soak.txt", 30 * 60);
    const SoakResult soak = parse_soak(read_text(dir / "soak.txt"));
    if (code != 0 || !soak.ok) {
        failed(what, target,
               fmt::format("the soak ended with status {}: {}", code, read_text(dir / "soak.txt")));
        std::error_code ec;
        fs::remove_all(dir, ec);
        return;
    }
    // Leaks: a short soak of the ASan build under LeakSanitizer, when there is one.
    std::string leaks;
    bool leak_free = false;
    const std::string asan = asan_game();
    if (asan.empty()) {
        leaks = "leaks: not checked (no ASan build)";
    } else if (run_to_end({asan, "--help"}, {}, dir / "help.txt", 60) != 0 ||
               read_text(dir / "help.txt").find("--soak") == std::string::npos) {
        leaks = "leaks: not checked (the ASan build " + asan + " has no --soak: rebuild it)";
    } else {
        std::vector<std::string> env = kSdlEnv;
        env.push_back("ASAN_OPTIONS=detect_leaks=1");
        const int asan_code = run_to_end({asan, "--demo", "--kiosk", "--soak", "0.5", "--data-dir",
                                          (dir / "asan-data").string(), "--log-level", "warn"},
                                         env, dir / "asan.txt", 30 * 60);
        const std::string out = read_text(dir / "asan.txt");
        const bool reported = out.find("LeakSanitizer") != std::string::npos;
        const bool finished = parse_soak(out).ok;
        leak_free = asan_code == 0 && !reported && finished;
        leaks = fmt::format("leaks (ASan build, 0.5 h soak, detect_leaks=1): {}",
                            reported         ? "LeakSanitizer reported leaks"
                            : asan_code != 0 ? fmt::format("exit status {}", asan_code)
                            : !finished      ? "the soak did not finish"
                                             : "none reported");
    }
    add(what, target,
        fmt::format("growth {:+.2f} % ({} KiB after the warm-up -> {} KiB at the end, peak {} "
                    "KiB; {} visits in {:.2f} h{}); {}",
                    soak.growth_pct, soak.warm_kb, soak.end_kb, soak.peak_kb, soak.visits,
                    soak.hours, quick ? ", --quick: 1 h" : "", leaks),
        soak.growth_pct < 1.0 && leak_free);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

void bench_startup(bool quick) {
    const std::string what = "start-up: process start -> first frame";
    const std::string target = "<= 1.5 x bare SDL init+window+present";
    const fs::path dir = scratch("start");
    const fs::path first = dir / "first-present";
    std::vector<std::string> env = kSdlEnv;
    env.push_back("LD_PRELOAD=" QV_BENCH_SHIM);
    env.push_back("QV_FIRST_PRESENT_FILE=" + first.string());
    env.push_back("QV_FIRST_PRESENT_EXIT=1");
    const auto time_one = [&](const std::vector<std::string>& argv) -> double {
        fs::remove(first);
        const long long t0 = monotonic_ns();
        const pid_t pid = spawn(argv, env, dir / "start.log");
        int status = 0;
        if (pid < 0 || ::waitpid(pid, &status, 0) < 0 || !fs::exists(first)) {
            return -1;
        }
        return static_cast<double>(std::stoll(read_text(first)) - t0) / 1e6;
    };
    const std::vector<std::string> game_argv = {program("QV_BENCH_GAME", QV_BENCH_GAME),
                                                "--demo",
                                                "--watch",
                                                "--data-dir",
                                                dir.string(),
                                                "--log-level",
                                                "warn"};
    const std::vector<std::string> bare_argv = {QV_BENCH_BARE};
    // One untimed run of each: the database exists and the page cache is warm for both.
    time_one(game_argv);
    time_one(bare_argv);
    std::vector<double> game_ms, bare_ms;
    for (int i = 0; i < (quick ? 3 : 9); ++i) {
        const double g = time_one(game_argv), b = time_one(bare_argv);
        if (g < 0 || b < 0) {
            failed(what, target,
                   "a program did not present a frame (" + read_text(dir / "start.log") + ")");
            return;
        }
        game_ms.push_back(g);
        bare_ms.push_back(b);
    }
    const double ratio = percentile(game_ms, 50) / percentile(bare_ms, 50);
    add(what, target,
        fmt::format("{:.2f} x (median {:.0f} ms vs {:.0f} ms, {} runs each)", ratio,
                    percentile(game_ms, 50), percentile(bare_ms, 50), game_ms.size()),
        ratio <= 1.5);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

// ---------------------------------------------------------------------------------------------
// (g) storage

void bench_commit(bool quick) {
    const std::string what = "storage: commit a set (10 reps + 100 Hz trace)";
    const std::string target = "p99 <= 5 ms, off the render thread";
    const fs::path dir = scratch("commit");
    {
        auto store = profiles::Store::open(dir / "q.db");
        auto worker = profiles::StorageWorker::start(dir / "q.db");
        if (!store || !worker) {
            failed(what, target, !store ? store.error().message : worker.error().message);
            return;
        }
        auto profile = (*store)->create_profile("Bench", "owl", "Q2");
        profiles::SessionRecord s;
        s.profile_id = profile ? profile->id : 0;
        s.source = SourceIdentity{"open-sensor", "OS-1", "SN1", "1.0.0", true};
        s.level_id = "Q2";
        auto session = (*store)->begin_session(s);
        if (!profile || !session) {
            failed(what, target, "cannot make a session");
            return;
        }
        std::vector<double> ms;
        const int sets = quick ? 40 : 200;
        const std::thread::id render = std::this_thread::get_id();
        bool off_render = true;
        for (int i = 0; i < sets; ++i) {
            profiles::SetRecord set;
            set.session_id = *session;
            set.set_index = i;
            set.dose = QuadSetDose{3, 10, 6.0, 5.0, 60.0, 30.0, 50.0};
            set.started_at = "2030-01-01T10:00:00.000Z";
            set.ended_at = "2030-01-01T10:02:00.000Z";
            for (int r = 0; r < 10; ++r) {
                QuadSetRepScore rep;
                rep.set_index = i;
                rep.rep_index = r;
                rep.target_low_pct = 30;
                rep.target_high_pct = 50;
                rep.hold_s = 6;
                rep.time_in_band_s = 5.2;
                rep.duration_s = 6.5;
                rep.steadiness_cv = 0.06;
                rep.mean_pct = 41;
                rep.peak_pct = 55;
                rep.peak_n = 210;
                rep.success = r % 4 != 3;
                set.reps.push_back(rep);
            }
            set.trace.rate_hz = 100;
            for (int k = 0; k < 100 * 120; ++k) { // two minutes of set at 100 Hz
                set.trace.force_n.push_back(static_cast<float>(std::sin(k * 0.01) * 200.0));
            }
            std::promise<std::thread::id> where;
            (*worker)->submit(
                [&where](profiles::Store&) { where.set_value(std::this_thread::get_id()); });
            off_render = off_render && where.get_future().get() != render;
            const double t0 = now_s();
            auto result = (*worker)->commit_set(std::move(set)).get();
            ms.push_back((now_s() - t0) * 1e3);
            if (!result) {
                failed(what, target, result.error().message);
                return;
            }
        }
        const double p50 = percentile(ms, 50), p99 = percentile(ms, 99);
        add(what, target,
            fmt::format("p50 {:.2f} ms, p99 {:.2f} ms ({} sets, synchronous=FULL; on the "
                        "storage thread: {})",
                        p50, p99, sets, off_render ? "yes" : "NO"),
            p99 <= 5.0 && off_render);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

void bench_history(bool quick) {
    const std::string what = "storage: progress view load, 5 years";
    const std::string target = "<= 50 ms";
    const std::string size_what = "storage: 5 years of data";
    const std::string size_target = "<= 250 MB";
    const fs::path dir = scratch("history");
    const int days = quick ? 365 : 1825;
    {
        auto store = profiles::Store::open(dir / "q.db");
        if (!store) {
            failed(what, target, store.error().message);
            return;
        }
        bench::HistoryOptions h;
        h.last_day = "2030-06-30";
        h.days = days;
        h.adherence = 1.0;
        h.red_flag_chance = 0;
        auto pid = bench::fill_history(**store, h);
        if (!pid) {
            failed(what, target, pid.error().message);
            return;
        }
        store->reset();
        store = profiles::Store::open(dir / "q.db");
        game::ProgressOptions view;
        view.today = h.last_day;
        game::ProgressOptions all = view;
        all.weeks = days / 7 + 2;
        std::vector<double> twelve, whole;
        for (int i = 0; i < 11; ++i) {
            double t0 = now_s();
            (void)game::load_progress(**store, pid.value(), view);
            twelve.push_back((now_s() - t0) * 1e3);
            t0 = now_s();
            (void)game::load_progress(**store, pid.value(), all);
            whole.push_back((now_s() - t0) * 1e3);
        }
        add(what, target,
            fmt::format("{:.1f} ms the screen's 12 weeks, {:.1f} ms all {} days (medians)",
                        percentile(twelve, 50), percentile(whole, 50), days),
            percentile(twelve, 50) <= 50 && percentile(whole, 50) <= 50);
    }
    std::uintmax_t bytes = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        bytes += e.file_size();
    }
    const double mb = static_cast<double>(bytes) / 1e6;
    add(size_what, size_target,
        fmt::format("{:.1f} MB for {} daily sessions{}", mb, days,
                    quick ? " (--quick: 1 year)" : ""),
        mb <= 250.0);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

// ---------------------------------------------------------------------------------------------
// (h) adaptation: the simulator's own table, parsed

void bench_adaptation(bool quick) {
    const std::string what = "adaptation (quadventure-sim)";
    const fs::path dir = scratch("sim");
    const int patients = quick ? 40 : 1000;
    const pid_t pid = spawn({program("QV_BENCH_SIM", QV_BENCH_SIM), "--patients",
                             std::to_string(patients), "--seed", "1"},
                            {}, dir / "sim.txt");
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        failed(what, "see TARGETS.md", "quadventure-sim failed: " + read_text(dir / "sim.txt"));
        return;
    }
    const std::string text = read_text(dir / "sim.txt");
    std::error_code ec;
    fs::remove_all(dir, ec);
    // policy zone% viol/100 redflag% over% under% days-tgt reach% MVC+6wk MVC+end regret sessions
    struct Policy {
        double zone = 0, viol = 0, redflag = 0, days = 1e9, gain_end = 0, regret = 0;
    };
    std::map<std::string, Policy> rows;
    double days_ratio = -1;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string name, days, mid, end;
        double over = 0, under = 0, reach = 0;
        Policy p;
        if (ls >> name >> p.zone >> p.viol >> p.redflag >> over >> under >> days >> reach >> mid >>
            end >> p.regret) {
            p.days = days == "never" ? 1e9 : std::stod(days);
            p.gain_end = std::stod(end);
            rows[name] = p;
        }
        if (line.rfind("engine days to target / oracle:", 0) == 0) {
            days_ratio = std::stod(line.substr(line.find(':') + 1));
        }
    }
    if (!rows.count("engine") || !rows.count("fixed") || !rows.count("staircase")) {
        failed(what, "see TARGETS.md", "cannot read the simulator's table");
        return;
    }
    const Policy& e = rows["engine"];
    const std::string who = fmt::format("{} patients", patients);
    add("adaptation: sessions in the success zone after week 2", ">= 80 %",
        fmt::format("{:.1f} % ({})", e.zone, who), e.zone >= 80);
    add("adaptation: progressions on a non-green day", "0",
        fmt::format("{:.2f} per 100 sessions", e.viol), e.viol == 0);
    add("adaptation: red-flag stops", "100 %", fmt::format("{:.1f} %", e.redflag),
        e.redflag >= 100);
    add("adaptation: days to target dose vs the oracle", "<= 1.2 x",
        days_ratio < 0 ? "engine median: never reached in the simulated weeks"
                       : fmt::format("{:.2f} x", days_ratio),
        days_ratio >= 0 && days_ratio <= 1.2);
    int better = 0, metrics = 0;
    std::string worse;
    for (const char* other : {"fixed", "staircase"}) {
        const Policy& o = rows[other];
        const std::pair<const char*, bool> cmp[] = {
            {"zone", e.zone > o.zone},
            {"violations", e.viol < o.viol || (e.viol == 0 && o.viol == 0)},
            {"red flags", e.redflag > o.redflag},
            {"days", e.days < o.days},
            {"gain", e.gain_end > o.gain_end},
            {"regret", e.regret < o.regret}};
        for (const auto& [name, ok] : cmp) {
            ++metrics;
            better += ok ? 1 : 0;
            if (!ok) {
                worse += fmt::format(" {} vs {};", name, other);
            }
        }
    }
    add("adaptation: better than fixed and staircase", "on every metric",
        fmt::format("better on {} of {}{}", better, metrics,
                    worse.empty() ? "" : " (not:" + worse.substr(0, worse.size() - 1) + ")"),
        better == metrics);
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false;
    std::string only; // --only WORD: just the measurements whose name contains WORD
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--quick") {
            quick = true;
        } else if (a == "--only" && i + 1 < argc) {
            only = argv[++i];
        } else {
            fmt::print(stderr, "usage: quadventure-bench [--quick] [--only WORD]\n");
            return 1;
        }
    }
    std::signal(SIGPIPE, SIG_IGN);
    const auto run = [&only](const char* name, const std::function<void()>& f) {
        if (!only.empty() && std::string(name).find(only) == std::string::npos) {
            return;
        }
        fmt::print(stderr, "bench: {}...\n", name);
        try {
            f();
        } catch (const std::exception& e) {
            failed(name, "-", e.what());
        }
    };
    run("frame cost", [&] { bench_frame_cost(quick); });
    run("sensor to screen", [&] { bench_latency(quick); });
    run("input capacity", [&] { bench_input(quick); });
    run("CPU while playing, peak RSS", [&] { bench_game_process(quick); });
    run("CPU while idle (kiosk)", [&] { bench_kiosk_idle(quick); });
    run("start-up", [&] { bench_startup(quick); });
    run("set commit", [&] { bench_commit(quick); });
    run("progress view and 5-year size", [&] { bench_history(quick); });
    run("adaptation", [&] { bench_adaptation(quick); });
    run("soak", [&] { bench_soak(quick); });
    std::time_t t = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&t));
    fmt::print("\nQuadventure benchmarks, {}{}\n\n", date, quick ? " (--quick)" : "");
    print_table();
    return 0;
}
