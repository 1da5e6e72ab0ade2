#include "input/drivers/godirect/driver.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <libusb.h>
#include <utility>

namespace qv::input {

namespace {

namespace gd = godirect;

// How long stop() waits for the answers to STOP and DISCONNECT (not waiting would be fine too).
constexpr auto kGoodbyeTimeout = std::chrono::milliseconds(200);
// Sensor numbers asked about at most (the mask has 32 bits).
constexpr int kMaxSensors = 32;

std::shared_ptr<spdlog::logger> logger() {
    return log::get("input");
}

const char* command_name(gd::Command c) {
    switch (c) {
    case gd::Command::GetStatus:
        return "GET_STATUS";
    case gd::Command::Start:
        return "START";
    case gd::Command::Stop:
        return "STOP";
    case gd::Command::Init:
        return "INIT";
    case gd::Command::SetMeasurementPeriod:
        return "SET_MEASUREMENT_PERIOD";
    case gd::Command::GetSensorInfo:
        return "GET_SENSOR_INFO";
    case gd::Command::GetSensorAvailableMask:
        return "GET_SENSOR_AVAILABLE_MASK";
    case gd::Command::Disconnect:
        return "DISCONNECT";
    case gd::Command::GetDeviceInfo:
        return "GET_DEVICE_INFO";
    case gd::Command::GetDefaultSensorsMask:
        return "GET_DEFAULT_SENSORS_MASK";
    }
    return "?";
}

} // namespace

GoDirectSource::GoDirectSource(std::uint16_t vendor_id, std::uint16_t product_id,
                               GoDirectOptions options)
    : vendor_id_(vendor_id), product_id_(product_id), options_(options), conn_("Go Direct") {
    identity_.driver = "godirect";
    identity_.model = "Go Direct";
    identity_.is_measurement = true;
    caps_.force = true;
    caps_.knee_angle = false;
    caps_.rate_hz = 1e6 / std::max<std::uint32_t>(1, options_.period_us);
}

GoDirectSource::~GoDirectSource() {
    stop();
}

SourceCaps GoDirectSource::caps() const {
    return caps_;
}

std::string GoDirectSource::last_error() const {
    std::lock_guard lock(error_mutex_);
    return last_error_;
}

void GoDirectSource::set_error(std::string message) {
    std::lock_guard lock(error_mutex_);
    last_error_ = std::move(message);
}

void GoDirectSource::fail(std::string message) {
    logger()->error("Go Direct: {}", message);
    set_error(std::move(message));
    measuring_ = false;
    conn_.close();
    state_ = SourceState::Failed;
}

bool GoDirectSource::start(SampleSink& sink) {
    stop();
    set_error({});
    rejected_ = 0;
    dropped_ = 0;
    assembler_.reset();
    mapper_.reset();
    measuring_ = false;
    sink_ = &sink;
    {
        std::lock_guard lock(response_mutex_);
        responses_.clear();
        gone_ = false;
    }
    if (!conn_.open(vendor_id_, product_id_, gd::kReportSize)) {
        fail(conn_.error());
        return false;
    }
    if (!conn_.product().empty()) {
        identity_.model = std::string(gd::model_name(gd::model_from_product(conn_.product())));
    }
    identity_.serial = conn_.serial();
    if (!conn_.start_reading([this](std::span<const std::uint8_t> r, Micros t) { on_report(r, t); },
                             [this] { on_gone(); })) {
        fail(conn_.error());
        return false;
    }
    if (!run_command_sequence()) {
        return false;
    }
    state_ = SourceState::Streaming;
    logger()->info("Go Direct {} (serial {}, firmware {}) streaming sensor {} in {} every {} us",
                   identity_.model, identity_.serial.empty() ? "?" : identity_.serial,
                   identity_.firmware.empty() ? "?" : identity_.firmware, force_sensor_,
                   force_unit_, period_us_);
    return true;
}

bool GoDirectSource::run_command_sequence() {
    gd::Response r;
    if (!transact(builder_.init(), gd::Command::Init, r)) {
        return false;
    }
    if (auto e = gd::check_ok(r, gd::Command::Init)) {
        fail(fmt::format("INIT: {}", e->message));
        return false;
    }

    if (!transact(builder_.get_device_info(), gd::Command::GetDeviceInfo, r)) {
        return false;
    }
    gd::DeviceInfo info;
    if (auto e = gd::parse_device_info(r, info)) {
        fail(fmt::format("GET_DEVICE_INFO: {}", e->message));
        return false;
    }
    if (conn_.product().empty() || gd::model_from_product(conn_.product()) == gd::Model::Other) {
        // The USB product string names the model; the device's own name is the fallback.
        const gd::Model m = gd::model_from_product(info.name) != gd::Model::Other
                                ? gd::model_from_product(info.name)
                                : gd::model_from_product(info.order_code);
        identity_.model = std::string(gd::model_name(m));
    }
    if (!info.serial_number.empty()) {
        identity_.serial = info.serial_number;
    }
    identity_.firmware = info.primary_firmware;

    std::uint32_t default_mask = 0;
    std::uint32_t available_mask = 0;
    if (!transact(builder_.get_default_mask(), gd::Command::GetDefaultSensorsMask, r)) {
        return false;
    }
    if (auto e = gd::parse_mask(r, gd::Command::GetDefaultSensorsMask, default_mask)) {
        fail(fmt::format("GET_DEFAULT_SENSORS_MASK: {}", e->message));
        return false;
    }
    if (!transact(builder_.get_available_mask(), gd::Command::GetSensorAvailableMask, r)) {
        return false;
    }
    if (auto e = gd::parse_mask(r, gd::Command::GetSensorAvailableMask, available_mask)) {
        fail(fmt::format("GET_SENSOR_AVAILABLE_MASK: {}", e->message));
        return false;
    }

    std::vector<gd::SensorInfo> sensors;
    for (int n = 0; n < kMaxSensors; ++n) {
        if (((available_mask >> n) & 1u) == 0) {
            continue;
        }
        if (!transact(builder_.get_sensor_info(static_cast<std::uint8_t>(n)),
                      gd::Command::GetSensorInfo, r)) {
            return false;
        }
        gd::SensorInfo s;
        if (auto e = gd::parse_sensor_info(r, s)) {
            logger()->warn("Go Direct: sensor {} skipped: {}", n, e->message);
            continue;
        }
        if (s.number != n) {
            logger()->warn("Go Direct: asked about sensor {}, the answer is about sensor {}", n,
                           s.number);
            continue;
        }
        sensors.push_back(std::move(s));
    }
    const std::optional<std::uint8_t> force = gd::choose_force_sensor(default_mask, sensors);
    if (!force) {
        std::string units;
        for (const gd::SensorInfo& s : sensors) {
            units += fmt::format("{}{} '{}' in '{}'", units.empty() ? "" : ", ", s.number,
                                 s.description, s.unit);
        }
        fail(fmt::format("the {} has no force sensor (sensors: {})", identity_.model,
                         units.empty() ? std::string("none") : units));
        return false;
    }
    const auto info_it = std::find_if(sensors.begin(), sensors.end(),
                                      [&](const gd::SensorInfo& s) { return s.number == *force; });
    force_sensor_ = *force;
    force_unit_ = info_it->unit;
    newtons_per_unit_ = gd::newtons_per_unit(force_unit_).value_or(1.0);

    std::uint32_t period = std::max(options_.period_us, info_it->min_period_us);
    if (info_it->period_granularity_us > 1) {
        const std::uint32_t g = info_it->period_granularity_us;
        period = (period + g - 1) / g * g;
    }
    period = std::max<std::uint32_t>(period, 1);
    period_us_ = period;
    caps_.rate_hz = 1e6 / period;

    if (!transact(builder_.set_measurement_period(period), gd::Command::SetMeasurementPeriod, r)) {
        return false;
    }
    if (auto e = gd::check_ok(r, gd::Command::SetMeasurementPeriod)) {
        fail(fmt::format("SET_MEASUREMENT_PERIOD {} us: {}", period, e->message));
        return false;
    }
    mapper_.emplace(force_sensor_, static_cast<Micros>(period));
    measuring_ = true; // measurements may arrive before START's answer
    if (!transact(builder_.start(1u << force_sensor_), gd::Command::Start, r)) {
        return false;
    }
    if (auto e = gd::check_ok(r, gd::Command::Start)) {
        fail(fmt::format("START: {}", e->message));
        return false;
    }
    return true;
}

bool GoDirectSource::send(const gd::Packet& command) {
    const std::optional<gd::HidReport> report = gd::frame(command);
    if (!report) {
        fail(fmt::format("command of {} bytes does not fit a report", command.size()));
        return false;
    }
    const int r = conn_.write(*report, static_cast<unsigned>(options_.response_timeout.count()));
    if (r != LIBUSB_SUCCESS) {
        const auto cmd = static_cast<gd::Command>(command[4]);
        fail(r == LIBUSB_ERROR_NO_DEVICE
                 ? fmt::format("the Go Direct device {:04x}:{:04x} was disconnected", vendor_id_,
                               product_id_)
                 : fmt::format("cannot send {}: {}", command_name(cmd), libusb_strerror(r)));
        return false;
    }
    return true;
}

bool GoDirectSource::transact(const gd::Packet& command, gd::Command expected, gd::Response& out) {
    {
        std::lock_guard lock(response_mutex_);
        responses_.clear();
    }
    if (!send(command)) {
        return false;
    }
    const std::uint8_t counter = command[2];
    const auto deadline = std::chrono::steady_clock::now() + options_.response_timeout;
    std::unique_lock lock(response_mutex_);
    while (true) {
        while (!responses_.empty()) {
            gd::Response r = std::move(responses_.front());
            responses_.pop_front();
            if (r.command == static_cast<std::uint8_t>(expected) && r.counter == counter) {
                out = std::move(r);
                return true;
            }
            logger()->debug("Go Direct: response to 0x{:02X}/{:02X} ignored while waiting for {}",
                            r.command, r.counter, command_name(expected));
        }
        if (gone_) {
            lock.unlock();
            fail(fmt::format("the Go Direct device {:04x}:{:04x} was disconnected during {}",
                             vendor_id_, product_id_, command_name(expected)));
            return false;
        }
        if (response_cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
            responses_.empty() && !gone_) {
            lock.unlock();
            fail(fmt::format("the {} did not answer {} within {} ms", identity_.model,
                             command_name(expected), options_.response_timeout.count()));
            return false;
        }
    }
}

// Runs on the event thread.
void GoDirectSource::on_report(std::span<const std::uint8_t> report, Micros t_us) {
    packets_.clear();
    if (auto e = assembler_.feed(report, packets_)) {
        ++rejected_;
        int held = 0;
        if (limiter_.allow("report", &held)) {
            logger()->warn("Go Direct: report rejected: {} ({} more held back)", e->message, held);
        }
    }
    for (const gd::Packet& p : packets_) {
        on_packet(p, t_us);
    }
}

void GoDirectSource::on_packet(const gd::Packet& packet, Micros t_us) {
    if (packet[0] == gd::kCommandMagic) {
        gd::Response r;
        if (auto e = gd::parse_response(packet, r)) {
            ++rejected_;
            return;
        }
        {
            std::lock_guard lock(response_mutex_);
            responses_.push_back(std::move(r));
            while (responses_.size() > 16) {
                responses_.pop_front(); // nobody is waiting for them
            }
        }
        response_cv_.notify_all();
        return;
    }
    if (!measuring_.load() || !mapper_) {
        return;
    }
    gd::Measurement m;
    if (auto e = gd::parse_measurement(packet, m)) {
        ++rejected_;
        int held = 0;
        if (limiter_.allow("measurement", &held)) {
            logger()->warn("Go Direct: measurement rejected: {} ({} more held back)", e->message,
                           held);
        }
        return;
    }
    scratch_.clear();
    mapper_->feed(m, t_us, scratch_);
    for (Sample& s : scratch_) {
        s.value = static_cast<float>(s.value * newtons_per_unit_);
        if (!sink_->push(s)) {
            ++dropped_;
            int held = 0;
            if (limiter_.allow("queue", &held)) {
                logger()->warn("Go Direct: sample queue full, sample dropped ({} more held back)",
                               held);
            }
        }
    }
}

// Runs on the event thread.
void GoDirectSource::on_gone() {
    measuring_ = false;
    set_error(fmt::format("the Go Direct device {:04x}:{:04x} was disconnected", vendor_id_,
                          product_id_));
    {
        std::lock_guard lock(response_mutex_);
        gone_ = true;
    }
    response_cv_.notify_all();
    if (state_.load() == SourceState::Streaming) {
        state_ = SourceState::Disconnected;
    }
}

// STOP and DISCONNECT, waiting briefly for each answer; failures only get logged.
void GoDirectSource::say_goodbye() {
    for (const gd::Packet& p : {builder_.stop(), builder_.disconnect()}) {
        {
            std::lock_guard lock(response_mutex_);
            responses_.clear();
        }
        const auto report = gd::frame(p);
        if (!report || conn_.write(*report, 200) != LIBUSB_SUCCESS) {
            logger()->warn("Go Direct: could not send {}", command_name(gd::Command{p[4]}));
            return;
        }
        std::unique_lock lock(response_mutex_);
        response_cv_.wait_for(lock, kGoodbyeTimeout, [&] {
            return gone_ || std::any_of(responses_.begin(), responses_.end(),
                                        [&](const gd::Response& r) { return r.command == p[4]; });
        });
        if (gone_) {
            return;
        }
    }
}

void GoDirectSource::stop() {
    if (state_.load() == SourceState::Streaming && !conn_.gone()) {
        measuring_ = false;
        say_goodbye();
    }
    measuring_ = false;
    conn_.close();
    sink_ = nullptr;
    if (state_.load() == SourceState::Streaming) {
        state_ = SourceState::Stopped;
    }
}

} // namespace qv::input
