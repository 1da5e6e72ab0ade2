#include "game/sensor_guard.hpp"

#include "core/log.hpp"
#include "game/audio.hpp"
#include "game/context.hpp"
#include "game/widgets.hpp"

#include <cmath>
#include <fmt/format.h>

namespace qv::game {

namespace {

// SENSORS.md: without hot-plug events, rescan about once a second. Reopening the same registry
// row is that rescan: it fails fast while the device is absent.
constexpr double kRetryS = 1.0;

} // namespace

void SetQuality::count(std::uint16_t flags) {
    ++readings;
    spikes += (flags & kFlagSpike) != 0 ? 1 : 0;
    saturated += (flags & kFlagSaturated) != 0 ? 1 : 0;
    gaps += (flags & kFlagGapBefore) != 0 ? 1 : 0;
    drift_warnings += (flags & kFlagDriftWarning) != 0 ? 1 : 0;
}

std::string SetQuality::json(const input::Source* source, std::uint64_t dropped_now) const {
    // Driver ids are registry ids (lower case, digits, '-'): nothing to escape.
    const std::string driver = source != nullptr ? source->identity().driver : "none";
    const bool measured = source != nullptr && source->identity().is_measurement;
    const std::string switched =
        switched_from.empty() ? "" : fmt::format(R"(,"switched_from":"{}")", switched_from);
    return fmt::format(R"({{"source":"{}","is_measurement":{},"readings":{},"dropped":{},)"
                       R"("spikes":{},"saturated":{},"gaps":{},"drift_warnings":{}{}}})",
                       driver, measured, readings,
                       dropped_now >= dropped_at_start ? dropped_now - dropped_at_start : 0, spikes,
                       saturated, gaps, drift_warnings, switched);
}

SensorGuard::SensorGuard(Context& ctx) : ctx_(ctx) {}

bool SensorGuard::source_ok() const {
    const auto* src = ctx_.input.source();
    return src != nullptr && src->state() == input::SourceState::Streaming;
}

SensorGuard::Status SensorGuard::step(double dt) {
    if (!lost_) {
        if (source_ok()) {
            return Status::Ok;
        }
        const auto* src = ctx_.input.source();
        lost_ = true;
        lost_for_s_ = 0;
        retry_in_s_ = kRetryS;
        attempts_ = 0;
        lost_driver_ = src != nullptr ? src->identity().driver : ctx_.draft.driver_id;
        reason_ = src != nullptr ? src->last_error() : std::string();
        log::get("game")->warn("sensor '{}' lost: {}", lost_driver_,
                               reason_.empty() ? "stopped streaming" : reason_);
        ctx_.audio.play("sensor_lost");
        return Status::Lost;
    }
    if (switched_) {
        switched_ = false;
        lost_ = false;
        return Status::Switched;
    }
    lost_for_s_ += dt;
    retry_in_s_ -= dt;
    if (retry_in_s_ > 0) {
        return Status::Lost;
    }
    retry_in_s_ = kRetryS;
    ++attempts_;
    if (ctx_.use_source(lost_driver_) && source_ok()) {
        log::get("game")->info("sensor '{}' back after {:.1f} s ({} attempts)", lost_driver_,
                               lost_for_s_, attempts_);
        lost_ = false;
        ctx_.audio.play("sensor_back");
        return Status::Reconnected;
    }
    return Status::Lost;
}

bool SensorGuard::handle(const SDL_Event& e) {
    if (!lost_ || e.type != SDL_KEYDOWN || e.key.repeat != 0 || e.key.keysym.sym != SDLK_k) {
        return false;
    }
    if (ctx_.use_source("keyboard")) {
        log::get("game")->info("switched from '{}' to the keyboard", lost_driver_);
        ctx_.draft.driver_id = "keyboard";
        switched_ = true;
    }
    return true;
}

void SensorGuard::draw_card(Gfx& gfx) const {
    gfx.rect(0, 0, Gfx::kWidth, Gfx::kHeight, palette::ink.with_alpha(110));
    game::draw_card(gfx, 240, 170, 800, 360);
    // A plug with a gap: the picture says "unplugged" without relying on colour.
    const float cx = 640, cy = 232;
    gfx.rounded_rect(cx - 90, cy - 16, 60, 32, 8, palette::ink_soft);
    gfx.rect(cx - 30, cy - 10, 16, 6, palette::ink_soft);
    gfx.rect(cx - 30, cy + 4, 16, 6, palette::ink_soft);
    gfx.rounded_rect(cx + 30, cy - 16, 60, 32, 8, palette::ink_soft);
    gfx.line(cx - 8, cy - 20, cx + 8, cy + 20, 4, palette::warm);
    gfx.text(ctx_.t("sensor.lost_title"), 640, 262, FontSize::Large, palette::ink, Align::Center,
             true);
    gfx.paragraph(ctx_.tf("sensor.lost_body", ctx_.t("source." + lost_driver_)), 640, 318, 700,
                  FontSize::Body, palette::ink, Align::Center);
    gfx.paragraph(ctx_.tf("sensor.lost_waiting", static_cast<int>(std::floor(lost_for_s_))), 640,
                  400, 700, FontSize::Small, palette::ink_soft, Align::Center);
    gfx.paragraph(ctx_.t("sensor.lost_keyboard"), 640, 452, 700, FontSize::Small, palette::ink,
                  Align::Center);
}

void SensorGuard::draw_indicator(Gfx& gfx, float right, float y) const {
    const auto* src = ctx_.input.source();
    if (src == nullptr) {
        return;
    }
    const bool ok = !lost_ && source_ok();
    const std::string label = ctx_.t("source." + src->identity().driver) + " \u00b7 " +
                              ctx_.t(ok ? "sensor.status_ok" : "sensor.status_lost");
    const SDL_Point size = gfx.measure(label, FontSize::Small);
    const float x = right - static_cast<float>(size.x);
    // Filled dot while streaming, a ring with a bar while not: shape carries the state.
    if (ok) {
        gfx.circle(x - 14, y + 12, 7, palette::accent);
    } else {
        gfx.arc(x - 14, y + 12, 7, 2.5f, 0, 6.2832f, palette::warm);
        gfx.line(x - 19, y + 17, x - 9, y + 7, 2.5f, palette::warm);
    }
    gfx.text(label, right, y, FontSize::Small, ok ? palette::ink_soft : palette::ink, Align::Right,
             !ok);
}

} // namespace qv::game
