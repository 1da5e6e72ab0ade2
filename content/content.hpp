#pragma once
// Game content: levels, texts, avatars, sound cues and tuning, loaded from TOML data files.
// The loader never throws and never crashes: every problem becomes a ContentError naming file and
// line, the broken entry is skipped, and the defaults built into the program stay in place.

#include "core/exercise.hpp"
#include "core/tuning.hpp"

#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qv::content {

/// One problem found while loading, e.g. {"levels/quadset.toml", 12, "hold_s must be > 0"}.
struct ContentError {
    std::string file; ///< path relative to the content root
    int line = 0;     ///< 1-based; 0 when the problem concerns the whole file
    std::string message;
    /// "file:line: message"
    std::string to_string() const;
};

/// A quad-set level of the ladder (Q1..Q5).
struct QuadSetLevel {
    std::string id;          ///< "Q2"
    std::string name;        ///< "Building up"
    std::string description; ///< one line for the plan screen
    QuadSetDose dose;
    bool clinician_only = false; ///< needs a clinician to unlock (Q5)
};

/// A controlled-squat level of the ladder (S1..S5).
struct SquatLevel {
    std::string id;              ///< "S2"
    std::string name;            ///< "Slow squat"
    std::string description;     ///< one line for the plan screen
    SquatDose dose;              ///< depth_cap_deg defaults to 45 when the file does not say
    bool clinician_only = false; ///< needs a clinician to unlock (S5)
};

/// A selectable avatar, drawn by the game from these parameters (no image files).
struct Avatar {
    std::string id;      ///< "fox"
    std::string label;   ///< "Fox"
    std::string shape;   ///< one of: fox, owl, bear, cat, frog, rabbit (drawing routine)
    unsigned color = 0;  ///< 0xRRGGBB main colour
    unsigned accent = 0; ///< 0xRRGGBB accent colour
};

/// One game the player can choose: which exercise it trains, which scene draws it (code) and
/// its look (content). The exercise rules, dose and scoring are the same whichever is chosen.
struct GameTheme {
    std::string id;       ///< "balloon"; stored with each set (sets.game)
    std::string exercise; ///< "quad_set" or "squat"
    std::string scene;    ///< the scene routine: balloon, tower (quad sets); rider, diver (squats)
    unsigned sky_top = 0; ///< 0xRRGGBB background, top
    unsigned sky_bottom = 0;
    unsigned ground = 0;        ///< ground, water or track
    unsigned accent = 0;        ///< the game's own highlight colour
    bool child_friendly = true; ///< offered to children
};

/// A sound cue synthesised at start-up: notes played one after another.
struct SoundCue {
    std::string id;               ///< "band_enter", "hold_complete", "rest_end", "pain_stop"
    std::vector<double> notes_hz; ///< pitch of each note
    double note_s = 0;            ///< length of each note
    double volume = 0;            ///< 0..1
    std::string wave;             ///< "sine" or "triangle"
};

/// Accessibility numbers: how fast one-switch scanning moves its highlight.
struct AccessibilityParams {
    double scan_interval_s = 1.5; ///< seconds between two steps of the scanning highlight
};

/// Child mode (docs/child-mode.md): short levels with forced rests, bigger text, the planned
/// sessions a week the parents' adherence page compares with.
struct ChildParams {
    double min_level_s = 60;            ///< a child's level (one set) lasts at least this long ...
    double max_level_s = 180;           ///< ... and at most this long: get ready, holds and rests
    double max_rest_s = 20;             ///< longest rest between two holds or squats of a level
    double min_set_rest_s = 30;         ///< the forced rest between two levels: at least ...
    double max_set_rest_s = 60;         ///< ... and at most this long
    double text_scale = 1.3;            ///< every text of a child's screens drawn this much bigger
    double band_view_factor = 1.3;      ///< quad-set sky top at this many times the band's top
    int sessions_per_week = 5;          ///< planned sessions a week (the adherence page)
    double praise_steady_pct = 50;      ///< results praise "steady" from this steadiness ...
    double praise_very_steady_pct = 75; ///< ... and "very steady" from this one
};

/// Waiting-room kiosk (docs/kiosk.md). The clinic's own choices (on or off, guest data, the idle
/// timeout) are settings in the database; these are the defaults and the timings around them.
struct KioskParams {
    double idle_timeout_s = 90;    ///< no input this long: the visit ends (clinic may change it)
    double warning_s = 15;         ///< "still there?" shown this long before the visit ends
    double goodbye_s = 6;          ///< the thank-you screen at the end of a visit
    double attract_fps = 10;       ///< frames a second on the attract screen (idle CPU)
    double activity_force_n = 8;   ///< a sensor moving this much (filtered) is a player ...
    double activity_angle_deg = 4; ///< ... and so is a knee bending this much
};

/// A language the texts are available in.
struct Language {
    std::string code; ///< "en", "de": the name of its file texts/<code>.toml
    std::string name; ///< its own name, from its text "language.name": "English", "Deutsch"
};

