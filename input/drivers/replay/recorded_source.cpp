#include "input/drivers/replay/recorded_source.hpp"

#include "core/log.hpp"

#include <chrono>

namespace qv::input {

RecordedSource::RecordedSource(std::unique_ptr<Source> inner, std::filesystem::path path,
                               const Clock& clock)
    : inner_(std::move(inner)), clocked_(dynamic_cast<ClockedSource*>(inner_.get())),
      path_(std::move(path)), clock_(clock) {}

RecordedSource::~RecordedSource() {
    stop();
}

bool RecordedSource::start(SampleSink& sink) {
    stop();
    error_.clear();
    RecordingHeader header;
    header.source = inner_->identity();
    const SourceCaps caps = inner_->caps();
    if (caps.force) {
        header.channels.push_back(Channel::Force);
    }
    if (caps.knee_angle) {
        header.channels.push_back(Channel::KneeAngle);
    }
    if (header.channels.empty()) {
        header.channels.push_back(Channel::Force);
    }
    header.rate_hz = caps.rate_hz;
    header.start_time = utc_timestamp(std::chrono::system_clock::now());
    auto writer = RecordingWriter::create(path_, header, clock_.now_us(), sink);
    if (!writer) {
        error_ = writer.error().message;
        log::get("input")->error("{}", error_);
        return false;
    }
    writer_ = std::move(writer).value();
    if (!inner_->start(*writer_)) {
        (void)writer_->close(); // empty recording of a source that never started
        writer_.reset();
        return false;
    }
    log::get("input")->info("recording {} into {}", inner_->identity().driver, path_.string());
    return true;
}

void RecordedSource::stop() {
    inner_->stop();
    if (writer_) {
        if (auto closed = writer_->close(); !closed) {
            log::get("input")->error("{}", closed.error().message);
        }
        writer_.reset();
    }
}

std::string RecordedSource::last_error() const {
    return error_.empty() ? inner_->last_error() : error_;
}

void RecordedSource::advance_to(Micros t_us) {
    if (clocked_ != nullptr) {
        clocked_->advance_to(t_us);
    }
}

} // namespace qv::input
