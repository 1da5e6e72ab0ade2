// The power-cut test's writer: commits sets of 10 reps and a 10 s, 100 Hz trace through a
// StorageWorker, one after another, and prints "committed <set id>" only after each commit's
// future has resolved. The test kills it at random moments.
//
// Usage: kill_writer <database> [max sets]

#include "profiles/storage_worker.hpp"
#include "tests/profiles/records.hpp"

#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>

using namespace qv::profiles;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: kill_writer <database> [max sets]\n");
        return 2;
    }
    const long max_sets = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 20000;
    auto worker = StorageWorker::start(argv[1]);
    if (!worker) {
        std::fprintf(stderr, "kill_writer: %s\n", worker.error().message.c_str());
        return 3;
    }

    // Every run continues the same profile in a new session.
    std::promise<qv::Result<std::int64_t>> made;
    auto session_future = made.get_future();
    worker.value()->submit([&made](Store& store) {
        auto all = store.profiles();
        std::int64_t profile_id = 0;
        if (all.empty()) {
            auto created = store.create_profile("Power Cut", "owl", "Q2");
            if (!created) {
                made.set_value(created.error());
                return;
            }
            profile_id = created->id;
        } else {
            profile_id = all.front().id;
        }
        made.set_value(store.begin_session(test::make_session(profile_id)));
    });
    const auto session = session_future.get();
    if (!session) {
        std::fprintf(stderr, "kill_writer: %s\n", session.error().message.c_str());
        return 4;
    }

    for (int set_index = 0; set_index < max_sets; ++set_index) {
        // 10 reps and 10 s at 100 Hz; the trace values depend on the set index so the test can
        // rebuild and compare them.
        auto committed =
            worker.value()
                ->commit_set(test::make_set(session.value(), set_index, 10, 1000, set_index))
                .get();
        if (!committed) {
            std::fprintf(stderr, "kill_writer: %s\n", committed.error().message.c_str());
            return 5;
        }
        std::printf("committed %lld\n", static_cast<long long>(committed.value()));
        std::fflush(stdout);
    }
    return 0;
}
