#pragma once
// A bounded single-producer single-consumer lock-free queue of samples: the only way samples
// cross from the input thread to the game thread.

#include "core/sample.hpp"
#include "input/source.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace qv::input {

/// Fixed-capacity ring buffer. One thread pushes, one thread pops. Never blocks, never allocates
/// after construction; a push into a full queue is counted as dropped.
class SampleQueue final : public SampleSink {
  public:
    /// `capacity` is rounded up to a power of two.
    explicit SampleQueue(std::size_t capacity = 8192);

    /// Producer side. False (and one more dropped()) when full.
    bool push(const Sample& sample) override;
    /// Consumer side. False when empty.
    bool pop(Sample& out);
    /// Consumer side: appends everything available to `out`, returns how many.
    std::size_t drain(std::vector<Sample>& out);

    std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
    std::uint64_t pushed() const { return pushed_.load(std::memory_order_relaxed); }
    std::size_t capacity() const { return buffer_.size(); }

  private:
    std::vector<Sample> buffer_;
    std::size_t mask_;
    alignas(64) std::atomic<std::size_t> head_{0}; // next write (producer)
    alignas(64) std::atomic<std::size_t> tail_{0}; // next read (consumer)
    alignas(64) std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> pushed_{0};
};

} // namespace qv::input
