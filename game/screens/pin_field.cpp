#include "game/screens/pin_field.hpp"

#include "game/context.hpp"
#include "game/gfx.hpp"
#include "game/screen.hpp"
#include "game/widgets.hpp"
#include "profiles/clinician_store.hpp"

#include <algorithm>

namespace qv::game {

int digit_of(const SDL_Event& e) {
    if (e.type != SDL_KEYDOWN) {
        return -1;
    }
    const auto k = e.key.keysym.sym;
    if (k >= SDLK_0 && k <= SDLK_9) {
        return static_cast<int>(k - SDLK_0);
    }
    if (k >= SDLK_KP_1 && k <= SDLK_KP_9) {
        return static_cast<int>(k - SDLK_KP_1) + 1;
    }
    return k == SDLK_KP_0 ? 0 : -1;
}

bool PinField::handle(const SDL_Event& e) {
    if (const int d = digit_of(e); d >= 0) {
        if (pin_.size() < 8) {
            pin_ += static_cast<char>('0' + d);
        }
        return true;
    }
    if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_BACKSPACE) {
        if (!pin_.empty()) {
            pin_.pop_back();
        }
        return true;
    }
    return false;
}

void PinField::draw(Gfx& gfx, float cy) const {
    const float slot = 44, gap = 14, w = 8 * slot + 7 * gap;
    const float x0 = (static_cast<float>(Gfx::kWidth) - w) / 2;
    for (int i = 0; i < 8; ++i) {
        const float cx = x0 + static_cast<float>(i) * (slot + gap) + slot / 2;
        const bool filled = i < static_cast<int>(pin_.size());
        gfx.circle(cx, cy, 18, filled ? palette::ink : Color::hex(0xE3E8F0));
        if (i >= 4 && !filled) {
            gfx.circle(cx, cy, 12, palette::paper); // optional digits: hollow
        }
    }
}

void PinField::clear() {
    std::fill(pin_.begin(), pin_.end(), '\0'); // do not leave the PIN lying around
    pin_.clear();
}

PinGate::PinGate(Context& ctx, std::string name, Words words,
                 std::function<std::unique_ptr<Screen>()> next)
    : Screen(ctx), name_(std::move(name)), words_(std::move(words)), next_(std::move(next)) {
    if (const auto wait = profiles::pin_wait_s(ctx_.store); wait > 0) {
        locked_until_ = profiles::unix_now_s() + wait;
    }
}

PinGate::~PinGate() {
    field_.clear();
}

void PinGate::draw(Gfx& gfx) {
    constexpr float cx = static_cast<float>(Gfx::kWidth) / 2;
    draw_backdrop(gfx, t_);
    draw_card(gfx, 240, 110, 800, 460);
    gfx.text(ctx_.t(words_.title), cx, 140, FontSize::Large, palette::ink, Align::Center, true);
    gfx.paragraph(ctx_.t(words_.body), cx, 200, 700, FontSize::Body, palette::ink_soft,
                  Align::Center);
    field_.draw(gfx, 320);
    float y = 380;
    if (!error_.empty()) {
        y += gfx.paragraph(error_, cx, y, 700, FontSize::Body, palette::stop, Align::Center);
    }
    if (const auto wait = locked_until_ - profiles::unix_now_s(); wait > 0) {
        gfx.paragraph(ctx_.tf("clinician.pin.wait", wait), cx, y + 6, 700, FontSize::Body,
                      palette::warm, Align::Center);
    }
    if (!words_.footnote.empty()) {
        gfx.paragraph(ctx_.t(words_.footnote), cx, 500, 700, FontSize::Small, palette::ink_soft,
                      Align::Center);
    }
    draw_hints(gfx, {{"0-9", ctx_.t("clinician.hint.digits")},
                     {"Enter", ctx_.t("clinician.hint.unlock")},
                     {"Esc", ctx_.t("hint.back")}});
}

bool PinGate::handle(const SDL_Event& e) {
    if (field_.handle(e)) {
        return true;
    }
    if (is_back(e)) {
        field_.clear();
        ctx_.screens.pop();
        return true;
    }
    if (!is_confirm(e)) {
        return false;
    }
    const auto r = profiles::verify_pin(ctx_.store, field_.pin());
    field_.clear();
    error_.clear();
    switch (r.outcome) {
    case profiles::PinOutcome::Accepted:
        ctx_.screens.replace(next_());
        break;
    case profiles::PinOutcome::Wrong:
        error_ = ctx_.t("clinician.pin.wrong");
        break;
    case profiles::PinOutcome::Locked:
        break;
    case profiles::PinOutcome::Invalid:
    case profiles::PinOutcome::Error:
        error_ = r.message;
        break;
    }
    locked_until_ = r.wait_s > 0 ? profiles::unix_now_s() + r.wait_s : 0;
    return true;
}

} // namespace qv::game
