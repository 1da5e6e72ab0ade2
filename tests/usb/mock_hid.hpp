#pragma once
// A generic emulated USB HID device for the driver tests: a umockdev testbed node with an ioctl
// handler answering the usbdevfs requests libusb sends (claim, kernel driver hand-over, URBs on
// the control, interrupt IN and interrupt OUT endpoints). Subclasses are the device models: they
// answer control requests and OUT reports and queue IN events with a due time.

#include "tests/usb/mock_open_sensor.hpp" // kSkipCode

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace qv::test {

/// What an emulated HID device looks like on the bus.
struct HidDeviceSpec {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    std::string manufacturer;
    std::string product_name;
    std::string serial;
    std::uint16_t in_size = 64; ///< wMaxPacketSize of interrupt IN 0x81
    std::uint8_t interval_ms = 1;
    std::uint16_t out_size = 0; ///< wMaxPacketSize of interrupt OUT 0x02; 0: no OUT endpoint
    std::uint16_t report_descriptor_size = 34;
};

/// One thing the device does on its IN endpoint.
struct InEvent {
    enum class Kind { Bytes, Stall, Error, Unplug };
    Kind kind = Kind::Bytes;
    std::vector<std::uint8_t> bytes;
    std::int64_t due_us = 0; ///< steady clock, microseconds; 0: as soon as a URB waits
};

/// What the generic part saw.
struct HidCounters {
    int detaches = 0;
    int attaches = 0;
    int claims = 0;
    int busy_claims = 0;
    int releases = 0;
    int clear_halts = 0;
    int set_reports = 0; ///< SET_REPORT control transfers
    int out_reports = 0; ///< interrupt OUT transfers
    int max_in_flight = 0;
    bool kernel_driver_bound = true;
    bool claimed = false;
    bool unplugged = false;
};

/// The testbed and the generic usbdevfs part of one device at /dev/bus/usb/001/002.
class MockHidDevice {
  public:
    explicit MockHidDevice(HidDeviceSpec spec);
    virtual ~MockHidDevice();
    MockHidDevice(const MockHidDevice&) = delete;
    MockHidDevice& operator=(const MockHidDevice&) = delete;

    /// True when the testbed is set up and the preload library active; error() says why not.
    bool ok() const { return ok_; }
    const std::string& error() const { return error_; }
    HidCounters counters();
    /// Queues IN events (from the test thread).
    void queue(std::vector<InEvent> events);
    /// True when no IN event is waiting.
    bool idle();
    /// The device comes back after an unplug: same node, usbhid bound again, state reset.
    void replug();
    /// Before streamed report `index` (0-based) goes out, `event` goes out (a fault).
    void fault_at(int index, InEvent event);
    /// The stream ends after this many reports (default: never).
    void set_max_reports(int n);
    /// Streamed reports sent so far.
    int reports_sent();

    static std::int64_t now_us();

  protected:
    /// A report the host sent (interrupt OUT or SET_REPORT data stage). Called with the lock held.
    virtual void on_out_report(const std::vector<std::uint8_t>& report) = 0;
    /// The bytes of streamed report `index`. Called with the lock held.
    virtual std::vector<std::uint8_t> stream_report(int index) = 0;
    /// Called with the lock held by replug().
    virtual void on_replug() {}
    /// Starts (or restarts) streaming one report every `period_us`; with the lock held.
    void start_stream(std::int64_t period_us);
    /// Stops streaming; with the lock held.
    void stop_stream() { streaming_ = false; }
    /// Queues an IN event; with the lock held.
    void push_in(InEvent e) { in_events_.push_back(std::move(e)); }
    std::size_t pending_in() const { return in_events_.size(); }
    const HidDeviceSpec& spec() const { return spec_; }
    std::mutex mutex_;

  private:
    struct Urb {
        UMockdevIoctlData* data = nullptr;
        int status = 0;
        std::vector<std::uint8_t> reply;
    };
    static int handle_ioctl(UMockdevIoctlBase* handler, UMockdevIoctlClient* client, void* self);
    bool on_ioctl(UMockdevIoctlClient* client);
    void control(const std::uint8_t* setup, const std::uint8_t* data, std::size_t data_len,
                 Urb& urb);
    bool reap(UMockdevIoctlClient* client, UMockdevIoctlData* arg);
    void step();

    HidDeviceSpec spec_;
    UMockdevTestbed* testbed_ = nullptr;
    UMockdevIoctlBase* handler_ = nullptr;
    bool ok_ = false;
    std::string error_;
    std::deque<InEvent> in_events_;
    std::deque<Urb> in_flight_;
    std::deque<Urb> done_;
    bool halted_ = false;
    HidCounters counters_;
    bool streaming_ = false;
    std::int64_t period_us_ = 10'000;
    std::int64_t next_due_us_ = 0;
    int sent_ = 0;
    int max_reports_ = -1;
    std::multimap<int, InEvent> faults_;
};

/// The sysfs description (umockdev text format) of a HID device at bus 1 `devnum`, sysfs path
/// /sys/devices/usb1/`port`.
std::string hid_device_description(const HidDeviceSpec& spec, int devnum,
                                   const std::string& port = "1-1");

} // namespace qv::test
