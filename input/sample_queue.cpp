#include "input/sample_queue.hpp"

#include <algorithm>
#include <bit>

namespace qv::input {

// head_ and tail_ are free-running counters (they only grow); the slot is counter & mask_, and
// head_ - tail_ is the number of samples waiting. The producer publishes a slot with a release
// store of head_, the consumer frees it with a release store of tail_; each side reads the
// other's counter with acquire so the slot contents are visible before the counter says so.

SampleQueue::SampleQueue(std::size_t capacity)
    : buffer_(std::bit_ceil(std::max<std::size_t>(capacity, 1))), mask_(buffer_.size() - 1) {}

bool SampleQueue::push(const Sample& sample) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    if (head - tail >= buffer_.size()) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    buffer_[head & mask_] = sample;
    head_.store(head + 1, std::memory_order_release);
    pushed_.fetch_add(1, std::memory_order_relaxed);
    return true;
}

bool SampleQueue::pop(Sample& out) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t head = head_.load(std::memory_order_acquire);
    if (tail == head) {
        return false;
    }
    out = buffer_[tail & mask_];
    tail_.store(tail + 1, std::memory_order_release);
    return true;
}

std::size_t SampleQueue::drain(std::vector<Sample>& out) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t head = head_.load(std::memory_order_acquire);
    for (std::size_t i = tail; i != head; ++i) {
        out.push_back(buffer_[i & mask_]);
    }
    tail_.store(head, std::memory_order_release);
    return head - tail;
}

} // namespace qv::input
