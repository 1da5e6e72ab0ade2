#pragma once
// USB presence and hot-plug for the sensors of the registry: which of the given vendor/product
// ids are plugged in now, and which arrive or leave while the game runs. qv_usb knows nothing of
// the registry: the caller passes the ids of the registry's USB rows in.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

struct libusb_context;
struct libusb_device;

namespace qv::input {

/// A USB vendor/product id pair, as a registry row carries it.
struct UsbId {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    friend bool operator==(const UsbId&, const UsbId&) = default;
};

/// One plugged-in device matching one of the ids.
struct UsbPresence {
    UsbId id;
    std::uint8_t bus = 0;
    std::uint8_t address = 0;
    friend bool operator==(const UsbPresence&, const UsbPresence&) = default;
};

/// A device that arrived or left.
struct UsbChange {
    enum class Kind { Arrived, Left };
    Kind kind = Kind::Arrived;
    UsbPresence device;
};

/// The devices matching `ids` that are connected now (a one-shot scan with its own libusb
/// context, for --list-sensors). Empty when libusb cannot start; `error` then gets why.
std::vector<UsbPresence> connected_usb_devices(std::span<const UsbId> ids,
                                               std::string* error = nullptr);

/// How a UsbWatcher learns about changes.
enum class UsbWatchMode {
    Auto,    ///< hotplug callbacks when libusb has them, else polling
    Hotplug, ///< libusb hotplug callbacks only (start() fails without the capability)
    Polling, ///< a rescan every rescan_interval (the fallback; tests force it)
};

/// Options of a UsbWatcher.
struct UsbWatchOptions {
    UsbWatchMode mode = UsbWatchMode::Auto;
    std::chrono::milliseconds rescan_interval{1000};
};

/// Watches for the given ids on its own thread: libusb hotplug callbacks where libusb has them,
/// else a rescan about once a second. Owns its libusb context and its thread. poll_changes() and
/// connected() are safe from any thread (the game thread polls once a frame).
class UsbWatcher {
  public:
    explicit UsbWatcher(std::vector<UsbId> ids, UsbWatchOptions options = {});
    ~UsbWatcher();
    UsbWatcher(const UsbWatcher&) = delete;
    UsbWatcher& operator=(const UsbWatcher&) = delete;

    /// Takes the present devices as the baseline (no events for them) and starts watching.
    /// False with last_error() set when libusb cannot start or hotplug was required and missing.
    bool start();
    /// Stops watching and joins the thread. Safe to call twice.
    void stop();

    /// The matching devices connected now (as far as the watcher has seen).
    std::vector<UsbPresence> connected() const;
    /// The arrivals and departures since the last call, oldest first.
    std::vector<UsbChange> poll_changes();
    /// True when libusb hotplug callbacks are in use, false when polling.
    bool using_hotplug() const { return hotplug_; }
    /// Why start() failed, empty otherwise.
    std::string last_error() const;

  private:
    bool matches(const UsbId& id) const;
    void arrived(const UsbPresence& p);
    void left(const UsbPresence& p);
    void apply_scan(const std::vector<UsbPresence>& now);
    void run_polling();
    void run_hotplug();

  public:
    /// For the hotplug callback in usb_watch.cpp only: a device arrived (or left).
    static void on_hotplug(void* self, libusb_device* dev, bool arrived);

  private:
    std::vector<UsbId> ids_;
    UsbWatchOptions options_;
    bool hotplug_ = false;
    bool baseline_ = false; ///< true while start() takes the baseline: no events
    libusb_context* ctx_ = nullptr;
    int callback_handle_ = 0;
    bool callback_registered_ = false;
    std::thread thread_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<UsbPresence> present_;
    std::vector<UsbChange> changes_;
    std::string error_;
};

} // namespace qv::input