/// Which language Content::text() answers in, and which missing keys were already logged.
struct LanguageChoice {
    std::string code = "en";
    std::set<std::string> logged_missing; ///< "de:key", so each gap is logged once
    bool child = false; ///< a child plays: text(key) prefers "child.<key>" (docs/child-mode.md)
};

/// Everything tuneable.
struct Tuning {
    KeyboardModelParams keyboard;
    SimPatientParams patient;
    FilterParams filter;
    CalibrationParams calibration;
    QuadSetRuleParams quadset;
    SquatRuleParams squat;
    PainRuleParams pain;
    AdaptationParams adaptation;
    ProgressParams progress;
    std::string default_level;                ///< level a new profile starts at
    std::string max_level_without_plan;       ///< highest level without a clinician's plan
    std::string squat_default_level;          ///< squat level a new profile starts at
    std::string squat_max_level_without_plan; ///< highest squat level without a plan
    AccessibilityParams accessibility{};      ///< one-switch scanning (last: older initialisers)
    ChildParams child{};                      ///< child mode (last: older initialisers)
    KioskParams kiosk{};                      ///< waiting-room kiosk
};

/// All loaded content.
struct Content {
    std::vector<QuadSetLevel> quadset_levels; ///< in ladder order
    std::vector<Avatar> avatars;
    std::vector<SoundCue> sounds;
    std::map<std::string, std::string> texts; ///< key -> text (English)
    Tuning tuning;
    std::vector<SquatLevel> squat_levels{}; ///< in ladder order (last: older initialisers hold)
    std::vector<GameTheme> games{};         ///< in the order they are offered
    /// Texts of the other languages: code ("de") -> key -> text. English is `texts`, the
    /// reference every other language is checked against.
    std::map<std::string, std::map<std::string, std::string>> translations{};
    /// The language text() answers in. Mutable: the player switches language while every screen
    /// holds the content read-only; choosing a language changes no content.
    mutable LanguageChoice language_choice{};

    /// Level by id, or nullptr.
    const QuadSetLevel* level(const std::string& id) const;
    /// Squat level by id, or nullptr.
    const SquatLevel* squat_level(const std::string& id) const;
    /// Avatar by id, or nullptr.
    const Avatar* avatar(const std::string& id) const;
    /// Sound by id, or nullptr.
    const SoundCue* sound(const std::string& id) const;
    /// Game by id, or nullptr.
    const GameTheme* game(const std::string& id) const;
    /// The games of one exercise ("quad_set", "squat"), in content order.
    std::vector<const GameTheme*> games_for(const std::string& exercise) const;
    /// Text by key in the current language; a key that language lacks falls back to English
    /// (logged once per key); the key itself in brackets when English lacks it too (visible,
    /// never a crash). With child words on, "child.<key>" first when English has it.
    std::string text(const std::string& key) const;
    /// Text by key in one language (same fallback as text()).
    std::string text_in(const std::string& code, const std::string& key) const;
    /// Selects the language of text(); false (and English kept) for a language not loaded.
    bool set_language(const std::string& code) const;
    /// Child mode's simpler words: while on, text(key) answers with the text "child.<key>" when
    /// the content has one (English decides which keys have a child variant).
    void set_child_words(bool on) const { language_choice.child = on; }
    /// The code of the current language ("en").
    const std::string& language() const { return language_choice.code; }
    /// Every loaded language, English first, then by code, each with its own name.
    std::vector<Language> languages() const;
};

/// What a load produced.
struct LoadResult {
    Content content;
    std::vector<ContentError> errors; ///< empty when everything was valid
};

/// Loads the defaults built into the program (a copy of content/data made at build time).
LoadResult load_builtin();

/// Loads the built-in defaults, then overlays the files under `dir` entry by entry (levels,
/// avatars and sounds by id, texts by key, tuning by field). Broken entries are reported and
/// skipped; what they would have replaced keeps its default.
LoadResult load(const std::filesystem::path& dir);

/// The data files, relative to the content root, in the order they are loaded (levels before
/// tuning, because tuning names levels).
const std::vector<std::string>& content_files();

/// Where the content of this installation lives: $QV_CONTENT_DIR, else the directory next to the
/// executable's prefix (share/quadventure/content), else the source tree's content/data.
std::optional<std::filesystem::path> find_content_dir(const std::filesystem::path& exe_path);

/// Compares every translation with English: keys missing or extra, and placeholders ({},
/// {:g}, {change}) that differ. One error per problem, file texts/<code>.toml, line 0.
std::vector<ContentError> check_translations(const Content& content);

/// The game's `--check-content`: loads `dir` like load() does, prints every problem as
/// "file:line: message" (translation gaps included, see check_translations) and then one summary
/// line; returns 0 when clean, 1 otherwise.
int check_content(const std::filesystem::path& dir, std::ostream& out);

} // namespace qv::content
