#include "input/usb_watch.hpp"

#include "core/log.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <libusb.h>
#include <optional>
#include <utility>

namespace qv::input {

namespace {

std::shared_ptr<spdlog::logger> logger() {
    return log::get("input");
}

bool contains(std::span<const UsbId> ids, const UsbId& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::optional<UsbPresence> presence_of(libusb_device* dev) {
    libusb_device_descriptor desc{};
    if (libusb_get_device_descriptor(dev, &desc) != LIBUSB_SUCCESS) {
        return std::nullopt;
    }
    return UsbPresence{UsbId{desc.idVendor, desc.idProduct}, libusb_get_bus_number(dev),
                       libusb_get_device_address(dev)};
}

int hotplug_callback(libusb_context*, libusb_device* dev, libusb_hotplug_event event, void* self) {
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED || event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) {
        UsbWatcher::on_hotplug(self, dev, event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
    }
    return 0; // keep the callback registered
}

} // namespace

std::vector<UsbPresence> connected_usb_devices(std::span<const UsbId> ids, std::string* error) {
    std::vector<UsbPresence> out;
    libusb_context* ctx = nullptr;
    int r = libusb_init(&ctx);
    if (r != LIBUSB_SUCCESS) {
        if (error != nullptr) {
            *error = fmt::format("cannot start libusb: {}", libusb_strerror(r));
        }
        return out;
    }
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(ctx, &list);
    if (count < 0) {
        if (error != nullptr) {
            *error = fmt::format("cannot list USB devices: {}",
                                 libusb_strerror(static_cast<int>(count)));
        }
    } else {
        for (ssize_t i = 0; i < count; ++i) {
            if (auto p = presence_of(list[i]); p && contains(ids, p->id)) {
                out.push_back(*p);
            }
        }
        libusb_free_device_list(list, 1);
    }
    libusb_exit(ctx);
    return out;
}

UsbWatcher::UsbWatcher(std::vector<UsbId> ids, UsbWatchOptions options)
    : ids_(std::move(ids)), options_(options) {
    options_.rescan_interval = std::max(options_.rescan_interval, std::chrono::milliseconds(10));
}

UsbWatcher::~UsbWatcher() {
    stop();
}

bool UsbWatcher::matches(const UsbId& id) const {
    return contains(ids_, id);
}

std::string UsbWatcher::last_error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

std::vector<UsbPresence> UsbWatcher::connected() const {
    std::lock_guard lock(mutex_);
    return present_;
}

std::vector<UsbChange> UsbWatcher::poll_changes() {
    std::lock_guard lock(mutex_);
    std::vector<UsbChange> out;
    out.swap(changes_);
    return out;
}

// With mutex_ held.
void UsbWatcher::arrived(const UsbPresence& p) {
    if (std::find(present_.begin(), present_.end(), p) != present_.end()) {
        return;
    }
    present_.push_back(p);
    if (!baseline_) {
        changes_.push_back(UsbChange{UsbChange::Kind::Arrived, p});
        logger()->info("USB device {:04x}:{:04x} arrived (bus {} device {})", p.id.vendor,
                       p.id.product, p.bus, p.address);
    }
}

// With mutex_ held.
void UsbWatcher::left(const UsbPresence& p) {
    const auto it = std::find(present_.begin(), present_.end(), p);
    if (it == present_.end()) {
        return;
    }
    present_.erase(it);
    changes_.push_back(UsbChange{UsbChange::Kind::Left, p});
    logger()->info("USB device {:04x}:{:04x} left (bus {} device {})", p.id.vendor, p.id.product,
                   p.bus, p.address);
}

// With mutex_ held.
void UsbWatcher::apply_scan(const std::vector<UsbPresence>& now) {
    const std::vector<UsbPresence> before = present_;
    for (const UsbPresence& p : before) {
        if (std::find(now.begin(), now.end(), p) == now.end()) {
            left(p);
        }
    }
    for (const UsbPresence& p : now) {
        arrived(p);
    }
}

bool UsbWatcher::start() {
    stop();
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
        present_.clear();
        changes_.clear();
        error_.clear();
    }
    hotplug_ = false;
    const bool can_hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
    if (options_.mode == UsbWatchMode::Hotplug && !can_hotplug) {
        std::lock_guard lock(mutex_);
        error_ = "this libusb has no hotplug support";
        return false;
    }
    if (options_.mode != UsbWatchMode::Polling && can_hotplug) {
        int r = libusb_init(&ctx_);
        if (r != LIBUSB_SUCCESS) {
            ctx_ = nullptr;
            std::lock_guard lock(mutex_);
            error_ = fmt::format("cannot start libusb: {}", libusb_strerror(r));
            return false;
        }
        {
            std::lock_guard lock(mutex_);
            baseline_ = true;
        }
        // ENUMERATE reports the present devices from inside the registration: the baseline.
        r = libusb_hotplug_register_callback(
            ctx_,
            static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                              LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
            LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY, &hotplug_callback, this, &callback_handle_);
        {
            std::lock_guard lock(mutex_);
            baseline_ = false;
        }
        if (r == LIBUSB_SUCCESS) {
            callback_registered_ = true;
            hotplug_ = true;
            thread_ = std::thread([this] { run_hotplug(); });
            return true;
        }
        libusb_exit(ctx_);
        ctx_ = nullptr;
        if (options_.mode == UsbWatchMode::Hotplug) {
            std::lock_guard lock(mutex_);
            error_ = fmt::format("cannot register a hotplug callback: {}", libusb_strerror(r));
            return false;
        }
        logger()->warn("USB hotplug unavailable ({}), rescanning every {} ms instead",
                       libusb_strerror(r), options_.rescan_interval.count());
    }
    std::string error;
    const std::vector<UsbPresence> now = connected_usb_devices(ids_, &error);
    if (!error.empty()) {
        std::lock_guard lock(mutex_);
        error_ = error;
        return false;
    }
    {
        std::lock_guard lock(mutex_);
        present_ = now;
    }
    thread_ = std::thread([this] { run_polling(); });
    return true;
}

void UsbWatcher::on_hotplug(void* self, libusb_device* dev, bool arrived) {
    auto* w = static_cast<UsbWatcher*>(self);
    const std::optional<UsbPresence> p = presence_of(dev);
    if (!p || !w->matches(p->id)) {
        return;
    }
    std::lock_guard lock(w->mutex_);
    if (arrived) {
        w->arrived(*p);
    } else {
        w->left(*p);
    }
}

void UsbWatcher::run_hotplug() {
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
        }
        // Blocks in poll() until an event or the timeout: no busy waiting.
        timeval tv{0, 250'000};
        const int r = libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
        if (r != LIBUSB_SUCCESS && r != LIBUSB_ERROR_INTERRUPTED) {
            logger()->warn("USB watcher: handling events failed: {}", libusb_strerror(r));
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, options_.rescan_interval, [this] { return stopping_; });
        }
    }
}

void UsbWatcher::run_polling() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (wake_.wait_for(lock, options_.rescan_interval, [this] { return stopping_; })) {
            return;
        }
        lock.unlock();
        std::string error;
        const std::vector<UsbPresence> now = connected_usb_devices(ids_, &error);
        lock.lock();
        if (error.empty()) {
            apply_scan(now);
        }
    }
}

void UsbWatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (ctx_ != nullptr) {
        libusb_interrupt_event_handler(ctx_);
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    if (ctx_ != nullptr) {
        if (callback_registered_) {
            libusb_hotplug_deregister_callback(ctx_, callback_handle_);
            callback_registered_ = false;
        }
        libusb_exit(ctx_);
        ctx_ = nullptr;
    }
    hotplug_ = false;
}

} // namespace qv::input
