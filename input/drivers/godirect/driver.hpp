#pragma once
// The libusb driver of the Vernier Go Direct force sensors (GDX-FP, GDX-FOR, GDX-HD; all
// 08f7:0010) over USB HID (docs/godirect.md). start() opens and claims the device, keeps IN
// transfers in flight on an event thread (usb::HidConnection), and runs the command sequence
// INIT, GET_DEVICE_INFO, the two sensor masks, GET_SENSOR_INFO per available sensor,
// SET_MEASUREMENT_PERIOD and START; measurement packets then become force samples in newtons.
// stop() sends STOP and DISCONNECT. The bytes are protocol.hpp's business.

#include "input/drivers/godirect/protocol.hpp"
#include "input/source.hpp"
#include "input/usb_hid.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace qv::input {

/// How a GoDirectSource talks to its device.
struct GoDirectOptions {
    /// The measurement period asked for, microseconds; raised to the sensor's minimum period
    /// and rounded up to its granularity.
    std::uint32_t period_us = 10'000;
    /// How long each command waits for its response before start() fails.
    std::chrono::milliseconds response_timeout{1000};
};

/// A Source reading the force sensor of one Go Direct device. Owns the USB connection, the
/// command builder and the packet assembler between start() and stop().
class GoDirectSource : public Source {
  public:
    /// A source for the device with these USB ids (from the registry row).
    GoDirectSource(std::uint16_t vendor_id, std::uint16_t product_id, GoDirectOptions options = {});
    ~GoDirectSource() override;

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;
    void stop() override;
    SourceState state() const override { return state_.load(); }
    std::string last_error() const override;

    /// Reports or packets that could not be decoded (short, garbage, bad checksum) since start().
    std::uint64_t rejected_reports() const { return rejected_.load(); }
    /// Samples the sink refused (queue full) since start().
    std::uint64_t dropped_samples() const { return dropped_.load(); }
    /// The sensor number force is read from and its unit as the device names it (after start()).
    std::uint8_t force_sensor() const { return force_sensor_; }
    const std::string& force_unit() const { return force_unit_; }
    /// The measurement period in use, microseconds (after start()).
    std::uint32_t period_us() const { return period_us_; }

  private:
    bool run_command_sequence();
    bool transact(const godirect::Packet& command, godirect::Command expected,
                  godirect::Response& out);
    bool send(const godirect::Packet& command);
    void on_report(std::span<const std::uint8_t> report, Micros t_us);
    void on_gone();
    void on_packet(const godirect::Packet& packet, Micros t_us);
    void fail(std::string message);
    void set_error(std::string message);
    void say_goodbye();

    std::uint16_t vendor_id_;
    std::uint16_t product_id_;
    GoDirectOptions options_;
    SourceIdentity identity_;
    SourceCaps caps_;
    usb::HidConnection conn_;
    godirect::CommandBuilder builder_;

    // Set by start() before measuring_ turns true; read by the event thread after.
    std::uint8_t force_sensor_ = 0;
    std::string force_unit_;
    double newtons_per_unit_ = 1.0;
    std::uint32_t period_us_ = 0;
    std::optional<godirect::SampleMapper> mapper_;
    std::atomic<bool> measuring_{false};

    // Event thread only.
    godirect::PacketAssembler assembler_;
    std::vector<godirect::Packet> packets_;
    std::vector<Sample> scratch_;
    SampleSink* sink_ = nullptr;

    // Responses handed from the event thread to start()/stop().
    std::mutex response_mutex_;
    std::condition_variable response_cv_;
    std::deque<godirect::Response> responses_;
    bool gone_ = false;

    std::atomic<SourceState> state_{SourceState::Stopped};
    std::atomic<std::uint64_t> rejected_{0};
    std::atomic<std::uint64_t> dropped_{0};
    mutable std::mutex error_mutex_;
    std::string last_error_;
    log::RateLimiter limiter_;
};

} // namespace qv::input
