#include "input/drivers/replay/replay.hpp"

#include <algorithm>

namespace qv::input {

namespace {

SourceIdentity replay_identity(const SourceIdentity& recorded) {
    SourceIdentity id = recorded;
    id.driver = "replay";
    id.model = recorded.model.empty() ? recorded.driver : recorded.driver + "/" + recorded.model;
    return id;
}

} // namespace

ReplaySource::ReplaySource(Recording recording)
    : recording_(std::move(recording)), identity_(replay_identity(recording_.header.source)) {
    std::stable_sort(recording_.samples.begin(), recording_.samples.end(),
                     [](const Sample& a, const Sample& b) { return a.t_us < b.t_us; });
}

ReplaySource::ReplaySource(LoadFailure failure)
    : identity_{"replay", "", "", "", false}, error_(std::move(failure.error)) {}

std::unique_ptr<ReplaySource> ReplaySource::open(const std::filesystem::path& path) {
    Result<Recording> loaded = read_recording(path);
    if (!loaded) {
        return std::unique_ptr<ReplaySource>(new ReplaySource(LoadFailure{loaded.error().message}));
    }
    return std::make_unique<ReplaySource>(std::move(loaded).value());
}

SourceCaps ReplaySource::caps() const {
    SourceCaps caps;
    for (Channel c : recording_.header.channels) {
        caps.force = caps.force || c == Channel::Force;
        caps.knee_angle = caps.knee_angle || c == Channel::KneeAngle;
    }
    caps.rate_hz = recording_.header.rate_hz;
    return caps;
}

bool ReplaySource::start(SampleSink& sink) {
    if (!error_.empty()) {
        return false;
    }
    std::lock_guard lock(mutex_);
    sink_.store(&sink);
    anchored_ = false;
    return true;
}

void ReplaySource::stop() {
    // Taking the lock waits for a running advance_to, so nothing reaches the sink afterwards.
    std::lock_guard lock(mutex_);
    sink_.store(nullptr);
}

SourceState ReplaySource::state() const {
    if (!error_.empty()) {
        return SourceState::Failed;
    }
    std::lock_guard lock(mutex_);
    if (next_ >= recording_.samples.size()) {
        return SourceState::Disconnected;
    }
    return sink_.load() != nullptr ? SourceState::Streaming : SourceState::Stopped;
}

std::string ReplaySource::last_error() const {
    return error_;
}

void ReplaySource::advance_to(Micros t_us) {
    std::lock_guard lock(mutex_);
    SampleSink* sink = sink_.load();
    if (sink == nullptr) {
        return;
    }
    if (!anchored_) {
        start_us_ = t_us - resume_offset_us_;
        anchored_ = true;
    }
    const Micros due = t_us - start_us_;
    while (next_ < recording_.samples.size() && recording_.samples[next_].t_us <= due) {
        Sample s = recording_.samples[next_];
        resume_offset_us_ = s.t_us;
        s.t_us += start_us_;
        ++next_;
        sink->push(s);
    }
}

void ReplaySource::rewind() {
    std::lock_guard lock(mutex_);
    next_ = 0;
    anchored_ = false;
    resume_offset_us_ = 0;
}

std::size_t ReplaySource::played() const {
    std::lock_guard lock(mutex_);
    return next_;
}

} // namespace qv::input
