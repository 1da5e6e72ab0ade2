#include "game/screens/pin_field.hpp"

#include "game/gfx.hpp"

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

} // namespace qv::game
