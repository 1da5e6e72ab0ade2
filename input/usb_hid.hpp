#pragma once
// What every libusb HID driver in qv_usb does the same way: find a device by the ids of its
// registry row, detach usbhid and claim the interface (re-attaching on close), send OUT reports
// (interrupt OUT when the interface has that endpoint, else HID SET_REPORT), and keep interrupt
// IN transfers in flight on a dedicated event thread that hands each report to the driver. The
// Go Direct and PhidgetBridge drivers are built on it; the bytes stay in their protocol files.

#include "core/log.hpp"
#include "core/sample.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

struct libusb_context;
struct libusb_device_handle;
struct libusb_transfer;

namespace qv::input::usb {

/// The endpoints of the HID interface a connection uses.
struct HidEndpoints {
    int interface = -1;
    std::uint8_t in = 0;      ///< interrupt IN endpoint address
    std::size_t in_size = 0;  ///< its wMaxPacketSize
    int in_interval_ms = 0;   ///< its bInterval (full speed: milliseconds)
    std::uint8_t out = 0;     ///< interrupt OUT endpoint address, 0 when there is none
    std::size_t out_size = 0; ///< its wMaxPacketSize
};

/// One claimed HID interface and its reader. Owns the libusb context, the handle, the IN
/// transfers and the event thread. Not copyable; open() and close() from one thread.
class HidConnection {
  public:
    /// Transfers kept in flight on the IN endpoint.
    static constexpr std::size_t kTransfers = 3;

    /// Called on the event thread with each non-empty IN report and its arrival time.
    using ReportFn = std::function<void(std::span<const std::uint8_t>, Micros)>;
    /// Called once on the event thread when the device is gone (NO_DEVICE).
    using GoneFn = std::function<void()>;

    /// `what` names the device in log lines and errors ("Go Direct").
    explicit HidConnection(std::string what);
    ~HidConnection();
    HidConnection(const HidConnection&) = delete;
    HidConnection& operator=(const HidConnection&) = delete;

    /// Opens the first device with these ids, reads its strings, finds an HID interface whose
    /// interrupt IN endpoint carries at least `min_in_size` bytes, detaches usbhid and claims
    /// it. False with error() set on failure (everything opened so far is closed again).
    bool open(std::uint16_t vendor, std::uint16_t product, std::size_t min_in_size);
    /// Submits the IN transfers and starts the event thread.
    bool start_reading(ReportFn on_report, GoneFn on_gone);
    /// Sends one OUT report: an interrupt OUT transfer when the interface has that endpoint,
    /// else SET_REPORT (Output, report id 0) on the control endpoint. Returns a libusb code.
    int write(std::span<const std::uint8_t> report, unsigned timeout_ms);
    /// Cancels the IN transfers and joins the event thread. Safe to call twice.
    void stop_reading();
    /// stop_reading(), then releases the interface, gives it back to usbhid and closes.
    void close();

    /// The reason open() or start_reading() failed.
    const std::string& error() const { return error_; }
    /// The USB product and serial strings (empty when the device has none).
    const std::string& product() const { return product_; }
    const std::string& serial() const { return serial_; }
    const HidEndpoints& endpoints() const { return ep_; }
    /// True once the device has gone away.
    bool gone() const { return gone_.load(); }
    /// Completions with an error or a stall since open() (each was resubmitted).
    std::uint64_t transfer_errors() const { return transfer_errors_.load(); }
    /// Completions with more bytes than the IN buffer (ignored).
    std::uint64_t oversized() const { return oversized_.load(); }

  private:
    struct Slot {
        HidConnection* owner = nullptr;
        libusb_transfer* transfer = nullptr;
        std::vector<std::uint8_t> buffer;
        bool in_flight = false;
    };

    static void transfer_done(libusb_transfer* transfer);
    void on_transfer(Slot& slot);
    bool submit(Slot& slot);
    void run_events();
    bool find_endpoints(std::size_t min_in_size);
    int in_flight() const;
    void mark_gone();

    std::string what_;
    std::uint16_t vendor_ = 0;
    std::uint16_t product_id_ = 0;
    std::string error_;
    std::string product_;
    std::string serial_;
    HidEndpoints ep_;

    libusb_context* ctx_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    bool detached_ = false;
    bool claimed_ = false;

    std::array<Slot, kTransfers> slots_{};
    ReportFn on_report_;
    GoneFn on_gone_;
    bool cancelled_ = false;
    int last_submit_error_ = 0;
    bool gone_reported_ = false;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> gone_{false};
    std::atomic<std::uint64_t> transfer_errors_{0};
    std::atomic<std::uint64_t> oversized_{0};
    log::RateLimiter limiter_;
};

} // namespace qv::input::usb
