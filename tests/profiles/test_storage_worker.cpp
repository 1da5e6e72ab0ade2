// The storage thread: order, futures, flush, draining on destruction, surviving failed jobs,
// and a second connection reading while the worker writes.

#include "profiles/storage_worker.hpp"
#include "tests/profiles/helpers.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sqlite3.h>
#include <stdexcept>
#include <thread>

using namespace qv;
using namespace qv::profiles;
using qv::profiles::test::make_session;
using qv::profiles::test::make_set;
using qv::profiles::test::open_store;
using qv::profiles::test::ScratchDir;

namespace {

std::unique_ptr<StorageWorker> start_worker(const std::filesystem::path& file) {
    auto worker = StorageWorker::start(file);
    INFO((worker ? std::string() : worker.error().message));
    REQUIRE(worker.ok());
    return std::move(worker.value());
}

// A profile and a session made through the worker, as the game would.
std::int64_t new_session(StorageWorker& worker) {
    std::promise<std::int64_t> made;
    auto id = made.get_future();
    worker.submit([&made](Store& store) {
        const auto p = store.create_profile("Ada", "fox", "Q2");
        made.set_value(p ? store.begin_session(make_session(p->id)).value() : -1);
    });
    const auto session = id.get();
    REQUIRE(session > 0);
    return session;
}

} // namespace

TEST_CASE("the worker refuses a file it cannot use, with the store's message",
          "[profiles][worker]") {
    ScratchDir dir;
    std::filesystem::create_directories(dir.db().parent_path());
    { std::ofstream(dir.db()) << "not a database at all"; }
    auto worker = StorageWorker::start(dir.db());
    REQUIRE_FALSE(worker.ok());
    CHECK_THAT(worker.error().message, Catch::Contains("not a Quadventure database"));
}

TEST_CASE("jobs run in the order they were submitted, on one other thread", "[profiles][worker]") {
    ScratchDir dir;
    auto worker = start_worker(dir.db());
    std::vector<int> order;
    std::vector<std::thread::id> threads;
    for (int i = 0; i < 200; ++i) {
        worker->submit([&, i](Store&) {
            order.push_back(i); // only the worker thread touches these until flush returns
            threads.push_back(std::this_thread::get_id());
        });
    }
    worker->flush();
    REQUIRE(order.size() == 200);
    for (int i = 0; i < 200; ++i) {
        CHECK(order[static_cast<std::size_t>(i)] == i);
    }
    CHECK(threads.front() != std::this_thread::get_id());
    CHECK(std::count(threads.begin(), threads.end(), threads.front()) == 200);
}

TEST_CASE("commit_set futures resolve with the set id once the set is stored",
          "[profiles][worker]") {
    ScratchDir dir;
    auto worker = start_worker(dir.db());
    const auto session = new_session(*worker);
    std::vector<std::future<Result<std::int64_t>>> futures;
    for (int i = 0; i < 5; ++i) {
        futures.push_back(worker->commit_set(make_set(session, i, 10, 1000, i)));
    }
    std::int64_t previous = 0;
    auto reader = open_store(dir.db());
    for (auto& f : futures) {
        const auto id = f.get();
        REQUIRE(id.ok());
        CHECK(id.value() > previous); // committed in submission order
        previous = id.value();
    }
    // Durable and visible to another connection the moment the future resolved.
    const auto sets = reader->sets_of(session, true);
    REQUIRE(sets.size() == 5);
    CHECK(sets[4].id == previous);
    CHECK(sets[4].trace.force_n == make_set(session, 4, 10, 1000, 4).trace.force_n);
}

TEST_CASE("a failed job is logged and the worker keeps going", "[profiles][worker]") {
    ScratchDir dir;
    auto worker = start_worker(dir.db());
    const auto session = new_session(*worker);

    auto bad = worker->commit_set(make_set(31337, 0)); // no such session
    worker->submit([](Store&) { throw std::runtime_error("a job that throws"); });
    auto good = worker->commit_set(make_set(session, 0));

    const auto bad_result = bad.get();
    REQUIRE_FALSE(bad_result.ok());
    CHECK_THAT(bad_result.error().message, Catch::Contains("session 31337 does not exist"));
    const auto good_result = good.get();
    REQUIRE(good_result.ok());
    std::atomic<bool> ran{false};
    worker->submit([&ran](Store&) { ran = true; });
    worker->flush();
    CHECK(ran);
}

TEST_CASE("flush waits for every job submitted before it", "[profiles][worker]") {
    ScratchDir dir;
    auto worker = start_worker(dir.db());
    std::atomic<int> done{0};
    for (int i = 0; i < 3; ++i) {
        worker->submit([&done](Store&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            ++done;
        });
    }
    worker->flush();
    CHECK(done == 3);
    // Flush from inside a job returns instead of waiting for itself.
    worker->submit([&](Store&) {
        worker->flush();
        ++done;
    });
    worker->flush();
    CHECK(done == 4);
}

TEST_CASE("destroying the worker runs the queued jobs first", "[profiles][worker]") {
    ScratchDir dir;
    std::int64_t session = 0;
    std::vector<std::future<Result<std::int64_t>>> futures;
    {
        auto worker = start_worker(dir.db());
        session = new_session(*worker);
        // Hold the worker up so the commits are still queued when it is destroyed.
        worker->submit([](Store&) { std::this_thread::sleep_for(std::chrono::milliseconds(100)); });
        for (int i = 0; i < 20; ++i) {
            futures.push_back(worker->commit_set(make_set(session, i, 10, 100, i)));
        }
    }
    for (auto& f : futures) {
        REQUIRE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
        CHECK(f.get().ok());
    }
    CHECK(open_store(dir.db())->sets_of(session).size() == 20);
}

TEST_CASE("a reader on the main thread works beside the writer thread (WAL)",
          "[profiles][worker]") {
    ScratchDir dir;
    auto worker = start_worker(dir.db());
    auto reader = open_store(dir.db());
    const auto session = new_session(*worker);
    REQUIRE(worker->commit_set(make_set(session, 0)).get().ok());

    // A long read transaction on the main thread sees one snapshot and does not block the
    // writer: with a rollback journal this commit would wait for the reader and time out.
    REQUIRE(sqlite3_exec(reader->handle(), "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(reader->sets_of(session).size() == 1);
    const auto start = std::chrono::steady_clock::now();
    const auto committed = worker->commit_set(make_set(session, 1)).get();
    const auto waited = std::chrono::steady_clock::now() - start;
    REQUIRE(committed.ok());
    CHECK(waited < std::chrono::seconds(2));
    CHECK(reader->sets_of(session).size() == 1); // still the old snapshot
    REQUIRE(sqlite3_exec(reader->handle(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(reader->sets_of(session).size() == 2);

    // And commits interleaved with reads from the main thread.
    for (int i = 2; i < 12; ++i) {
        auto f = worker->commit_set(make_set(session, i, 10, 200, i));
        (void)reader->recent_sessions(1, 10);
        REQUIRE(f.get().ok());
    }
    const auto summary = reader->recent_sessions(1, 10);
    REQUIRE(summary.size() == 1);
    CHECK(summary[0].sets_done == 12);
    CHECK(summary[0].reps_total == 120);
    CHECK(reader->integrity_check().ok());
}
