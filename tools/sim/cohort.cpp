#include "tools/sim/cohort.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace qv::sim {

namespace {

// Reads typed keys from one table and remembers the first problem, with file and line.
class Reader {
  public:
    Reader(const toml::table& table, std::string file, std::string where, std::string& error)
        : t_(table), file_(std::move(file)), where_(std::move(where)), error_(error) {}

    void number(std::string_view key, double& out, double lo, double hi) {
        const toml::node* n = get(key);
        if (!n)
            return;
        const auto v = n->value<double>();
        if (!v)
            return fail(*n, key, "must be a number");
        if (*v < lo || *v > hi)
            return fail(*n, key, range_text(lo, hi));
        out = *v;
    }
    void integer(std::string_view key, int& out, int lo, int hi) {
        const toml::node* n = get(key);
        if (!n)
            return;
        const auto v = n->value<std::int64_t>();
        if (!v || !n->is_integer())
            return fail(*n, key, "must be a whole number");
        if (*v < lo || *v > hi)
            return fail(*n, key, range_text(lo, hi));
        out = static_cast<int>(*v);
    }
    void boolean(std::string_view key, bool& out) {
        const toml::node* n = get(key);
        if (!n)
            return;
        if (!n->is_boolean())
            return fail(*n, key, "must be true or false");
        out = *n->value<bool>();
    }
    void text(std::string_view key, std::string& out) {
        const toml::node* n = get(key);
        if (!n)
            return;
        if (!n->is_string())
            return fail(*n, key, "must be a string");
        out = *n->value<std::string>();
    }
    void range(std::string_view key, Range& out, double lo, double hi) {
        const toml::node* n = get(key);
        if (!n)
            return;
        const toml::array* a = n->as_array();
        if (!a || a->size() != 2)
            return fail(*n, key, "must be [low, high]");
        const auto a0 = (*a)[0].value<double>();
        const auto a1 = (*a)[1].value<double>();
        if (!a0 || !a1)
            return fail(*n, key, "must be [low, high] with numbers");
        if (*a0 > *a1)
            return fail(*n, key, "low must not be above high");
        if (*a0 < lo || *a1 > hi)
            return fail(*n, key, range_text(lo, hi));
        out = Range{*a0, *a1};
    }
    // Every key must be one the reader knows (a misspelt key is an error, not a silent default).
    void no_other_keys(const std::set<std::string, std::less<>>& known) {
        for (const auto& [k, node] : t_) {
            if (!known.contains(k.str()) && error_.empty())
                error_ = at(node) + where_ + std::string(k.str()) + ": unknown key";
        }
    }

  private:
    const toml::node* get(std::string_view key) { return t_.get(key); }
    static std::string range_text(double lo, double hi) {
        std::ostringstream s;
        s << "must be between " << lo << " and " << hi;
        return s.str();
    }
    std::string at(const toml::node& n) const {
        return file_ + ":" + std::to_string(n.source().begin.line) + ": ";
    }
    void fail(const toml::node& n, std::string_view key, const std::string& what) {
        if (error_.empty())
            error_ = at(n) + where_ + std::string(key) + " " + what;
    }

