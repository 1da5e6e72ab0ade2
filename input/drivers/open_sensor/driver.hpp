#pragma once
// The libusb driver of the Quadventure open sensor (docs/open-sensor.md): finds the device by the
// ids of its registry row, claims its HID interface (detaching usbhid first), keeps interrupt IN
// transfers in flight on a dedicated event thread and feeds the reports through
// open_sensor::StreamDecoder into a SampleSink. The bytes themselves are protocol.hpp's business.

#include "core/log.hpp"
#include "input/drivers/open_sensor/protocol.hpp"
#include "input/source.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct libusb_context;
struct libusb_device_handle;
struct libusb_transfer;

namespace qv::input {

/// A Source reading one open sensor over libusb. Owns the libusb context, the device handle, the
/// in-flight transfers and the event thread between start() and stop().
class OpenSensorSource : public Source {
  public:
    /// Transfers kept in flight on the interrupt IN endpoint.
    static constexpr std::size_t kTransfers = 3;

    /// A source for the device with these USB ids (from the registry row).
    OpenSensorSource(std::uint16_t vendor_id, std::uint16_t product_id);
    ~OpenSensorSource() override;

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;
    void stop() override;
    SourceState state() const override { return state_.load(); }
    std::string last_error() const override;

    /// Reports the decoder rejected (garbage, short, unknown version) since start().
    std::uint64_t rejected_reports() const { return rejected_.load(); }
    /// Reports the protocol's sequence numbers say were lost since start().
    std::uint64_t lost_reports() const { return lost_.load(); }
    /// Zero-length completions ignored since start().
    std::uint64_t zero_length_packets() const { return zero_length_.load(); }
    /// Samples the sink refused (queue full) since start().
    std::uint64_t dropped_samples() const { return dropped_.load(); }

  private:
    struct Slot {
        OpenSensorSource* owner = nullptr;
        libusb_transfer* transfer = nullptr;
        std::vector<std::uint8_t> buffer;
        bool in_flight = false;
    };

    static void transfer_done(libusb_transfer* transfer);
    void on_transfer(Slot& slot);
    bool submit(Slot& slot);
    void run_events();
    bool open_device();
    bool find_endpoint();
    void read_identity();
    void close_device();
    void fail(std::string message);
    void set_error(std::string message);
    int in_flight() const;

    std::uint16_t vendor_id_;
    std::uint16_t product_id_;
    SourceIdentity identity_;
    SourceCaps caps_;

    libusb_context* ctx_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    int interface_ = -1;
    std::uint8_t endpoint_ = 0;
    std::size_t packet_size_ = 0;
    bool kernel_driver_detached_ = false;
    bool interface_claimed_ = false;

    // Touched by the event thread only once it runs (and by start()/stop() around it).
    std::array<Slot, kTransfers> slots_{};
    open_sensor::StreamDecoder decoder_;
    std::vector<Sample> scratch_;
    SampleSink* sink_ = nullptr;
    bool cancelled_ = false;
    bool device_gone_ = false;

    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<SourceState> state_{SourceState::Stopped};
    std::atomic<std::uint64_t> rejected_{0};
    std::atomic<std::uint64_t> lost_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> zero_length_{0};

    mutable std::mutex error_mutex_;
    std::string last_error_;
    log::RateLimiter limiter_;
};

} // namespace qv::input
