// quadventure-sim: the benchmark of the adaptation engine on a virtual-patient cohort.
//
//   quadventure-sim [--cohort FILE] [--seed N] [--patients N] [--weeks N] [--threads N]
//                   [--trace PATIENT]
//
// --trace prints the engine's decisions for one patient (plain English, describe()) on stderr.
// Prints one table (every policy, same patients, same seeds) on stdout and the run time on
// stderr. The output depends only on the cohort, the seed, the patients and the weeks.

#include "tools/sim/cohort.hpp"
#include "tools/sim/simulate.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void usage(std::FILE* to) {
    std::fprintf(to,
                 "usage: quadventure-sim [--cohort FILE] [--seed N] [--patients N] "
                 "[--weeks N] [--threads N] [--trace PATIENT]\n"
                 "default cohort: %s\n",
                 QV_DEFAULT_COHORT);
}

bool parse_number(std::string_view text, long long lo, long long hi, long long& out) {
    if (text.empty())
        return false;
    char* end = nullptr;
    const std::string s(text);
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (end == nullptr || *end != '\0' || v < lo || v > hi)
        return false;
    out = v;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    std::string cohort_path = QV_DEFAULT_COHORT;
    long long seed = 1;
    long long patients = -1;
    long long weeks = -1;
    long long threads = 2;
    long long trace = -1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            return 0;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "quadventure-sim: %s needs a value\n", argv[i]);
            usage(stderr);
            return 2;
        }
        const std::string_view value = argv[++i];
        bool ok = true;
        if (arg == "--cohort")
            cohort_path = std::string(value);
        else if (arg == "--seed")
            ok = parse_number(value, 0, (1LL << 62), seed);
        else if (arg == "--patients")
            ok = parse_number(value, 1, 1000000, patients);
        else if (arg == "--weeks")
            ok = parse_number(value, 1, 104, weeks);
        else if (arg == "--trace")
            ok = parse_number(value, 0, 1000000, trace);
        else if (arg == "--threads")
            ok = parse_number(value, 1, 64, threads);
        else {
            std::fprintf(stderr, "quadventure-sim: unknown option %s\n", argv[i - 1]);
            usage(stderr);
            return 2;
        }
        if (!ok) {
            std::fprintf(stderr, "quadventure-sim: bad value for %s: %s\n", argv[i - 1], argv[i]);
            return 2;
        }
    }
    auto cohort = qv::sim::load_cohort(cohort_path);
    if (!cohort) {
        std::fprintf(stderr, "quadventure-sim: %s\n", cohort.error().message.c_str());
        return 2;
    }
    const int n = patients > 0 ? static_cast<int>(patients) : cohort->patients;
    const int w = weeks > 0 ? static_cast<int>(weeks) : cohort->weeks;
    if (trace >= 0) {
        std::fprintf(stderr, "engine decisions for patient %lld:\n", trace);
        (void)qv::sim::simulate_patient(*cohort, static_cast<std::uint64_t>(seed),
                                        static_cast<int>(trace), qv::sim::Policy::Engine, w * 7,
                                        stderr);
    }
    const auto start = std::chrono::steady_clock::now();
    const qv::sim::Report report = qv::sim::run_cohort(*cohort, static_cast<std::uint64_t>(seed), n,
                                                       w, static_cast<int>(threads));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fputs(qv::sim::format_report(report).c_str(), stdout);
    std::fflush(stdout);
    std::fprintf(stderr, "run time: %.2f s (%d patients x %zu policies, %lld threads)\n", seconds,
                 n, qv::sim::kPolicies.size(), threads);
    return 0;
}
