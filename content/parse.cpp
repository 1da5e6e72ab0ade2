// Validation of the TOML content files. Every check lives here, next to the ranges that
// content/README.md documents; nothing in this file throws out of apply_file().

#include "content/parse.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <toml++/toml.h>

namespace qv::content::detail {
namespace {

int line_of(const toml::source_region& region) {
    return static_cast<int>(region.begin.line);
}
int line_of(const toml::node& node) {
    return line_of(node.source());
}
int line_of(const toml::key& key) {
    return line_of(key.source());
}

// Words for a TOML type in messages ("must be a number, not a string").
std::string_view type_word(toml::node_type type) {
    switch (type) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a decimal number";
    case toml::node_type::boolean:
        return "true/false";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::table:
        return "a table";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
        return "a date or time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

// Collects the problems of one file.
class Reporter {
  public:
    Reporter(const std::string& file, std::vector<ContentError>& errors)
        : file_(file), errors_(errors) {}
    void add(int line, std::string message) {
        errors_.push_back(ContentError{file_, line, std::move(message)});
    }

  private:
    const std::string& file_;
    std::vector<ContentError>& errors_;
};

// A number as TOML would write it, without noise ("4", "0.25").
std::string num(double value) {
    return fmt::format("{}", value);
}

std::optional<double> as_number(const toml::node& node) {
    if (const auto* i = node.as_integer())
        return static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point())
        return f->get();
    return std::nullopt;
}

bool in_range(double value, double lo, double hi) {
    return value >= lo && value <= hi;
}

bool valid_id(const std::string& id) {
    if (id.empty() || id.size() > 32)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

std::optional<unsigned> parse_color(const std::string& text) {
    if (text.size() != 7 || text[0] != '#')
        return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        const char c = text[i];
        unsigned digit = 0;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            digit = static_cast<unsigned>(c - 'A' + 10);
        else
            return std::nullopt;
        value = value * 16 + digit;
    }
    return value;
}

// Reads the keys of one [[entry]] table, reporting each problem once; the entry is kept only
// when ok() stays true.
class EntryReader {
  public:
    EntryReader(const toml::table& table, std::string label, Reporter& reporter,
                std::vector<std::string_view> keys)
        : table_(table), label_(std::move(label)), reporter_(reporter), keys_(std::move(keys)) {}

    // Reports every key the entry may not have (most often a misspelt one).
    void check_unknown_keys() {
        for (auto&& [key, value] : table_) {
            (void)value;
            if (std::find(keys_.begin(), keys_.end(), key.str()) == keys_.end())
                fail(line_of(key), fmt::format("unknown key '{}' (a typo? known keys: {})",
                                               key.str(), fmt::join(keys_, ", ")));
        }
    }

    bool ok() const { return ok_; }
    const std::string& label() const { return label_; }
    void set_label(std::string label) { label_ = std::move(label); }
    void fail(int line, const std::string& message) {
        ok_ = false;
        reporter_.add(line, fmt::format("{}: {}", label_, message));
    }

    // The node of a required key, or nullptr after reporting it missing.
    const toml::node* required(std::string_view key) {
        const toml::node* node = table_.get(key);
        if (node == nullptr)
            fail(line_of(table_), fmt::format("missing required key '{}'", key));
        return node;
    }

    std::optional<std::string> string(std::string_view key, std::size_t max_len) {
        const toml::node* node = required(key);
        if (node == nullptr)
            return std::nullopt;
        const auto* s = node->as_string();
        if (s == nullptr) {
            fail(line_of(*node),
                 fmt::format("{} must be a string, not {}", key, type_word(node->type())));
            return std::nullopt;
        }
        const std::string& value = s->get();
        if (value.empty() || value.size() > max_len) {
            fail(line_of(*node), fmt::format("{} must be 1 to {} characters long, got {}", key,
                                             max_len, value.size()));
            return std::nullopt;
        }
        return value;
    }

    // A string that must be one of `choices`.
    std::optional<std::string> choice(std::string_view key,
                                      const std::vector<std::string_view>& choices) {
        auto value = string(key, 64);
        if (value && std::find(choices.begin(), choices.end(), *value) == choices.end()) {
            fail(line_of(*table_.get(key)), fmt::format("{} must be one of {}, got '{}'", key,
                                                        fmt::join(choices, ", "), *value));
            return std::nullopt;
        }
        return value;
    }

    std::optional<double> number(std::string_view key, double lo, double hi,
                                 std::string_view unit) {
        const toml::node* node = required(key);
        if (node == nullptr)
            return std::nullopt;
        const auto value = as_number(*node);
        if (!value) {
            fail(line_of(*node),
                 fmt::format("{} must be a number, not {}", key, type_word(node->type())));
            return std::nullopt;
        }
        if (!in_range(*value, lo, hi)) {
            fail(line_of(*node),
                 fmt::format("{} must be between {} and {}{}{}, got {}", key, num(lo), num(hi),
                             unit.empty() ? "" : " ", unit, num(*value)));
            return std::nullopt;
        }
        return value;
    }

    std::optional<int> integer(std::string_view key, int lo, int hi) {
        const toml::node* node = required(key);
        if (node == nullptr)
            return std::nullopt;
        const auto* i = node->as_integer();
        if (i == nullptr) {
            fail(line_of(*node),
                 fmt::format("{} must be a whole number, not {}", key, type_word(node->type())));
            return std::nullopt;
        }
        const std::int64_t value = i->get();
        if (value < lo || value > hi) {
            fail(line_of(*node),
                 fmt::format("{} must be between {} and {}, got {}", key, lo, hi, value));
            return std::nullopt;
        }
        return static_cast<int>(value);
    }