    const toml::table& t_;
    std::string file_;
    std::string where_;
    std::string& error_;
};

void read_dose(const toml::table& t, const std::string& file, const std::string& where,
               QuadSetDose& d, std::string& error) {
    Reader r(t, file, where, error);
    r.integer("sets", d.sets, 1, 10);
    r.integer("reps", d.reps, 1, 50);
    r.number("hold_s", d.hold_s, 1, 120);
    r.number("rest_s", d.rest_s, 0, 600);
    r.number("set_rest_s", d.set_rest_s, 0, 900);
    r.number("band_low_pct", d.band_low_pct, 0, 100);
    r.number("band_high_pct", d.band_high_pct, 0, 100);
    r.no_other_keys(
        {"sets", "reps", "hold_s", "rest_s", "set_rest_s", "band_low_pct", "band_high_pct"});
    if (error.empty() && d.band_high_pct <= d.band_low_pct)
        error = file + ": " + where + "band_high_pct must be above band_low_pct";
}

void read_caps(const toml::table& t, const std::string& file, const std::string& where,
               engine::PlanCaps& c, std::string& error) {
    Reader r(t, file, where, error);
    r.integer("max_sets", c.max_sets, 1, 10);
    r.integer("max_reps", c.max_reps, 1, 50);
    r.number("max_hold_s", c.max_hold_s, 1, 120);
    r.number("max_band_high_pct", c.max_band_high_pct, 1, 100);
    r.integer("min_sets", c.min_sets, 1, 10);
    r.integer("min_reps", c.min_reps, 1, 50);
    r.number("min_hold_s", c.min_hold_s, 1, 120);
    r.number("min_band_low_pct", c.min_band_low_pct, 0, 100);
    r.no_other_keys({"max_sets", "max_reps", "max_hold_s", "max_band_high_pct", "min_sets",
                     "min_reps", "min_hold_s", "min_band_low_pct"});
    if (error.empty() && (c.min_sets > c.max_sets || c.min_reps > c.max_reps ||
                          c.min_hold_s > c.max_hold_s || c.min_band_low_pct >= c.max_band_high_pct))
        error = file + ": " + where + "a minimum is above its maximum";
}

Result<Cohort> from_table(const toml::table& root, const std::string& file) {
    Cohort c;
    std::string error;
    {
        Reader r(root, file, "", error);
        r.no_other_keys({"cohort", "rules", "physiology", "condition"});
    }
    if (const toml::table* t = root["cohort"].as_table()) {
        Reader r(*t, file, "cohort.", error);
        r.text("name", c.name);
        r.integer("patients", c.patients, 1, 1000000);
        r.integer("weeks", c.weeks, 1, 104);
        r.integer("clinician_review_days", c.clinician_review_days, 1, 365);
        r.no_other_keys({"name", "patients", "weeks", "clinician_review_days"});
    }
    if (const toml::table* t = root["rules"].as_table()) {
        Reader r(*t, file, "rules.", error);
        QuadSetRuleParams& q = c.rules;
        r.number("get_ready_s", q.get_ready_s, 0, 60);
        r.number("rep_timeout_factor", q.rep_timeout_factor, 1, 10);
        r.number("rep_timeout_grace_s", q.rep_timeout_grace_s, 0, 60);
        r.number("band_enter_margin_pct", q.band_enter_margin_pct, 0, 20);
        r.integer("stop_set_at", c.pain_rules.stop_set_at, 0, 10);
        r.integer("stop_session_at", c.pain_rules.stop_session_at, 0, 10);
        r.no_other_keys({"get_ready_s", "rep_timeout_factor", "rep_timeout_grace_s",
                         "band_enter_margin_pct", "stop_set_at", "stop_session_at"});
    } else if (error.empty()) {
        error = file + ": [rules] is missing";
    }
    if (const toml::table* t = root["physiology"].as_table()) {
        Reader r(*t, file, "physiology.", error);
        Physiology& p = c.physiology;
        r.number("sample_hz", p.sample_hz, 5, 1000);
        r.number("reaction_s", p.reaction_s, 0, 2);
        r.number("rise_s", p.rise_s, 0.01, 2);
        r.number("tracking_corr_s", p.tracking_corr_s, 0.01, 10);
        r.number("aim_bias", p.aim_bias, 0, 0.5);
        r.number("noise_cv_per_effort", p.noise_cv_per_effort, 0, 1);
        r.number("practice_gain", p.practice_gain, 0, 1);
        r.number("practice_sessions", p.practice_sessions, 0.1, 1000);
        r.number("fatigue_rate", p.fatigue_rate, 0, 1);
        r.number("recovery_rate", p.recovery_rate, 0, 1);
        r.number("min_capacity", p.min_capacity, 0, 1);
        r.number("mvc_test_cv", p.mvc_test_cv, 0, 0.5);
        r.number("retest_days", p.retest_days, 1, 100);
        r.number("inhibition_per_point", p.inhibition_per_point, 0, 0.2);
        r.number("stimulus_ref", p.stimulus_ref, 0.001, 1e6);
        r.number("flare_points", p.flare_points, 0, 10);
        r.number("flare_tau_d", p.flare_tau_d, 0.1, 100);
        r.number("irritation", p.irritation, 0, 1);
        r.number("skip_when_sore", p.skip_when_sore, 0, 1);
        r.number("after_share", p.after_share, 0, 1);
        r.number("report_noise", p.report_noise, 0, 5);
        r.no_other_keys(
            {"sample_hz",    "reaction_s",           "rise_s",         "tracking_corr_s",
             "aim_bias",     "noise_cv_per_effort",  "practice_gain",  "practice_sessions",
             "fatigue_rate", "recovery_rate",        "min_capacity",   "mvc_test_cv",
             "retest_days",  "inhibition_per_point", "stimulus_ref",   "flare_points",
             "flare_tau_d",  "irritation",           "skip_when_sore", "after_share",
             "report_noise"});
    }
    const toml::array* conditions = root["condition"].as_array();
    if (!conditions || conditions->empty()) {
        if (error.empty())
            error = file + ": no [[condition]]";
    } else {
        for (const toml::node& node : *conditions) {
            const toml::table* t = node.as_table();
            if (!t) {
                if (error.empty())
                    error = file + ": [[condition]] must be a table";
                continue;
            }
            Condition k;
            const std::string where = "condition " + std::to_string(c.conditions.size() + 1) + ": ";
            Reader r(*t, file, where, error);
            r.text("id", k.id);
            r.text("name", k.name);
            r.number("share", k.share, 0, 1e6);
            r.boolean("child", k.child);
            r.range("other_leg_mvc_n", k.other_leg_mvc_n, 10, 5000);
            r.range("mvc_start_share", k.mvc_start_share, 0.05, 1.5);
            r.range("mvc_ceiling_share", k.mvc_ceiling_share, 0.05, 2);
            r.range("fitness_gain", k.fitness_gain, 0, 1);
            r.range("fatigue_gain_ratio", k.fatigue_gain_ratio, 0, 10);
            r.range("tau_fitness_d", k.tau_fitness_d, 1, 365);
            r.range("tau_fatigue_d", k.tau_fatigue_d, 0.5, 100);
            r.range("fatigue_scale", k.fatigue_scale, 0, 10);
            r.range("tracking_cv", k.tracking_cv, 0, 1);
            r.range("adherence", k.adherence, 0, 1);
            r.range("missing_reports", k.missing_reports, 0, 1);
            r.range("baseline_pain", k.baseline_pain, 0, 10);
            r.range("pain_onset", k.pain_onset, 0.1, 2);
            r.range("pain_sensitivity", k.pain_sensitivity, 0, 10);
            r.range("carry_over", k.carry_over, 0, 1);
            r.range("tolerance_start", k.tolerance_start, 0.01, 100);
            r.range("tolerance_growth", k.tolerance_growth, 0, 1);
            r.range("tolerance_max", k.tolerance_max, 0.01, 100);
            r.number("flare_per_day", k.flare_per_day, 0, 1);
            r.number("red_flag_per_day", k.red_flag_per_day, 0, 1);
            r.number("gave_way_per_session", k.gave_way_per_session, 0, 1);
            r.number("band_floor_pct", k.band_floor_pct, 0, 50);
            r.number("band_ceiling_pct", k.band_ceiling_pct, 0, 50);
            r.no_other_keys({"id",
                             "name",
                             "share",
                             "child",
                             "other_leg_mvc_n",
                             "mvc_start_share",
                             "mvc_ceiling_share",
                             "fitness_gain",
                             "fatigue_gain_ratio",
                             "tau_fitness_d",
                             "tau_fatigue_d",
                             "fatigue_scale",
                             "tracking_cv",
                             "adherence",
                             "missing_reports",
                             "baseline_pain",
                             "pain_onset",
                             "pain_sensitivity",
                             "carry_over",
                             "tolerance_start",
                             "tolerance_growth",
                             "tolerance_max",
                             "flare_per_day",
                             "red_flag_per_day",
                             "gave_way_per_session",
                             "band_floor_pct",
                             "band_ceiling_pct",
                             "start",
                             "caps"});
            if (const toml::table* s = (*t)["start"].as_table())
                read_dose(*s, file, where + "start.", k.start, error);
            else if (error.empty())
                error = file + ": " + where + "[condition.start] is missing";
            if (const toml::table* s = (*t)["caps"].as_table())
                read_caps(*s, file, where + "caps.", k.caps, error);
            else if (error.empty())
                error = file + ": " + where + "[condition.caps] is missing";
            if (error.empty() && k.id.empty())
                error = file + ": " + where + "id is missing";
            if (error.empty() && k.band_floor_pct > k.band_ceiling_pct)
                error = file + ": " + where + "band_floor_pct is above band_ceiling_pct";
            c.conditions.push_back(std::move(k));
        }
    }
    double total_share = 0;
    for (const auto& k : c.conditions)
        total_share += k.share;
    if (error.empty() && total_share <= 0)
        error = file + ": the condition shares add up to 0";
    if (!error.empty())
        return fail(error);
    return c;
}

} // namespace

Result<Cohort> parse_cohort(const std::string& text, const std::string& name) {
    try {
        const toml::table root = toml::parse(text, name);
        return from_table(root, name);
    } catch (const toml::parse_error& e) {
        return fail(name + ":" + std::to_string(e.source().begin.line) + ": " +
                    std::string(e.description()));
    } catch (const std::exception& e) {
        return fail(name + ": " + e.what());
    }
}

Result<Cohort> load_cohort(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(path + ": cannot open the cohort file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_cohort(text.str(), path);
}

} // namespace qv::sim
