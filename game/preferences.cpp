#include "game/preferences.hpp"

#include "content/content.hpp"
#include "core/log.hpp"
#include "game/context.hpp"
#include "game/gfx.hpp"
#include "profiles/clinician_store.hpp"

#include <SDL_mixer.h>
#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace qv::game {

namespace {

bool flag(profiles::Store& store, const std::string& key, bool fallback) {
    const auto v = profiles::setting(store, key);
    return v ? *v == "1" : fallback;
}

int number(profiles::Store& store, const std::string& key, int fallback) {
    const auto v = profiles::setting(store, key);
    int out = fallback;
    if (v) {
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
        if (ec != std::errc() || end != v->data() + v->size()) {
            out = fallback;
        }
    }
    return out;
}

std::string profile_key(std::int64_t profile_id) {
    return fmt::format("language.profile.{}", profile_id);
}

} // namespace

Preferences load_preferences(profiles::Store& store) {
    Preferences p;
    p.language = profiles::setting(store, "language").value_or(p.language);
    p.large_text = flag(store, "large_text", p.large_text);
    p.high_contrast = flag(store, "high_contrast", p.high_contrast);
    p.sound = flag(store, "sound", p.sound);
    p.volume_pct = std::clamp(number(store, "volume", p.volume_pct), 0, 100);
    p.one_switch = flag(store, "one_switch", p.one_switch);
    return p;
}

std::string save_preferences(profiles::Store& store, const Preferences& p) {
    const std::pair<const char*, std::string> values[] = {
        {"language", p.language},
        {"large_text", p.large_text ? "1" : "0"},
        {"high_contrast", p.high_contrast ? "1" : "0"},
        {"sound", p.sound ? "1" : "0"},
        {"volume", std::to_string(p.volume_pct)},
        {"one_switch", p.one_switch ? "1" : "0"}};
    for (const auto& [key, value] : values) {
        if (auto r = profiles::set_setting(store, key, value); !r) {
            return r.error().message;
        }
    }
    return {};
}

std::optional<std::string> profile_language(profiles::Store& store, std::int64_t profile_id) {
    return profiles::setting(store, profile_key(profile_id));
}

std::string set_profile_language(profiles::Store& store, std::int64_t profile_id,
                                 const std::string& code) {
    auto r = code.empty() ? profiles::erase_setting(store, profile_key(profile_id))
                          : profiles::set_setting(store, profile_key(profile_id), code);
    return r ? std::string() : r.error().message;
}

void apply_preferences(const Preferences& prefs, const std::string& language, Gfx& gfx,
                       const content::Content& content) {
    gfx.set_theme(prefs.high_contrast ? themes::high_contrast : themes::normal);
    gfx.set_text_scale(prefs.large_text ? kLargeTextScale : 1.0f);
    gfx.set_one_switch(prefs.one_switch);
    if (!content.set_language(language)) {
        log::get("game")->warn("language '{}' is not in the content; showing English", language);
    }
    // Only with an open mixer that has channels (Mix_Volume(-1) divides by their number).
    if (Mix_QuerySpec(nullptr, nullptr, nullptr) != 0 && Mix_AllocateChannels(-1) > 0) {
        Mix_Volume(-1, prefs.sound ? MIX_MAX_VOLUME * prefs.volume_pct / 100 : 0);
    }
}

std::string effective_language(Context& ctx, const Preferences& prefs) {
    if (ctx.profile) {
        if (auto own = profile_language(ctx.store, ctx.profile->id)) {
            return *own;
        }
    }
    return prefs.language;
}

void PreferenceSync::update(Context& ctx, Gfx& gfx) {
    const std::int64_t id = ctx.profile ? ctx.profile->id : 0;
    const bool child = ctx.profile && ctx.profile->child;
    if (!applied_ || id != profile_id_ || child != child_) {
        applied_ = true;
        profile_id_ = id;
        child_ = child;
        const Preferences prefs = load_preferences(ctx.store);
        apply_preferences(prefs, effective_language(ctx, prefs), gfx, ctx.content);
        ctx.content.set_child_words(child);
    }
    // Child mode: bigger text always, whatever the settings screen applied since.
    const auto scale = static_cast<float>(ctx.content.tuning.child.text_scale);
    if (child && gfx.text_scale() < scale) {
        gfx.set_text_scale(scale);
    }
}

} // namespace qv::game