    // An optional true/false key.
    bool boolean(std::string_view key, bool fallback) {
        const toml::node* node = table_.get(key);
        if (node == nullptr)
            return fallback;
        if (const auto* b = node->as_boolean())
            return b->get();
        fail(line_of(*node),
             fmt::format("{} must be true or false, not {}", key, type_word(node->type())));
        return fallback;
    }

    std::optional<unsigned> color(std::string_view key) {
        auto text = string(key, 64);
        if (!text)
            return std::nullopt;
        auto value = parse_color(*text);
        if (!value)
            fail(line_of(*table_.get(key)),
                 fmt::format("{} must be a colour written \"#RRGGBB\", got '{}'", key, *text));
        return value;
    }

    const toml::table& table() const { return table_; }

  private:
    const toml::table& table_;
    std::string label_;
    Reporter& reporter_;
    std::vector<std::string_view> keys_;
    bool ok_ = true;
};

// Inserts `item` in place of the entry with the same id, or appends it.
template <typename T> void upsert(std::vector<T>& list, T item) {
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const T& existing) { return existing.id == item.id; });
    if (it != list.end())
        *it = std::move(item);
    else
        list.push_back(std::move(item));
}

// The shared shape of levels, avatars and sounds: a file of [[noun]] tables with unique ids.
// `fill` reads everything but the id into the item.
template <typename T>
void apply_list(const toml::table& root, std::string_view noun, Reporter& reporter,
                std::vector<std::string_view> keys, std::vector<T>& list,
                const std::function<void(EntryReader&, T&)>& fill) {
    for (auto&& [key, value] : root) {
        (void)value;
        if (key.str() != noun)
            reporter.add(
                line_of(key),
                fmt::format("unknown key '{}' (this file holds [[{}]] tables)", key.str(), noun));
    }
    const toml::node* node = root.get(noun);
    if (node == nullptr)
        return;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        reporter.add(line_of(*node), fmt::format("'{}' must be written as [[{}]] tables, not {}",
                                                 noun, noun, type_word(node->type())));
        return;
    }
    std::map<std::string, int> seen; // id -> line of its first definition in this file
    int index = 0;
    for (const toml::node& element : *array) {
        ++index;
        const toml::table* table = element.as_table();
        if (table == nullptr) {
            reporter.add(line_of(element), fmt::format("{} #{} must be a table, not {}", noun,
                                                       index, type_word(element.type())));
            continue;
        }
        EntryReader reader(*table, fmt::format("{} #{}", noun, index), reporter, keys);
        auto id = reader.string("id", 32);
        if (id && !valid_id(*id)) {
            reader.fail(line_of(*table->get("id")),
                        fmt::format("id '{}' may only use letters, digits, '_' and '-'", *id));
            id.reset();
        }
        if (id)
            reader.set_label(fmt::format("{} {}", noun, *id));
        reader.check_unknown_keys();
        if (!id)
            continue;
        const int id_line = line_of(*table->get("id"));
        if (auto first = seen.find(*id); first != seen.end()) {
            reader.fail(id_line, fmt::format("duplicate id '{}' (first defined on line {})", *id,
                                             first->second));
            continue;
        }
        seen.emplace(*id, id_line);
        T item;
        item.id = *id;
        fill(reader, item);
        if (reader.ok())
            upsert(list, std::move(item));
    }
}

void apply_levels(const toml::table& root, Reporter& reporter, Content& content) {
    apply_list<QuadSetLevel>(
        root, "level", reporter,
        {"id", "name", "description", "sets", "reps", "hold_s", "rest_s", "set_rest_s",
         "band_low_pct", "band_high_pct", "clinician_only"},
        content.quadset_levels, [](EntryReader& r, QuadSetLevel& level) {
            level.name = r.string("name", 60).value_or("");
            level.description = r.string("description", 200).value_or("");
            level.dose.sets = r.integer("sets", 1, 10).value_or(0);
            level.dose.reps = r.integer("reps", 1, 30).value_or(0);
            level.dose.hold_s = r.number("hold_s", 1, 120, "s").value_or(0);
            level.dose.rest_s = r.number("rest_s", 0, 600, "s").value_or(0);
            level.dose.set_rest_s = r.number("set_rest_s", 0, 600, "s").value_or(0);
            const auto low = r.number("band_low_pct", 1, 100, "% MVC");
            const auto high = r.number("band_high_pct", 1, 100, "% MVC");
            if (low && high && !(*low < *high))
                r.fail(line_of(*r.table().get("band_low_pct")),
                       fmt::format("band_low_pct ({}) must be below band_high_pct ({})", num(*low),
                                   num(*high)));
            level.dose.band_low_pct = low.value_or(0);
            level.dose.band_high_pct = high.value_or(0);
            level.clinician_only = r.boolean("clinician_only", false);
        });
}

