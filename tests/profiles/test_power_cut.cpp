// The power-cut test: a writer process is SIGKILLed at random moments while it commits sets,
// again and again on the same database. After every kill the database must pass its integrity
// check, and every set the writer reported as committed must be there in full.

#include "core/rng.hpp"
#include "tests/profiles/helpers.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef QV_KILL_WRITER
#error "QV_KILL_WRITER must name the kill_writer executable"
#endif

using namespace qv;
using namespace qv::profiles;
using qv::profiles::test::make_set;
using qv::profiles::test::open_store;
using qv::profiles::test::ScratchDir;

namespace {

using Clock = std::chrono::steady_clock;

// One run of the writer: started, read until `kill_after`, killed. Returns the set ids it
// reported as committed; `how` describes how it ended.
std::vector<std::int64_t> run_and_kill(const std::filesystem::path& db,
                                       std::chrono::milliseconds kill_after, std::string& how) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    std::string program = QV_KILL_WRITER;
    std::string db_arg = db.string();
    char* argv[] = {program.data(), db_arg.data(), nullptr};
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // Only async-signal-safe calls until exec. Die with the test if it dies.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(126);
        }
        ::dup2(fds[1], STDOUT_FILENO);
        ::execv(argv[0], argv);
        ::_exit(127);
    }
    ::close(fds[1]);

    std::string output;
    bool eof = false;
    const auto read_some = [&](int timeout_ms) {
        pollfd p{fds[0], POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) > 0) {
            char buffer[4096];
            const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
            if (n > 0) {
                output.append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0) {
                eof = true;
            }
        }
    };
    const auto kill_at = Clock::now() + kill_after;
    while (!eof && Clock::now() < kill_at) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(kill_at - Clock::now());
        read_some(static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    while (!eof) {
        read_some(1000);
    }
    ::close(fds[0]);
    if (WIFSIGNALED(status)) {
        how = WTERMSIG(status) == SIGKILL ? "killed" : "signal " + std::to_string(WTERMSIG(status));
    } else {
        how = "exited with " + std::to_string(WEXITSTATUS(status));
    }

    // Only whole lines count: a line is written in one go after its commit resolved.
    std::vector<std::int64_t> ids;
    std::istringstream lines(output.substr(0, output.rfind('\n') + 1));
    std::string word;
    std::int64_t id = 0;
    while (lines >> word >> id) {
        REQUIRE(word == "committed");
        ids.push_back(id);
    }
    return ids;
}

} // namespace

TEST_CASE("SIGKILL at random moments never corrupts the database nor loses a committed set",
          "[profiles][power_cut]") {
    ScratchDir dir;
    Rng rng(0x506f776572437574ull); // fixed seed: the same kill moments on every run
    constexpr int kRounds = 24;
    std::vector<std::int64_t> committed;
    int killed = 0;
    for (int round = 0; round < kRounds; ++round) {
        // Mostly mid-stream, sometimes during start-up and migration.
        const auto after =
            std::chrono::milliseconds(round % 6 == 0 ? static_cast<int>(rng.uniform(0, 15))
                                                     : static_cast<int>(rng.uniform(20, 220)));
        std::string how;
        const auto ids = run_and_kill(dir.db(), after, how);
        INFO("round " << round << ", killed after " << after.count() << " ms: " << how);
        REQUIRE(how == "killed");
        ++killed;
        committed.insert(committed.end(), ids.begin(), ids.end());

        auto store = open_store(dir.db());
        const auto integrity = store->integrity_check();
        INFO((integrity ? std::string("ok") : integrity.error().message));
        REQUIRE(integrity.ok());
    }
    CHECK(killed == kRounds);

    auto store = open_store(dir.db());
    const auto profiles = store->profiles();
    REQUIRE(profiles.size() == 1);
    std::map<std::int64_t, SetRecord> stored;
    for (const auto& summary : store->recent_sessions(profiles[0].id, 1000)) {
        for (auto& set : store->sets_of(summary.session.id, true)) {
            stored.emplace(set.id, std::move(set));
        }
    }
    // Every set reported committed is there, whole and exact.
    for (const auto id : committed) {
        INFO("set " << id);
        const auto it = stored.find(id);
        REQUIRE(it != stored.end());
        const SetRecord& got = it->second;
        const SetRecord want = make_set(got.session_id, got.set_index, 10, 1000, got.set_index);
        REQUIRE(got.reps.size() == 10);
        CHECK(got.reps.back().peak_n == want.reps.back().peak_n);
        CHECK(got.trace.rate_hz == 100.0);
        CHECK(got.trace.force_n == want.trace.force_n);
    }
    // And no set anywhere is partial, reported or not.
    for (const auto& [id, set] : stored) {
        INFO("set " << id);
        CHECK(set.reps.size() == 10);
        CHECK(set.trace.force_n.size() == 1000);
    }
    CHECK(stored.size() >= committed.size());
    // The kills must have landed among commits for the test to mean anything.
    CHECK(committed.size() >= 50);
}
