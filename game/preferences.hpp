#pragma once
// The player's accessibility and language settings: where they are stored and how they are
// applied to the drawing (theme, text size), the texts (language), the sound and the input.
//
// Storage (docs/accessibility.md): app-wide values in the settings table, keys "language",
// "large_text", "high_contrast", "sound", "volume", "one_switch"; a profile's own language in the
// settings key "language.profile.<id>", which wins while that profile is chosen.

#include "profiles/store.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace qv::content {
struct Content;
}

namespace qv::game {

class Gfx;
struct Context;

/// The settings a player can change on the settings screen.
struct Preferences {
    std::string language = "en"; ///< app-wide language code
    bool large_text = false;     ///< FontSize drawn about 1.3 times bigger
    bool high_contrast = false;  ///< themes::high_contrast instead of themes::normal
    bool sound = true;           ///< sound cues on
    int volume_pct = 80;         ///< 0..100, in steps of 10
    bool one_switch = false;     ///< auto-scanning, the switch (Space) chooses
};

/// The text scale large text uses.
inline constexpr float kLargeTextScale = 1.3f;

/// Reads the app-wide settings (defaults for anything never set or unreadable).
Preferences load_preferences(profiles::Store& store);
/// Stores the app-wide settings; the first failure's message, or empty when all were stored.
std::string save_preferences(profiles::Store& store, const Preferences& prefs);
/// A profile's own language, or nullopt when it follows the app-wide one.
std::optional<std::string> profile_language(profiles::Store& store, std::int64_t profile_id);
/// Stores a profile's own language; empty `code` removes it (follows the app-wide one again).
std::string set_profile_language(profiles::Store& store, std::int64_t profile_id,
                                 const std::string& code);
/// Applies settings at once: theme and text size to `gfx`, one-switch to `gfx`, the language
/// (`language`, the profile's own when it has one) to the content, the volume to the mixer.
void apply_preferences(const Preferences& prefs, const std::string& language, Gfx& gfx,
                       const content::Content& content);

/// Keeps what is shown in step with the stored settings: applies them at the first frame and
/// again whenever the chosen profile changes (its own language). The App calls update() once
/// per frame; the settings screen applies its changes itself. A child's profile (child mode,
/// docs/child-mode.md) also turns on the content's simpler child words and keeps every text at
/// least tuning [child] text_scale big, whatever the settings say.
class PreferenceSync {
  public:
    void update(Context& ctx, Gfx& gfx);

  private:
    bool applied_ = false;
    std::int64_t profile_id_ = 0; ///< 0: no profile chosen
    bool child_ = false;          ///< the chosen profile is a child's
};

/// The language to show for the current profile (its own, else the app-wide one).
std::string effective_language(Context& ctx, const Preferences& prefs);

} // namespace qv::game