void apply_squat_levels(const toml::table& root, Reporter& reporter, Content& content) {
    apply_list<SquatLevel>(
        root, "level", reporter,
        {"id", "name", "description", "sets", "reps", "depth_deg", "down_s", "pause_s", "up_s",
         "rest_s", "set_rest_s", "tempo_tol_s", "corridor", "depth_cap_deg", "clinician_only"},
        content.squat_levels, [](EntryReader& r, SquatLevel& level) {
            level.name = r.string("name", 60).value_or("");
            level.description = r.string("description", 200).value_or("");
            SquatDose& d = level.dose;
            d.sets = r.integer("sets", 1, 10).value_or(0);
            d.reps = r.integer("reps", 1, 30).value_or(0);
            const auto depth = r.number("depth_deg", 5, 90, "degrees");
            d.down_s = r.number("down_s", 0.5, 30, "s").value_or(0);
            d.pause_s = r.number("pause_s", 0, 60, "s").value_or(0);
            d.up_s = r.number("up_s", 0.5, 30, "s").value_or(0);
            d.rest_s = r.number("rest_s", 0, 600, "s").value_or(0);
            d.set_rest_s = r.number("set_rest_s", 0, 600, "s").value_or(0);
            d.tempo_tol_s = r.number("tempo_tol_s", 0.1, 5, "s").value_or(0);
            d.corridor = r.number("corridor", 0.5, 45, "degrees or % body weight").value_or(0);
            std::optional<double> cap = 45.0; // the default cap (CLINICAL.md: 0-45 degrees)
            if (r.table().get("depth_cap_deg") != nullptr)
                cap = r.number("depth_cap_deg", 5, 90, "degrees");
            if (depth && cap && *depth > *cap)
                r.fail(line_of(*r.table().get("depth_deg")),
                       fmt::format("depth_deg ({}) must not be above depth_cap_deg ({})",
                                   num(*depth), num(*cap)));
            d.depth_deg = depth.value_or(0);
            d.depth_cap_deg = cap.value_or(0);
            level.clinician_only = r.boolean("clinician_only", false);
        });
}

void apply_avatars(const toml::table& root, Reporter& reporter, Content& content) {
    apply_list<Avatar>(
        root, "avatar", reporter, {"id", "label", "shape", "color", "accent"}, content.avatars,
        [](EntryReader& r, Avatar& avatar) {
            avatar.label = r.string("label", 40).value_or("");
            avatar.shape =
                r.choice("shape", {"fox", "owl", "bear", "cat", "frog", "rabbit"}).value_or("");
            avatar.color = r.color("color").value_or(0);
            avatar.accent = r.color("accent").value_or(0);
        });
}

void apply_games(const toml::table& root, Reporter& reporter, Content& content) {
    apply_list<GameTheme>(
        root, "game", reporter,
        {"id", "exercise", "scene", "sky_top", "sky_bottom", "ground", "accent", "child_friendly"},
        content.games, [](EntryReader& r, GameTheme& game) {
            game.exercise = r.choice("exercise", {"quad_set", "squat"}).value_or("");
            game.scene = r.choice("scene", {"balloon", "tower", "rider", "diver"}).value_or("");
            const bool quad = game.scene == "balloon" || game.scene == "tower";
            if (!game.exercise.empty() && !game.scene.empty() &&
                quad != (game.exercise == "quad_set")) {
                r.fail(0, fmt::format("scene {} does not play {}", game.scene, game.exercise));
            }
            game.sky_top = r.color("sky_top").value_or(0);
            game.sky_bottom = r.color("sky_bottom").value_or(0);
            game.ground = r.color("ground").value_or(0);
            game.accent = r.color("accent").value_or(0);
            if (const toml::node* node = r.required("child_friendly")) {
                if (const auto v = node->value<bool>()) {
                    game.child_friendly = *v;
                } else {
                    r.fail(line_of(*node), "child_friendly must be true or false");
                }
            }
        });
}

void apply_sounds(const toml::table& root, Reporter& reporter, Content& content) {
    apply_list<SoundCue>(
        root, "sound", reporter, {"id", "notes_hz", "note_s", "volume", "wave"}, content.sounds,
        [](EntryReader& r, SoundCue& sound) {
            if (const toml::node* node = r.required("notes_hz")) {
                const toml::array* notes = node->as_array();
                if (notes == nullptr) {
                    r.fail(line_of(*node), fmt::format("notes_hz must be an array of numbers, "
                                                       "not {}",
                                                       type_word(node->type())));
                } else if (notes->empty() || notes->size() > 16) {
                    r.fail(line_of(*node),
                           fmt::format("notes_hz must hold 1 to 16 notes, got {}", notes->size()));
                } else {
                    for (const toml::node& note : *notes) {
                        const auto hz = as_number(note);
                        if (!hz || !in_range(*hz, 20, 20000)) {
                            r.fail(line_of(note),
                                   "each of notes_hz must be a number between 20 and 20000 Hz");
                            break;
                        }
                        sound.notes_hz.push_back(*hz);
                    }
                }
            }
            sound.note_s = r.number("note_s", 0.02, 2, "s").value_or(0);
            sound.volume = r.number("volume", 0, 1, "").value_or(0);
            sound.wave = r.choice("wave", {"sine", "triangle"}).value_or("");
        });
}

void apply_texts(const toml::table& table, const std::string& prefix, Reporter& reporter,
                 std::map<std::string, std::string>& texts) {
    for (auto&& [key, value] : table) {
        const std::string name =
            prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* sub = value.as_table())
            apply_texts(*sub, name, reporter, texts);
        else if (const auto* text = value.as_string())
            texts[name] = text->get();
        else
            reporter.add(line_of(value), fmt::format("text '{}' must be a string, not {}", name,
                                                     type_word(value.type())));
    }
}

