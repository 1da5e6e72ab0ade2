#include "profiles/storage_worker.hpp"

#include "core/log.hpp"

#include <exception>

namespace qv::profiles {

Result<std::unique_ptr<StorageWorker>> StorageWorker::start(const std::filesystem::path& file) {
    // Opened here so the caller learns at once when the file cannot be used; the connection is
    // then used only by the worker thread (SQLite allows handing a connection to another thread
    // as long as two threads never use it at the same time).
    auto store = Store::open(file);
    if (!store) {
        return store.error();
    }
    return std::unique_ptr<StorageWorker>(new StorageWorker(std::move(store.value())));
}

StorageWorker::StorageWorker(std::unique_ptr<Store> store) : store_(std::move(store)) {
    thread_ = std::thread([this] { run(); });
}

StorageWorker::~StorageWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

std::future<Result<std::int64_t>> StorageWorker::commit_set(SetRecord set) {
    auto promise = std::make_shared<std::promise<Result<std::int64_t>>>();
    auto future = promise->get_future();
    submit([promise, record = std::move(set)](Store& store) {
        Result<std::int64_t> result = fail("set not committed");
        try {
            result = store.commit_set(record);
        } catch (const std::exception& e) {
            result = fail(std::string("committing a set: ") + e.what());
        }
        if (!result) {
            log::get("storage")->error("{}", result.error().message);
        }
        promise->set_value(std::move(result));
    });
    return future;
}

void StorageWorker::submit(std::function<void(Store&)> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
}

void StorageWorker::flush() {
    if (std::this_thread::get_id() == thread_.get_id()) {
        return; // called from a job: the jobs before it have run, the rest would wait for us
    }
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    submit([done](Store&) { done->set_value(); });
    finished.wait();
}

void StorageWorker::run() {
    for (;;) {
        std::function<void(Store&)> job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) {
                return; // stopping, and everything queued has run
            }
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        try {
            job(*store_);
        } catch (const std::exception& e) {
            log::get("storage")->error("a storage job failed: {}", e.what());
        } catch (...) {
            log::get("storage")->error("a storage job failed with an unknown exception");
        }
    }
}

} // namespace qv::profiles
