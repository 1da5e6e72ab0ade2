// How long the progress view takes to load for five years of daily sessions (TARGETS.md:
// <= 50 ms). Fills a scratch database with 1,825 sessions through the real Store, then loads the
// view's twelve weeks and the whole five years several times, next to the profile home's
// history read as a baseline on the same machine. Prints one table.
//
//   build/dev/bench/progress_load [days]     (QV_BENCH_KEEP_DB=FILE keeps the database)

#include "bench/history.hpp"
#include "game/progress.hpp"
#include "profiles/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace qv;

namespace {

/// Median and worst of `runs` timed calls, in milliseconds.
std::pair<double, double> time_ms(int runs, const std::function<void()>& call) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        call();
        const auto t1 = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

} // namespace

int main(int argc, char** argv) {
    const int days = argc > 1 ? std::max(7, std::atoi(argv[1])) : 1825;
    std::string tmpl = (fs::temp_directory_path() / "qv-bench-progress-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        fmt::print(stderr, "progress_load: cannot make a scratch directory\n");
        return 1;
    }
    const fs::path dir = tmpl;
    int rc = 0;
    {
        auto store = profiles::Store::open(dir / "q.db");
        if (!store) {
            fmt::print(stderr, "progress_load: {}\n", store.error().message);
            return 1;
        }
        bench::HistoryOptions h;
        h.last_day = "2030-06-30";
        h.days = days;
        h.adherence = 1.0; // a session every day
        h.red_flag_chance = 0;
        const auto t0 = std::chrono::steady_clock::now();
        auto pid = bench::fill_history(**store, h);
        if (!pid) {
            fmt::print(stderr, "progress_load: {}\n", pid.error().message);
            fs::remove_all(dir);
            return 1;
        }
        const double fill_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        // Reopen, as the game would: a cold connection, warm page cache.
        store->reset();
        store = profiles::Store::open(dir / "q.db");
        auto& s = **store;
        game::ProgressOptions view;
        view.today = h.last_day;
        game::ProgressOptions all = view;
        all.weeks = days / 7 + 2;
        std::size_t sessions = 0;
        const auto home = time_ms(21, [&] { (void)s.recent_sessions(pid.value(), 5000); });
        const auto twelve = time_ms(21, [&] { (void)game::load_progress(s, pid.value(), view); });
        const auto whole =
            time_ms(21, [&] { sessions = game::load_progress(s, pid.value(), all).dose.size(); });
        fmt::print("progress view load, {} days of sessions ({} in the whole range; filled in "
                   "{:.1f} s, {:.1f} MB)\n",
                   days, sessions, fill_s, static_cast<double>(fs::file_size(dir / "q.db")) / 1e6);
        fmt::print("{:<42} {:>10} {:>10} {:>10}\n", "what", "median ms", "worst ms", "target");
        fmt::print("{:<42} {:>10.2f} {:>10.2f} {:>10}\n",
                   "baseline: home history (recent_sessions)", home.first, home.second, "-");
        fmt::print("{:<42} {:>10.2f} {:>10.2f} {:>10}\n", "load_progress, 12 weeks (the screen)",
                   twelve.first, twelve.second, "<= 50");
        fmt::print("{:<42} {:>10.2f} {:>10.2f} {:>10}\n", "load_progress, whole history",
                   whole.first, whole.second, "<= 50");
        rc = whole.first <= 50 && twelve.first <= 50 ? 0 : 2;
    }
    if (const char* keep = std::getenv("QV_BENCH_KEEP_DB")) { // to look at the queries by hand
        fs::copy_file(dir / "q.db", keep, fs::copy_options::overwrite_existing);
    }
    fs::remove_all(dir);
    return rc;
}