// ---- tuning -------------------------------------------------------------------------------

enum class Kind { number, integer, level, squat_level };

// One tuning field: where it lives in the file and in the struct, and its allowed range.
struct Field {
    std::string_view table;
    std::string_view key;
    Kind kind;
    double lo;
    double hi;
    std::string_view unit;
    double& (*number)(Tuning&);
    int& (*integer)(Tuning&);
    std::string& (*level)(Tuning&);
};

// The macros keep each key spelt exactly like its struct member.
// clang-format off
#define QV_NUMBER(tbl, member, lo, hi, unit)                                                       \
    Field{#tbl, #member, Kind::number, lo, hi, unit,                                               \
          [](Tuning& t) -> double& { return t.tbl.member; }, nullptr, nullptr}
#define QV_INTEGER(tbl, member, lo, hi)                                                            \
    Field{#tbl, #member, Kind::integer, lo, hi, "", nullptr,                                       \
          [](Tuning& t) -> int& { return t.tbl.member; }, nullptr}
#define QV_LEVEL(member)                                                                           \
    Field{"progression", #member, Kind::level, 0, 0, "", nullptr, nullptr,                         \
          [](Tuning& t) -> std::string& { return t.member; }}
#define QV_SQUAT_LEVEL(member)                                                                     \
    Field{"progression", #member, Kind::squat_level, 0, 0, "", nullptr, nullptr,                   \
          [](Tuning& t) -> std::string& { return t.member; }}
// clang-format on

