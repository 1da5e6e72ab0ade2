#pragma once
// The do-it-yourself HX711 "joystick" board (docs/joystick-board.md): an Arduino Leonardo or Pro
// Micro that presents a load cell as one axis of a standard HID joystick. SDL reads it (no libusb,
// no udev rule: systemd grants access to joysticks); like the keyboard, the game thread feeds the
// source, here with the axis value it reads from SDL, so nothing in input needs SDL.
//
// An axis value is not newtons: until a two-point calibration is set the source delivers no force
// samples (the raw values go to take_raw() for the calibration flow) and its identity says it is
// not a measurement; once calibrated every axis value becomes a force sample.

#include "input/source.hpp"
#include "input/two_point.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace qv::input {

/// The SDL joystick a board is read from, as the game found it.
struct JoystickDevice {
    std::int32_t instance_id = -1; ///< SDL_JoystickID, unique while the device stays plugged in
    std::string name;              ///< SDL_JoystickName ("Arduino Leonardo")
    std::string guid;              ///< SDL_JoystickGetGUIDString, 32 hex digits
    int axis = 0;                  ///< the axis carrying the load cell (docs/joystick-board.md)
};

/// A joystick axis as a force source. Game thread only (feed_axis, state, calibration).
class JoystickAxisSource final : public Source, public RawForceSource {
  public:
    /// SDL axis values run from kAxisMin to kAxisMax.
    static constexpr int kAxisMin = -32768;
    static constexpr int kAxisMax = 32767;
    /// Raw readings kept for take_raw() at most (a calibration screen takes them every frame).
    static constexpr std::size_t kMaxRawBacklog = 4096;

    /// A source for `device`; without one, start() fails ("no board connected").
    explicit JoystickAxisSource(std::optional<JoystickDevice> device);

    const SourceIdentity& identity() const override { return identity_; }
    SourceCaps caps() const override;
    bool start(SampleSink& sink) override;
    void stop() override;
    SourceState state() const override;
    std::string last_error() const override;

    /// One axis value read at `t_us` (the game's clock). Values outside the axis range are
    /// clamped; a value at either end of the range is flagged kFlagSaturated. Ignored unless
    /// streaming.
    void feed_axis(Micros t_us, int value);
    /// The device went away: the source reports Disconnected (samples delivered are kept).
    void set_disconnected();
    /// The device read, when there is one.
    const std::optional<JoystickDevice>& device() const { return device_; }
    /// The last axis value fed (0 before the first).
    int last_axis() const;

    void take_raw(std::vector<RawReading>& out) override;
    /// 0.1 % of the axis range: a board whose value moves less than that did not respond.
    double min_delta_raw() const override { return 65.5; }
    /// 0.3 % of the axis range.
    double steady_sd_raw() const override { return 200.0; }
    void set_two_point(const std::optional<TwoPointScale>& scale) override;
    std::optional<TwoPointScale> two_point() const override;

  private:
    std::optional<JoystickDevice> device_;
    SourceIdentity identity_;
    mutable std::mutex mutex_;
    SampleSink* sink_ = nullptr;
    SourceState state_ = SourceState::Stopped;
    std::string error_;
    std::optional<TwoPointScale> scale_;
    std::vector<RawReading> raw_;
    int last_axis_ = 0;
    std::optional<Micros> last_t_;
};

} // namespace qv::input
