#pragma once
// The storage thread: owns its own Store and runs writes in order, so the render thread never
// waits on the disk. Each commit resolves a future when it is durable.

#include "profiles/store.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace qv::profiles {

/// A single writer thread with a job queue.
class StorageWorker {
  public:
    /// Opens its own connection to `file` on the worker thread's behalf.
    static Result<std::unique_ptr<StorageWorker>> start(const std::filesystem::path& file);
    ~StorageWorker(); ///< runs the jobs already queued, then stops
    StorageWorker(const StorageWorker&) = delete;
    StorageWorker& operator=(const StorageWorker&) = delete;

    /// Commits a finished set; the future holds the set id or the error.
    std::future<Result<std::int64_t>> commit_set(SetRecord set);
    /// Runs any job on the worker's Store, in order with the others.
    void submit(std::function<void(Store&)> job);
    /// Blocks until every job submitted so far has run.
    void flush();

  private:
    explicit StorageWorker(std::unique_ptr<Store> store);
    void run();
    std::unique_ptr<Store> store_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void(Store&)>> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace qv::profiles