const std::vector<Field>& tuning_fields() {
    static const std::vector<Field> fields = {
        QV_NUMBER(keyboard, max_force_n, 10, 5000, "N"),
        QV_NUMBER(keyboard, rise_s, 0.01, 5, "s"),
        QV_NUMBER(keyboard, fall_s, 0.01, 5, "s"),
        QV_NUMBER(keyboard, tremor_pct, 0, 20, "%"),
        QV_NUMBER(keyboard, effort_step, 0.001, 0.5, ""),
        QV_NUMBER(keyboard, start_effort, 0, 1, ""),
        QV_NUMBER(keyboard, rate_hz, 10, 2000, "Hz"),
        QV_NUMBER(keyboard, angle_rate_deg_s, 1, 360, "degrees/s"),
        QV_NUMBER(keyboard, angle_max_deg, 10, 150, "degrees"),
        QV_NUMBER(patient, true_mvc_n, 10, 5000, "N"),
        QV_NUMBER(patient, reaction_s, 0, 3, "s"),
        QV_NUMBER(patient, rise_s, 0.01, 5, "s"),
        QV_NUMBER(patient, tracking_gain, 0.1, 50, "1/s"),
        QV_NUMBER(patient, noise_cv_low, 0, 0.5, ""),
        QV_NUMBER(patient, noise_cv_high, 0, 0.5, ""),
        QV_NUMBER(patient, fatigue_rate, 0, 0.1, "per s"),
        QV_NUMBER(patient, recovery_rate, 0, 0.5, "per s"),
        QV_NUMBER(patient, drift_n_per_min, 0, 100, "N/min"),
        QV_NUMBER(patient, rate_hz, 10, 2000, "Hz"),
        QV_NUMBER(patient, angle_lag_s, 0.01, 2, "s"),
        QV_NUMBER(patient, angle_noise_deg, 0, 10, "degrees"),
        QV_NUMBER(patient, body_weight_n, 100, 3000, "N"),
        QV_NUMBER(patient, com_drop_m, 0.05, 1, "m"),
        QV_NUMBER(patient, affected_share, 0.05, 0.95, ""),
        QV_NUMBER(patient, offload_at_90, 0, 0.5, ""),
        QV_NUMBER(patient, seated_share, 0, 0.5, ""),
        QV_NUMBER(patient, seat_angle_deg, 30, 120, "degrees"),
        QV_NUMBER(patient, chair_contact_deg, 1, 45, "degrees"),
        QV_NUMBER(patient, load_noise_pct, 0, 10, "% body weight"),
        QV_NUMBER(patient, fast_tempo_s, 0.1, 10, "s"),
        QV_NUMBER(patient, deep_factor, 1, 3, ""),
        QV_NUMBER(patient, halfway_share, 0.1, 0.9, ""),
        QV_NUMBER(filter, lowpass_hz, 0.5, 100, "Hz"),
        QV_NUMBER(filter, spike_threshold_n, 1, 5000, "N"),
        QV_NUMBER(filter, max_force_n, 10, 20000, "N"),
        QV_NUMBER(filter, drift_threshold_n, 0.1, 500, "N"),
        QV_NUMBER(calibration, rest_window_s, 0.1, 10, "s"),
        QV_NUMBER(calibration, rest_max_sd_n, 0.01, 100, "N"),
        QV_NUMBER(calibration, rest_timeout_s, 1, 300, "s"),
        QV_NUMBER(calibration, push_s, 1, 15, "s"),
        QV_NUMBER(calibration, push_rest_s, 0, 120, "s"),
        QV_INTEGER(calibration, attempts, 1, 10),
        QV_NUMBER(calibration, peak_window_s, 0.05, 5, "s"),
        QV_NUMBER(calibration, min_mvc_n, 1, 1000, "N"),
        QV_NUMBER(calibration, max_mvc_n, 10, 20000, "N"),
        QV_NUMBER(calibration, retest_days, 1, 90, "days"),
        QV_NUMBER(quadset, get_ready_s, 0, 30, "s"),
        QV_NUMBER(quadset, rep_timeout_factor, 1, 10, ""),
        QV_NUMBER(quadset, rep_timeout_grace_s, 0, 60, "s"),
        QV_NUMBER(quadset, band_enter_margin_pct, 0, 20, "% MVC"),
        QV_NUMBER(quadset, star1_success, 0, 1, ""),
        QV_NUMBER(quadset, star2_success, 0, 1, ""),
        QV_NUMBER(quadset, star3_max_cv, 0, 1, ""),
        QV_NUMBER(quadset, steadiness_zero_cv, 0.01, 2, ""),
        QV_NUMBER(squat, get_ready_s, 0, 30, "s"),
        QV_NUMBER(squat, rep_timeout_factor, 1, 10, ""),
        QV_NUMBER(squat, rep_timeout_grace_s, 0, 60, "s"),
        QV_NUMBER(squat, start_deg, 1, 30, "degrees"),
        QV_NUMBER(squat, top_deg, 0, 30, "degrees"),
        QV_NUMBER(squat, bottom_band_deg, 0.5, 20, "degrees"),
        QV_NUMBER(squat, smooth_s, 0, 2, "s"),
        QV_NUMBER(squat, min_depth_share, 0, 1, ""),
        QV_NUMBER(squat, corridor_margin_share, 0, 1, ""),
        QV_NUMBER(squat, cap_margin_deg, 0, 20, "degrees"),
        QV_NUMBER(squat, cap_clearance_deg, 0, 20, "degrees"),
        QV_NUMBER(squat, success_corridor_share, 0, 1, ""),
        QV_NUMBER(squat, star1_success, 0, 1, ""),
        QV_NUMBER(squat, star2_success, 0, 1, ""),
        QV_NUMBER(squat, star3_tempo_share, 0, 1, ""),
        QV_NUMBER(squat, load_target_pct, 10, 90, "% body weight"),
        QV_NUMBER(squat, load_smooth_s, 0.01, 2, "s"),
        QV_NUMBER(squat, load_dip_pct, 0.05, 20, "% body weight"),
        QV_NUMBER(squat, sit_low_pct, 0, 100, "% body weight"),
        QV_NUMBER(squat, sit_high_pct, 0, 100, "% body weight"),
        QV_NUMBER(squat, bw_window_s, 0.2, 10, "s"),
        QV_NUMBER(squat, bw_max_sd_pct, 0.1, 20, "%"),
        QV_NUMBER(squat, bw_timeout_s, 1, 300, "s"),
        QV_NUMBER(squat, bw_min_n, 10, 5000, "N"),
        QV_NUMBER(squat, bw_max_n, 10, 5000, "N"),
        QV_INTEGER(pain, stop_set_at, 1, 10),
        QV_INTEGER(pain, stop_session_at, 1, 10),
        QV_NUMBER(progress, mvc_noise_pct, 0, 50, "%"),
        QV_NUMBER(progress, mvc_change_pct, 0, 100, "%"),
        QV_NUMBER(accessibility, scan_interval_s, 0.5, 10, "s"),
        QV_NUMBER(child, min_level_s, 10, 600, "s"),
        QV_NUMBER(child, max_level_s, 10, 600, "s"),
        QV_NUMBER(child, max_rest_s, 0, 120, "s"),
        QV_NUMBER(child, min_set_rest_s, 0, 600, "s"),
        QV_NUMBER(child, max_set_rest_s, 0, 600, "s"),
        QV_NUMBER(child, text_scale, 1, 2, ""),
        QV_NUMBER(child, band_view_factor, 1.05, 3, ""),
        QV_INTEGER(child, sessions_per_week, 1, 14),
        QV_NUMBER(child, praise_steady_pct, 0, 100, "%"),
        QV_NUMBER(child, praise_very_steady_pct, 0, 100, "%"),
        QV_NUMBER(kiosk, idle_timeout_s, 20, 900, "s"),
        QV_NUMBER(kiosk, warning_s, 3, 60, "s"),
        QV_NUMBER(kiosk, goodbye_s, 1, 30, "s"),
        QV_NUMBER(kiosk, attract_fps, 1, 60, "frames a second"),
        QV_NUMBER(kiosk, activity_force_n, 0.5, 200, "N"),
        QV_NUMBER(kiosk, activity_angle_deg, 0.5, 45, "degrees"),
        QV_NUMBER(adaptation, success_target, 0.5, 0.99, ""),
        QV_NUMBER(adaptation, child_success_target, 0.5, 0.99, ""),
        QV_NUMBER(adaptation, success_margin, 0, 0.5, ""),
        QV_NUMBER(adaptation, staircase_step_pct, 0.1, 20, "% MVC"),
        QV_NUMBER(adaptation, staircase_min_step_pct, 0.01, 20, "% MVC"),
        QV_INTEGER(adaptation, staircase_reversals, 1, 20),
        QV_NUMBER(adaptation, band_floor_factor, 0.05, 1, ""),
        QV_NUMBER(adaptation, band_ceiling_factor, 1, 5, ""),
        QV_NUMBER(adaptation, during_amber_at, 1, 10, "/10"),
        QV_NUMBER(adaptation, morning_amber_excess, 0.5, 5, "points"),
        QV_NUMBER(adaptation, morning_red_excess, 0.5, 10, "points"),
        QV_NUMBER(adaptation, trend_rising_above, 0, 5, "points/week"),
        QV_NUMBER(adaptation, trend_red_at, 0.1, 10, "points/week"),
        QV_INTEGER(adaptation, sessions_needed, 1, 10),
        QV_INTEGER(adaptation, red_lock_count, 1, 10),
        QV_INTEGER(adaptation, red_window_days, 1, 60),
        QV_NUMBER(adaptation, volume_step, 0.01, 0.5, ""),
        QV_NUMBER(adaptation, hold_step, 0.01, 0.5, ""),
        QV_NUMBER(adaptation, intensity_step, 0.01, 0.5, ""),
        QV_NUMBER(adaptation, squat_depth_step_deg, 1, 15, "degrees"),
        QV_NUMBER(adaptation, squat_min_depth_deg, 5, 45, "degrees"),
        QV_NUMBER(adaptation, squat_corridor_step, 0.05, 10, "degrees or % body weight"),
        QV_NUMBER(adaptation, squat_corridor_min_step, 0.01, 10, "degrees or % body weight"),
        QV_NUMBER(adaptation, squat_corridor_floor_factor, 0.05, 1, ""),
        QV_NUMBER(adaptation, squat_corridor_ceiling_factor, 1, 5, ""),
        QV_NUMBER(adaptation, squat_tempo_step_s, 0.01, 1, "s"),
        QV_NUMBER(adaptation, squat_tempo_min_step_s, 0.001, 1, "s"),
        QV_NUMBER(adaptation, squat_tempo_floor_s, 0.1, 2, "s"),
        QV_NUMBER(adaptation, squat_tempo_ceiling_s, 0.2, 5, "s"),
        QV_LEVEL(default_level),
        QV_LEVEL(max_level_without_plan),
        QV_SQUAT_LEVEL(squat_default_level),
        QV_SQUAT_LEVEL(squat_max_level_without_plan),
    };
    return fields;
}

