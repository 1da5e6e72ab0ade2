#include "input/drivers/phidget_bridge/driver.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <libusb.h>
#include <utility>

namespace qv::input {

namespace {

namespace pb = phidget_bridge;

// The OUT report is sent as a whole report of this size when the interface has no interrupt OUT
// endpoint to take its size from (libphidget21 sends the board's 8-byte output report with
// SET_REPORT; not checked against a real board).
constexpr std::size_t kSetReportSize = 8;
constexpr unsigned kWriteTimeoutMs = 500;

std::shared_ptr<spdlog::logger> logger() {
    return log::get("input");
}

} // namespace

PhidgetBridgeSource::PhidgetBridgeSource(std::uint16_t vendor_id, std::uint16_t product_id,
                                         PhidgetBridgeOptions options)
    : vendor_id_(vendor_id), product_id_(product_id), options_(options), conn_("PhidgetBridge") {
    options_.channel = std::clamp(options_.channel, 0, pb::kChannels - 1);
    identity_.driver = "phidget-bridge";
    identity_.model = "PhidgetBridge 1046";
    identity_.is_measurement = true;
    caps_.force = true;
    caps_.knee_angle = false;
    caps_.rate_hz =
        1000.0 / std::max<std::uint32_t>(pb::kMinIntervalMs, options_.data_interval_ms / 8 * 8);
}

PhidgetBridgeSource::~PhidgetBridgeSource() {
    stop();
}

SourceCaps PhidgetBridgeSource::caps() const {
    return caps_;
}

std::string PhidgetBridgeSource::last_error() const {
    std::lock_guard lock(error_mutex_);
    return last_error_;
}

void PhidgetBridgeSource::set_error(std::string message) {
    std::lock_guard lock(error_mutex_);
    last_error_ = std::move(message);
}

void PhidgetBridgeSource::fail(std::string message) {
    logger()->error("PhidgetBridge: {}", message);
    set_error(std::move(message));
    conn_.close();
    state_ = SourceState::Failed;
}

void PhidgetBridgeSource::set_calibration(const pb::TwoPointCalibration& calibration) {
    std::lock_guard lock(mutex_);
    calibration_ = calibration;
}

void PhidgetBridgeSource::clear_calibration() {
    std::lock_guard lock(mutex_);
    calibration_.reset();
}

bool PhidgetBridgeSource::calibrated() const {
    std::lock_guard lock(mutex_);
    return calibration_.has_value();
}

RatioStats PhidgetBridgeSource::ratio_stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void PhidgetBridgeSource::reset_ratio_stats() {
    std::lock_guard lock(mutex_);
    stats_ = RatioStats{};
    stats_sum_ = 0;
    stats_in_range_ = 0;
}

std::vector<std::uint8_t> PhidgetBridgeSource::last_out_report() const {
    std::lock_guard lock(mutex_);
    return out_report_;
}

bool PhidgetBridgeSource::start(SampleSink& sink) {
    stop();
    set_error({});
    rejected_ = 0;
    dropped_ = 0;
    reset_ratio_stats();
    sink_ = &sink;

    pb::BridgeConfig config;
    const auto ch = static_cast<std::size_t>(options_.channel);
    config.enabled[ch] = true;
    config.gain[ch] = options_.gain;
    config.data_interval_ms = options_.data_interval_ms;
    std::array<std::uint8_t, pb::kOutSize> out{};
    if (auto e = pb::build_out_report(config, out)) {
        fail(e->message);
        return false;
    }
    if (!conn_.open(vendor_id_, product_id_, pb::kInHeaderSize + 3 * (ch + 1))) {
        fail(conn_.error());
        return false;
    }
    if (!conn_.product().empty()) {
        identity_.model = conn_.product();
    }
    identity_.serial = conn_.serial();
    if (!conn_.start_reading([this](std::span<const std::uint8_t> r, Micros t) { on_report(r, t); },
                             [this] { on_gone(); })) {
        fail(conn_.error());
        return false;
    }
    const std::size_t size = conn_.endpoints().out != 0
                                 ? std::max(pb::kOutSize, conn_.endpoints().out_size)
                                 : kSetReportSize;
    std::vector<std::uint8_t> report(size, 0);
    std::copy(out.begin(), out.end(), report.begin());
    {
        std::lock_guard lock(mutex_);
        out_report_ = report;
    }
    const int r = conn_.write(report, kWriteTimeoutMs);
    if (r != LIBUSB_SUCCESS) {
        fail(fmt::format("cannot configure the bridge (enable input {}, gain x{}, {} ms): {}",
                         options_.channel, pb::gain_factor(options_.gain),
                         options_.data_interval_ms, libusb_strerror(r)));
        return false;
    }
    state_ = SourceState::Streaming;
    if (!calibrated()) {
        logger()->warn("PhidgetBridge: not calibrated: bridge ratios only, no force samples until "
                       "a two-point calibration is set");
    }
    logger()->info("PhidgetBridge {} (serial {}) streaming input {} at gain x{} every {} ms",
                   identity_.model, identity_.serial.empty() ? "?" : identity_.serial,
                   options_.channel, pb::gain_factor(options_.gain), options_.data_interval_ms);
    return true;
}

// Runs on the event thread.
void PhidgetBridgeSource::on_report(std::span<const std::uint8_t> report, Micros t_us) {
    pb::InputReport in;
    if (auto e = pb::parse_in_report(report, in)) {
        ++rejected_;
        int held = 0;
        if (limiter_.allow("report", &held)) {
            logger()->warn("PhidgetBridge: report rejected: {} ({} more held back)", e->message,
                           held);
        }
        return;
    }
    const pb::ChannelReading& c = in.channels[static_cast<std::size_t>(options_.channel)];
    if (!c.new_data) {
        return;
    }
    std::optional<Sample> sample;
    {
        std::lock_guard lock(mutex_);
        ++stats_.count;
        stats_.last_mv_per_v = c.ratio * 1000.0;
        if (c.out_of_range) {
            ++stats_.out_of_range;
        } else {
            stats_sum_ += c.ratio;
            ++stats_in_range_;
            stats_.mean_mv_per_v = stats_sum_ / static_cast<double>(stats_in_range_) * 1000.0;
        }
        if (calibration_) {
            sample =
                Sample{t_us, Channel::Force, static_cast<float>(calibration_->newtons(c.ratio)),
                       c.out_of_range ? kFlagSaturated : kFlagNone};
        }
    }
    if (sample && !sink_->push(*sample)) {
        ++dropped_;
        int held = 0;
        if (limiter_.allow("queue", &held)) {
            logger()->warn("PhidgetBridge: sample queue full, sample dropped ({} more held back)",
                           held);
        }
    }
}

// Runs on the event thread.
void PhidgetBridgeSource::on_gone() {
    set_error(
        fmt::format("the PhidgetBridge {:04x}:{:04x} was disconnected", vendor_id_, product_id_));
    if (state_.load() == SourceState::Streaming) {
        state_ = SourceState::Disconnected;
    }
}

void PhidgetBridgeSource::stop() {
    conn_.close();
    sink_ = nullptr;
    if (state_.load() == SourceState::Streaming) {
        state_ = SourceState::Stopped;
    }
}

} // namespace qv::input
