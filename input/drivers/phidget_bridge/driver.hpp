#pragma once
// The libusb driver of the PhidgetBridge 4-input (1046, 06c2:003b) with a load cell on one input
// (docs/phidget-bridge.md). start() opens and claims the board, sends the OUT report (enable the
// channel, its gain, the data interval) and keeps IN transfers in flight on an event thread
// (usb::HidConnection). Each IN report with new data for the channel gives a bridge ratio; a
// two-point calibration turns it into newtons.
//
// Without a calibration the source emits no force samples at all (a ratio is not newtons, and a
// made-up scale would be read as a measurement): it streams ratios into ratio_stats() only, which
// is what the calibration flow needs (zero, then a known weight; see make_calibration()).

#include "input/drivers/phidget_bridge/protocol.hpp"
#include "input/source.hpp"
#include "input/usb_hid.hpp"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace qv::input {

/// How a PhidgetBridgeSource configures the board.
struct PhidgetBridgeOptions {
    int channel = 0;                                        ///< the input the load cell is on
    phidget_bridge::Gain gain = phidget_bridge::Gain::x128; ///< load cells need high gain
    std::uint32_t data_interval_ms = 8;                     ///< 8..1000, multiples of 8
};

/// Bridge ratios seen since the last reset_ratio_stats(), for the calibration flow.
struct RatioStats {
    std::uint64_t count = 0;        ///< readings with new data for the channel
    std::uint64_t out_of_range = 0; ///< of those, readings the board flagged or beyond the gain
    double last_mv_per_v = 0;       ///< the latest ratio, mV/V
    double mean_mv_per_v = 0;       ///< the mean of all in-range ratios counted, mV/V
};

/// A Source reading one load cell on a PhidgetBridge. Owns the USB connection and the
/// calibration (guarded: it may be set while streaming).
class PhidgetBridgeSource : public Source {
  public:
    /// A source for the board with these USB ids (from the registry row).
    PhidgetBridgeSource(std::uint16_t vendor_id, std::uint16_t product_id,
                        PhidgetBridgeOptions options = {});
    ~PhidgetBridgeSource() override;

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;
    void stop() override;
    SourceState state() const override { return state_.load(); }
    std::string last_error() const override;

    /// Sets (or replaces) the calibration: from then on every reading becomes a force sample.
    /// The ratios of a TwoPointCalibration are in V/V, as make_calibration() takes them.
    void set_calibration(const phidget_bridge::TwoPointCalibration& calibration);
    /// Drops the calibration: no more force samples until the next set_calibration().
    void clear_calibration();
    /// True while a calibration is set.
    bool calibrated() const;

    /// The ratio statistics since the last reset (or start()).
    RatioStats ratio_stats() const;
    /// Starts a new averaging window (e.g. when the calibration screen says "now hold still").
    void reset_ratio_stats();

    /// IN reports that could not be decoded (short, bad gain code) since start().
    std::uint64_t rejected_reports() const { return rejected_.load(); }
    /// Samples the sink refused (queue full) since start().
    std::uint64_t dropped_samples() const { return dropped_.load(); }
    /// Bytes of the OUT report last sent (padded), for tests and logs.
    std::vector<std::uint8_t> last_out_report() const;

  private:
    void on_report(std::span<const std::uint8_t> report, Micros t_us);
    void on_gone();
    void fail(std::string message);
    void set_error(std::string message);

    std::uint16_t vendor_id_;
    std::uint16_t product_id_;
    PhidgetBridgeOptions options_;
    SourceIdentity identity_;
    SourceCaps caps_;
    usb::HidConnection conn_;
    SampleSink* sink_ = nullptr;

    mutable std::mutex mutex_; // calibration, ratio statistics, last OUT report
    std::optional<phidget_bridge::TwoPointCalibration> calibration_;
    RatioStats stats_;
    double stats_sum_ = 0;
    std::uint64_t stats_in_range_ = 0;
    std::vector<std::uint8_t> out_report_;

    std::atomic<SourceState> state_{SourceState::Stopped};
    std::atomic<std::uint64_t> rejected_{0};
    std::atomic<std::uint64_t> dropped_{0};
    mutable std::mutex error_mutex_;
    std::string last_error_;
    log::RateLimiter limiter_;
};

} // namespace qv::input