#undef QV_NUMBER
#undef QV_INTEGER
#undef QV_LEVEL
#undef QV_SQUAT_LEVEL

std::string field_name(const Field& field) {
    return fmt::format("[{}] {}", field.table, field.key);
}

void copy_field(const Field& field, Tuning& to, Tuning& from) {
    switch (field.kind) {
    case Kind::number:
        field.number(to) = field.number(from);
        break;
    case Kind::integer:
        field.integer(to) = field.integer(from);
        break;
    case Kind::level:
    case Kind::squat_level:
        field.level(to) = field.level(from);
        break;
    }
}

// Position of a level in the ladder, or -1.
template <typename Level>
int ladder_index(const std::vector<Level>& levels, const std::string& id) {
    for (std::size_t i = 0; i < levels.size(); ++i)
        if (levels[i].id == id)
            return static_cast<int>(i);
    return -1;
}

// A rule between two fields of the same table; when it fails, both keep their old values.
struct PairRule {
    std::string_view table;
    std::string_view a;
    std::string_view b;
    bool (*holds)(const Tuning&, const Content&);
    std::string_view message;
};

const std::vector<PairRule>& pair_rules() {
    using Levels = Content;
    static const std::vector<PairRule> rules = {
        {"patient", "noise_cv_low", "noise_cv_high",
         [](const Tuning& t, const Levels&) {
             return t.patient.noise_cv_low <= t.patient.noise_cv_high;
         },
         "noise_cv_low must not exceed noise_cv_high"},
        {"calibration", "rest_window_s", "rest_timeout_s",
         [](const Tuning& t, const Levels&) {
             return t.calibration.rest_window_s < t.calibration.rest_timeout_s;
         },
         "rest_window_s must be shorter than rest_timeout_s"},
        {"calibration", "peak_window_s", "push_s",
         [](const Tuning& t, const Levels&) {
             return t.calibration.peak_window_s <= t.calibration.push_s;
         },
         "peak_window_s must not be longer than push_s"},
        {"calibration", "min_mvc_n", "max_mvc_n",
         [](const Tuning& t, const Levels&) {
             return t.calibration.min_mvc_n < t.calibration.max_mvc_n;
         },
         "min_mvc_n must be below max_mvc_n"},
        {"quadset", "star1_success", "star2_success",
         [](const Tuning& t, const Levels&) {
             return t.quadset.star1_success <= t.quadset.star2_success;
         },
         "star1_success must not exceed star2_success"},
        {"pain", "stop_set_at", "stop_session_at",
         [](const Tuning& t, const Levels&) { return t.pain.stop_set_at < t.pain.stop_session_at; },
         "stop_session_at must be above stop_set_at"},
        {"adaptation", "staircase_min_step_pct", "staircase_step_pct",
         [](const Tuning& t, const Levels&) {
             return t.adaptation.staircase_min_step_pct <= t.adaptation.staircase_step_pct;
         },
         "staircase_min_step_pct must not exceed staircase_step_pct"},
        {"adaptation", "squat_corridor_min_step", "squat_corridor_step",
         [](const Tuning& t, const Levels&) {
             return t.adaptation.squat_corridor_min_step <= t.adaptation.squat_corridor_step;
         },
         "squat_corridor_min_step must not exceed squat_corridor_step"},
        {"adaptation", "squat_tempo_min_step_s", "squat_tempo_step_s",
         [](const Tuning& t, const Levels&) {
             return t.adaptation.squat_tempo_min_step_s <= t.adaptation.squat_tempo_step_s;
         },
         "squat_tempo_min_step_s must not exceed squat_tempo_step_s"},
        {"adaptation", "squat_tempo_floor_s", "squat_tempo_ceiling_s",
         [](const Tuning& t, const Levels&) {
             return t.adaptation.squat_tempo_floor_s < t.adaptation.squat_tempo_ceiling_s;
         },
         "squat_tempo_floor_s must be below squat_tempo_ceiling_s"},
        {"adaptation", "morning_amber_excess", "morning_red_excess",
         [](const Tuning& t, const Levels&) {
             return t.adaptation.morning_amber_excess < t.adaptation.morning_red_excess;
         },
         "morning_red_excess must be above morning_amber_excess"},
        {"adaptation", "trend_rising_above", "trend_red_at",
         [](const Tuning& t, const Levels&) {
             return t.adaptation.trend_rising_above < t.adaptation.trend_red_at;
         },
         "trend_red_at must be above trend_rising_above"},
        {"squat", "top_deg", "start_deg",
         [](const Tuning& t, const Levels&) { return t.squat.top_deg < t.squat.start_deg; },
         "top_deg must be below start_deg"},
        {"squat", "star1_success", "star2_success",
         [](const Tuning& t, const Levels&) {
             return t.squat.star1_success <= t.squat.star2_success;
         },
         "star1_success must not exceed star2_success"},
        {"squat", "sit_low_pct", "sit_high_pct",
         [](const Tuning& t, const Levels&) { return t.squat.sit_low_pct < t.squat.sit_high_pct; },
         "sit_low_pct must be below sit_high_pct"},
        {"squat", "bw_min_n", "bw_max_n",
         [](const Tuning& t, const Levels&) { return t.squat.bw_min_n < t.squat.bw_max_n; },
         "bw_min_n must be below bw_max_n"},
        {"child", "min_level_s", "max_level_s",
         [](const Tuning& t, const Levels&) { return t.child.min_level_s < t.child.max_level_s; },
         "min_level_s must be below max_level_s"},
        {"child", "praise_steady_pct", "praise_very_steady_pct",
         [](const Tuning& t, const Levels&) {
             return t.child.praise_steady_pct <= t.child.praise_very_steady_pct;
         },
         "praise_steady_pct must not exceed praise_very_steady_pct"},
        {"child", "min_set_rest_s", "max_set_rest_s",
         [](const Tuning& t, const Levels&) {
             return t.child.min_set_rest_s <= t.child.max_set_rest_s;
         },
         "min_set_rest_s must not exceed max_set_rest_s"},
        {"progression", "default_level", "max_level_without_plan",
         [](const Tuning& t, const Levels& c) {
             return ladder_index(c.quadset_levels, t.default_level) <=
                    ladder_index(c.quadset_levels, t.max_level_without_plan);
         },
         "default_level must not be above max_level_without_plan in the ladder"},
        {"progression", "squat_default_level", "squat_max_level_without_plan",
         [](const Tuning& t, const Levels& c) {
             return ladder_index(c.squat_levels, t.squat_default_level) <=
                    ladder_index(c.squat_levels, t.squat_max_level_without_plan);
         },
         "squat_default_level must not be above squat_max_level_without_plan in the ladder"},
    };
    return rules;
}

