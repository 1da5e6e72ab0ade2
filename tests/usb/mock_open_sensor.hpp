#pragma once
// An emulated open sensor for the driver tests: a umockdev testbed holding one USB device
// (1209:0001 on /dev/bus/usb/001/002) and an ioctl handler answering the usbdevfs requests
// libusb sends, with a scripted device model that completes interrupt IN URBs at its rate.

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;
typedef struct _UMockdevIoctlBase UMockdevIoctlBase;
typedef struct _UMockdevIoctlClient UMockdevIoctlClient;
typedef struct _UMockdevIoctlData UMockdevIoctlData;

namespace qv::test {

/// Exit code a test returns when it cannot run here (registered as the CTest SKIP_RETURN_CODE).
inline constexpr int kSkipCode = 77;

/// One step of the device model; the model takes one step per report period.
struct DeviceEvent {
    enum class Kind {
        Bytes,  ///< complete the oldest IN URB with these bytes (a report, garbage, or nothing)
        Stall,  ///< complete it with -EPIPE; the endpoint stays halted until CLEAR_HALT
        Error,  ///< complete it with -EPROTO (a transmission error)
        Unplug, ///< the device goes away: pending URBs fail, every later request gets ENODEV
    };
    Kind kind = Kind::Bytes;
    std::vector<std::uint8_t> bytes;
};

/// What the model saw, for the assertions.
struct DeviceCounters {
    int detaches = 0;             ///< USBDEVFS_DISCONNECT (usbhid unbound)
    int attaches = 0;             ///< USBDEVFS_CONNECT (usbhid bound again)
    int claims = 0;               ///< successful CLAIMINTERFACE
    int busy_claims = 0;          ///< CLAIMINTERFACE refused because usbhid was bound
    int releases = 0;             ///< RELEASEINTERFACE
    int clear_halts = 0;          ///< CLEAR_HALT on the IN endpoint
    int submits_while_halted = 0; ///< IN URBs submitted before the halt was cleared
    int discards = 0;             ///< DISCARDURB that found its URB
    int max_in_flight = 0;        ///< most IN URBs pending at once
    bool kernel_driver_bound = true;
    bool claimed = false;
    std::size_t events_done = 0; ///< script steps delivered
};

/// The testbed and the device model. Create it before the code under test calls libusb_init.
class MockOpenSensor {
  public:
    /// Builds the testbed and adds the device; `rate_hz` is how often the model takes a step.
    explicit MockOpenSensor(double rate_hz);
    ~MockOpenSensor();
    MockOpenSensor(const MockOpenSensor&) = delete;
    MockOpenSensor& operator=(const MockOpenSensor&) = delete;

    /// True when the testbed and the device node were set up; error() says why not.
    bool ok() const { return ok_; }
    const std::string& error() const { return error_; }

    /// Appends steps to the script.
    void script(std::vector<DeviceEvent> events);
    /// True once every scripted step has been delivered.
    bool script_done();
    /// A copy of the counters.
    DeviceCounters counters();

    /// The serial number the device's string descriptor gives.
    static constexpr const char* kSerial = "QV-TEST-0042";
    /// The product string.
    static constexpr const char* kProduct = "Quadventure open sensor";

  private:
    struct Urb {
        UMockdevIoctlData* data = nullptr; ///< the resolved usbdevfs_urb (referenced)
        int status = 0;
        std::vector<std::uint8_t> reply;
    };

    static int handle_ioctl(UMockdevIoctlBase* handler, UMockdevIoctlClient* client, void* self);
    bool on_ioctl(UMockdevIoctlClient* client);
    void control_reply(const std::uint8_t* setup, Urb& urb);
    bool reap(UMockdevIoctlClient* client, UMockdevIoctlData* arg);
    void step_model();

    UMockdevTestbed* testbed_ = nullptr;
    UMockdevIoctlBase* handler_ = nullptr;
    bool ok_ = false;
    std::string error_;
    double period_us_;

    std::mutex mutex_;
    std::deque<DeviceEvent> script_;
    std::deque<Urb> in_flight_; ///< interrupt IN URBs waiting for data
    std::deque<Urb> done_;      ///< completed URBs waiting to be reaped
    std::int64_t next_step_us_ = 0;
    bool halted_ = false;
    bool unplugged_ = false;
    DeviceCounters counters_;
};

} // namespace qv::test
