#include "input/drivers/joystick/joystick.hpp"

#include <algorithm>

namespace qv::input {

JoystickAxisSource::JoystickAxisSource(std::optional<JoystickDevice> device)
    : device_(std::move(device)) {
    identity_.driver = "joystick";
    if (device_) {
        identity_.model = device_->name;
        identity_.serial = device_->guid; // SDL's GUID: bus, vendor, product and version
    }
    identity_.is_measurement = false; // until calibrated
}

SourceCaps JoystickAxisSource::caps() const {
    // The game reads the axis once per frame.
    return SourceCaps{true, false, 60.0};
}

bool JoystickAxisSource::start(SampleSink& sink) {
    std::lock_guard lock(mutex_);
    if (!device_) {
        state_ = SourceState::Failed;
        error_ = "no joystick-board load cell is connected";
        return false;
    }
    if (state_ == SourceState::Disconnected) {
        return false; // a board that went away stays gone: the game makes a new source
    }
    sink_ = &sink;
    state_ = SourceState::Streaming;
    error_.clear();
    return true;
}

void JoystickAxisSource::stop() {
    std::lock_guard lock(mutex_);
    sink_ = nullptr;
    if (state_ == SourceState::Streaming) {
        state_ = SourceState::Stopped;
    }
}

SourceState JoystickAxisSource::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

std::string JoystickAxisSource::last_error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

void JoystickAxisSource::set_disconnected() {
    std::lock_guard lock(mutex_);
    sink_ = nullptr;
    state_ = SourceState::Disconnected;
    error_ = "the joystick board was unplugged";
}

int JoystickAxisSource::last_axis() const {
    std::lock_guard lock(mutex_);
    return last_axis_;
}

void JoystickAxisSource::feed_axis(Micros t_us, int value) {
    std::lock_guard lock(mutex_);
    if (state_ != SourceState::Streaming || sink_ == nullptr) {
        return;
    }
    if (last_t_ && t_us <= *last_t_) {
        return; // one reading per moment: the filter would reject a repeat anyway
    }
    last_t_ = t_us;
    const int clamped = std::clamp(value, kAxisMin, kAxisMax);
    last_axis_ = clamped;
    if (raw_.size() >= kMaxRawBacklog) {
        raw_.erase(raw_.begin(), raw_.begin() + static_cast<std::ptrdiff_t>(raw_.size() / 2));
    }
    raw_.push_back({t_us, static_cast<double>(clamped)});
    if (!scale_) {
        return; // raw units are not newtons
    }
    Sample s;
    s.t_us = t_us;
    s.channel = Channel::Force;
    s.value = static_cast<float>(scale_->newtons(clamped));
    // The firmware pins the axis at either end when the HX711 is at its limit (or beyond what
    // the board maps): the true force is unknown there.
    if (clamped <= kAxisMin || clamped >= kAxisMax) {
        s.flags = kFlagSaturated;
    }
    sink_->push(s);
}

void JoystickAxisSource::take_raw(std::vector<RawReading>& out) {
    std::lock_guard lock(mutex_);
    out.insert(out.end(), raw_.begin(), raw_.end());
    raw_.clear();
}

void JoystickAxisSource::set_two_point(const std::optional<TwoPointScale>& scale) {
    std::lock_guard lock(mutex_);
    scale_ = scale;
    identity_.is_measurement = scale_.has_value();
}

std::optional<TwoPointScale> JoystickAxisSource::two_point() const {
    std::lock_guard lock(mutex_);
    return scale_;
}

} // namespace qv::input