const Field* find_field(std::string_view table, std::string_view key) {
    for (const Field& field : tuning_fields())
        if (field.table == table && field.key == key)
            return &field;
    return nullptr;
}

// Checks one value; on success stores it into `tuning` and returns true.
bool set_field(const Field& field, const toml::node& node, const Content& content, Tuning& tuning,
               Reporter& reporter) {
    const int line = line_of(node);
    const std::string name = field_name(field);
    switch (field.kind) {
    case Kind::number: {
        const auto value = as_number(node);
        if (!value) {
            reporter.add(line,
                         fmt::format("{} must be a number, not {}", name, type_word(node.type())));
            return false;
        }
        if (!in_range(*value, field.lo, field.hi)) {
            reporter.add(line, fmt::format("{} must be between {} and {}{}{}, got {}", name,
                                           num(field.lo), num(field.hi),
                                           field.unit.empty() ? "" : " ", field.unit, num(*value)));
            return false;
        }
        field.number(tuning) = *value;
        return true;
    }
    case Kind::integer: {
        const auto* i = node.as_integer();
        if (i == nullptr) {
            reporter.add(line, fmt::format("{} must be a whole number, not {}", name,
                                           type_word(node.type())));
            return false;
        }
        if (!in_range(static_cast<double>(i->get()), field.lo, field.hi)) {
            reporter.add(line, fmt::format("{} must be between {} and {}, got {}", name,
                                           num(field.lo), num(field.hi), i->get()));
            return false;
        }
        field.integer(tuning) = static_cast<int>(i->get());
        return true;
    }
    case Kind::level: {
        const auto* s = node.as_string();
        if (s == nullptr) {
            reporter.add(line, fmt::format("{} must be a level id string, not {}", name,
                                           type_word(node.type())));
            return false;
        }
        if (content.level(s->get()) == nullptr) {
            std::vector<std::string> ids;
            for (const QuadSetLevel& level : content.quadset_levels)
                ids.push_back(level.id);
            reporter.add(line, fmt::format("{} '{}' is not a level (levels: {})", name, s->get(),
                                           fmt::join(ids, ", ")));
            return false;
        }
        field.level(tuning) = s->get();
        return true;
    }
    case Kind::squat_level: {
        const auto* s = node.as_string();
        if (s == nullptr) {
            reporter.add(line, fmt::format("{} must be a squat level id string, not {}", name,
                                           type_word(node.type())));
            return false;
        }
        if (content.squat_level(s->get()) == nullptr) {
            std::vector<std::string> ids;
            for (const SquatLevel& level : content.squat_levels)
                ids.push_back(level.id);
            reporter.add(line, fmt::format("{} '{}' is not a squat level (squat levels: {})", name,
                                           s->get(), fmt::join(ids, ", ")));
            return false;
        }
        field.level(tuning) = s->get();
        return true;
    }
    }
    return false;
}

void apply_tuning(const toml::table& root, bool builtin, Reporter& reporter, Content& content) {
    Tuning before = content.tuning;
    Tuning candidate = content.tuning;
    std::map<const Field*, int> given; // field -> line where this file set it
    std::set<const Field*> present;    // fields this file mentions, valid or not
    for (auto&& [table_key, table_node] : root) {
        const bool known =
            std::any_of(tuning_fields().begin(), tuning_fields().end(),
                        [&, &k = table_key](const Field& f) { return f.table == k.str(); });
        if (!known) {
            reporter.add(line_of(table_key),
                         fmt::format("unknown table [{}] (a typo? known tables: keyboard, "
                                     "patient, filter, calibration, quadset, squat, pain, "
                                     "adaptation, progression)",
                                     table_key.str()));
            continue;
        }
        const toml::table* table = table_node.as_table();
        if (table == nullptr) {
            reporter.add(line_of(table_node),
                         fmt::format("[{}] must be a table, not {}", table_key.str(),
                                     type_word(table_node.type())));
            continue;
        }
        for (auto&& [key, node] : *table) {
            const Field* field = find_field(table_key.str(), key.str());
            if (field == nullptr) {
                reporter.add(line_of(key), fmt::format("unknown key '{}' in [{}] (a typo?)",
                                                       key.str(), table_key.str()));
                continue;
            }
            present.insert(field);
            if (set_field(*field, node, content, candidate, reporter))
                given[field] = line_of(node);
        }
    }
    for (const PairRule& rule : pair_rules()) {
        const Field* a = find_field(rule.table, rule.a);
        const Field* b = find_field(rule.table, rule.b);
        if (rule.holds(candidate, content))
            continue;
        const auto in_file = given.count(b) != 0 ? given.find(b) : given.find(a);
        const int line = in_file != given.end() ? in_file->second : 0;
        reporter.add(line, fmt::format("[{}] {}; keeping {} and {} as they were", rule.table,
                                       rule.message, rule.a, rule.b));
        copy_field(*a, candidate, before);
        copy_field(*b, candidate, before);
        given.erase(a);
        given.erase(b);
    }
    if (builtin) {
        // The built-in copy is the only source of the defaults: every field must be there.
        for (const Field& field : tuning_fields())
            if (present.count(&field) == 0)
                reporter.add(0, fmt::format("missing {}", field_name(field)));
    }
    content.tuning = candidate;
}

// "de" for "texts/de.toml"; empty for anything else (English included).
std::string text_language(const std::string& rel) {
    constexpr std::string_view dir = "texts/", ext = ".toml";
    if (rel.size() <= dir.size() + ext.size() || !rel.starts_with(dir) || !rel.ends_with(ext))
        return {};
    const std::string code = rel.substr(dir.size(), rel.size() - dir.size() - ext.size());
    const bool ok = code.size() <= 8 && std::all_of(code.begin(), code.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || c == '-';
                    });
    return ok && code != "en" ? code : std::string();
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

} // namespace

void apply_file(const std::string& rel, std::string_view text, bool builtin, Content& content,
                std::vector<ContentError>& errors) {
    const std::size_t first_new = errors.size();
    Reporter reporter(rel, errors);
    try {
        if (blank(text)) {
            reporter.add(0, "file is empty; nothing loaded from it");
        } else {
            toml::table root = toml::parse(text, std::string_view(rel));
            if (rel == "levels/quadset.toml")
                apply_levels(root, reporter, content);
            else if (rel == "levels/squat.toml")
                apply_squat_levels(root, reporter, content);
            else if (rel == "avatars.toml")
                apply_avatars(root, reporter, content);
            else if (rel == "sounds.toml")
                apply_sounds(root, reporter, content);
            else if (rel == "games.toml")
                apply_games(root, reporter, content);
            else if (rel == "texts/en.toml")
                apply_texts(root, "", reporter, content.texts);
            else if (const std::string code = text_language(rel); !code.empty())
                apply_texts(root, "", reporter, content.translations[code]);
            else if (rel == "tuning.toml")
                apply_tuning(root, builtin, reporter, content);
            else
                reporter.add(0, "not a content file this program knows");
        }
    } catch (const toml::parse_error& e) {
        reporter.add(
            line_of(e.source()),
            fmt::format("TOML syntax error: {}; nothing loaded from this file", e.description()));
    } catch (const std::exception& e) {
        reporter.add(0, fmt::format("could not load: {}", e.what()));
    } catch (...) {
        reporter.add(0, "could not load: unknown failure");
    }
    std::stable_sort(errors.begin() + static_cast<std::ptrdiff_t>(first_new), errors.end(),
                     [](const ContentError& x, const ContentError& y) { return x.line < y.line; });
}

} // namespace qv::content::detail
