#include "report/fhir.hpp"

#include <cstdint>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>

namespace qv::report {

namespace {

using nlohmann::json;

constexpr std::string_view kLoincSystem = "http://loinc.org";
constexpr std::string_view kUcumSystem = "http://unitsofmeasure.org";
constexpr std::string_view kCategorySystem =
    "http://terminology.hl7.org/CodeSystem/observation-category";

std::uint64_t fnv1a(std::string_view text, std::uint64_t basis) {
    std::uint64_t h = basis;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

json coding(std::string_view system, std::string_view code, std::string_view display) {
    return json{{"system", system}, {"code", code}, {"display", display}};
}

json category(std::string_view code, std::string_view display) {
    return json::array({json{{"coding", json::array({coding(kCategorySystem, code, display)})}}});
}

json quantity(double value, std::string_view unit_code, std::string_view unit_text) {
    return json{
        {"value", value}, {"unit", unit_text}, {"system", kUcumSystem}, {"code", unit_code}};
}

json local_code(std::string_view code, std::string_view display) {
    return json{{"coding", json::array({coding(kMeasuresSystem, code, display)})},
                {"text", display}};
}

json component(std::string_view code, std::string_view display, json value_quantity) {
    return json{{"code", local_code(code, display)}, {"valueQuantity", std::move(value_quantity)}};
}

json bool_component(std::string_view code, std::string_view display, bool value) {
    return json{{"code", local_code(code, display)}, {"valueBoolean", value}};
}

// The pieces every Observation of this export shares.
class Builder {
  public:
    Builder(const ReportData& data, const ExportOptions& options) : data_(data), options_(options) {
        prefix_ = "quadventure|" + data.profile.created_at + "|" + std::to_string(data.profile.id);
        patient_url_ = "urn:uuid:" + stable_uuid(prefix_ + "|patient");
    }

    json patient() const {
        json identifiers = json::array({json{{"system", kProfileIdentifierSystem},
                                             {"value", std::to_string(data_.profile.id)}}});
        if (!options_.patient_identifier.empty()) {
            json id{{"value", options_.patient_identifier}};
            if (!options_.patient_identifier_system.empty()) {
                id["system"] = options_.patient_identifier_system;
            }
            identifiers.push_back(std::move(id));
        }
        json p{{"resourceType", "Patient"},
               {"id", patient_url_.substr(9)},
               {"identifier", std::move(identifiers)}};
        json names = json::array();
        if (!options_.patient_name.empty()) {
            names.push_back(json{{"use", "official"}, {"text", options_.patient_name}});
        }
        if (options_.include_profile_name) {
            names.push_back(json{{"use", "nickname"}, {"text", data_.profile.name}});
        }
        if (!names.empty()) {
            p["name"] = std::move(names);
        }
        return entry(patient_url_, std::move(p));
    }

    // An Observation about the patient; `key` makes its id ("pain|12").
    json observation(const std::string& key, json category_value, json code,
                     const std::string& effective, std::string_view identifier_system,
                     const std::string& row_id, std::int64_t session_id) const {
        const std::string url = "urn:uuid:" + stable_uuid(prefix_ + "|" + key);
        json o{{"resourceType", "Observation"}, {"id", url.substr(9)}};
        if (session_id != 0) {
            o["extension"] = json::array(
                {json{{"url", kSessionExtension}, {"valueString", std::to_string(session_id)}}});
        }
        o["identifier"] = json::array({json{{"system", identifier_system}, {"value", row_id}}});
        o["status"] = "final";
        o["category"] = std::move(category_value);
        o["code"] = std::move(code);
        o["subject"] = json{{"reference", patient_url_}};
        o["effectiveDateTime"] = effective;
        return o;
    }

    static json entry(const std::string& url, json resource) {
        return json{{"fullUrl", url}, {"resource", std::move(resource)}};
    }

    static json entry(json resource) {
        std::string url = "urn:uuid:" + resource["id"].get<std::string>();
        return entry(url, std::move(resource));
    }

  private:
    const ReportData& data_;
    const ExportOptions& options_;
    std::string prefix_;
    std::string patient_url_;
};

std::string moment_code(profiles::PainMoment m) {
    switch (m) {
    case profiles::PainMoment::Before:
        return "before";
    case profiles::PainMoment::During:
        return "during";
    case profiles::PainMoment::After:
        return "after";
    case profiles::PainMoment::NextMorning:
        return "next-morning";
    }
    return "during";
}

json pain_observation(const Builder& b, const PainRow& row) {
    const profiles::PainEntry& p = row.entry;
    const bool faces = p.scale == "qv_faces";
    json code =
        faces ? local_code("pain-faces-qv",
                           "Pain severity on Quadventure's own faces scale (0-10 in steps of 2)")
              : json{{"coding",
                      json::array({coding(kLoincSystem, kLoincPainNrs,
                                          "Pain severity - 0-10 verbal numeric rating [Score] - "
                                          "Reported")})},
                     {"text", "Pain severity 0-10 (numeric rating)"}};
    json o = b.observation("pain|" + std::to_string(p.id), category("survey", "Survey"),
                           std::move(code), p.recorded_at, "urn:quadventure:pain-entry",
                           std::to_string(p.id), p.session_id);
    if (!o.contains("extension")) {
        o["extension"] = json::array();
    }
    o["extension"].push_back(
        json{{"url", kPainMomentExtension}, {"valueCode", moment_code(p.moment)}});
    o["valueQuantity"] = quantity(p.score, "{score}", "score");
    return Builder::entry(std::move(o));
}

json mvc_observation(const Builder& b, const CalibrationRow& c) {
    json o = b.observation("calibration|" + std::to_string(c.id), category("exam", "Exam"),
                           local_code("mvc", "Maximal voluntary isometric contraction force of "
                                             "the knee extensors"),
                           c.created_at, "urn:quadventure:calibration", std::to_string(c.id), 0);
    o["bodySite"] = json{{"text", c.leg == "other" ? "other leg" : "affected leg"}};
    o["method"] = json{{"text", "source: " + c.source_driver}};
    o["valueQuantity"] = quantity(c.mvc_n, "N", "N");
    return Builder::entry(std::move(o));
}

json quad_rep_observation(const Builder& b, const QuadRepRow& row) {
    const QuadSetRepScore& r = row.score;
    json o = b.observation("rep|" + std::to_string(row.set_id) + "|" + std::to_string(r.rep_index),
                           category("therapy", "Therapy"),
                           local_code("rep-peak-force", "Peak force of one quad-set hold"),
                           row.set_started_at, "urn:quadventure:rep",
                           std::to_string(row.set_id) + "/" + std::to_string(r.rep_index),
                           row.session_id);
    o["valueQuantity"] = quantity(r.peak_n, "N", "N");
    o["component"] = json::array({
        component("rep-peak-percent-mvc", "Peak force as % of MVC", quantity(r.peak_pct, "%", "%")),
        component("rep-mean-percent-mvc", "Mean force in the band as % of MVC",
                  quantity(r.mean_pct, "%", "%")),
        component("rep-band-low", "Target band lower edge, % of MVC",
                  quantity(r.target_low_pct, "%", "%")),
        component("rep-band-high", "Target band upper edge, % of MVC",
                  quantity(r.target_high_pct, "%", "%")),
        component("rep-hold-prescribed", "Prescribed hold", quantity(r.hold_s, "s", "s")),
        component("rep-time-in-band", "Time in the target band",
                  quantity(r.time_in_band_s, "s", "s")),
        bool_component("rep-success", "Hold completed", r.success),
    });
    return Builder::entry(std::move(o));
}

json squat_rep_observation(const Builder& b, const SquatRepRow& row) {
    const bool degrees = row.unit == "deg";
    json o = b.observation(
        "squat|" + std::to_string(row.set_id) + "|" + std::to_string(row.rep_index),
        category("therapy", "Therapy"),
        local_code(degrees ? "squat-depth" : "squat-load-share",
                   degrees ? "Knee flexion reached in one squat"
                           : "Share of body weight on the affected leg in one squat"),
        row.set_started_at, "urn:quadventure:squat-rep",
        std::to_string(row.set_id) + "/" + std::to_string(row.rep_index), row.session_id);
    o["valueQuantity"] = degrees ? quantity(row.depth_reached, "deg", "deg")
                                 : quantity(row.depth_reached, "%", "% body weight");
    o["component"] = json::array({
        component("squat-down-time", "Time going down", quantity(row.down_s, "s", "s")),
        component("squat-pause-time", "Time paused at depth", quantity(row.pause_s, "s", "s")),
        component("squat-up-time", "Time coming up", quantity(row.up_s, "s", "s")),
        component("squat-time-in-corridor", "Time in the corridor",
                  quantity(row.time_in_corridor_s, "s", "s")),
        bool_component("squat-tempo-ok", "Tempo within tolerance", row.tempo_ok),
        bool_component("squat-success", "Squat completed", row.success),
    });
    return Builder::entry(std::move(o));
}

json dose_observation(const Builder& b, const SessionRow& row) {
    const profiles::SessionRecord& s = row.session;
    json o = b.observation("dose|" + std::to_string(s.id), category("therapy", "Therapy"),
                           local_code("session-dose", "Exercise dose of one session"), s.started_at,
                           "urn:quadventure:session", std::to_string(s.id), s.id);
    json components = json::array();
    if (row.prescribed) {
        const QuadSetDose& d = *row.prescribed;
        components.push_back(component("dose-sets-prescribed", "Sets prescribed",
                                       quantity(d.sets, "{set}", "sets")));
        components.push_back(component("dose-quad-reps-prescribed",
                                       "Quad-set reps prescribed (all sets)",
                                       quantity(d.sets * d.reps, "{rep}", "reps")));
        components.push_back(
            component("dose-hold-prescribed", "Hold prescribed", quantity(d.hold_s, "s", "s")));
        components.push_back(component("dose-band-low", "Target band lower edge, % of MVC",
                                       quantity(d.band_low_pct, "%", "%")));
        components.push_back(component("dose-band-high", "Target band upper edge, % of MVC",
                                       quantity(d.band_high_pct, "%", "%")));
    }
    if (row.prescribed_reps_total) {
        components.push_back(component("dose-reps-prescribed", "Reps prescribed, all exercises",
                                       quantity(*row.prescribed_reps_total, "{rep}", "reps")));
    }
    components.push_back(
        component("dose-sets-done", "Sets done", quantity(row.sets_done, "{set}", "sets")));
    components.push_back(
        component("dose-reps-done", "Reps completed", quantity(row.reps_done, "{rep}", "reps")));
    components.push_back(component("dose-reps-attempted", "Reps attempted",
                                   quantity(row.reps_attempted, "{rep}", "reps")));
    if (row.mean_time_in_band_s) {
        components.push_back(component("dose-time-in-band", "Total time in the target band",
                                       quantity(row.total_time_in_band_s, "s", "s")));
    }
    o["component"] = std::move(components);
    o["note"] = json::array(
        {json{{"text", "Session status: " + profiles::to_string(s.status) + "; level " +
                           s.level_id + "; source " + s.source.driver +
                           (s.source.is_measurement ? " (measured)" : " (not a measurement)")}}});
    return Builder::entry(std::move(o));
}

json red_flag_observation(const Builder& b, const RedFlagRow& row, const std::string& flag) {
    json o = b.observation(
        "redflag|" + std::to_string(row.check.id) + "|" + flag, category("survey", "Survey"),
        local_code("red-flag", "Red flag answered yes"), row.check.checked_at,
        "urn:quadventure:red-flag-check", std::to_string(row.check.id), row.check.session_id);
    o["valueCodeableConcept"] =
        json{{"coding", json::array({json{{"system", kRedFlagSystem}, {"code", flag}}})},
             {"text", flag}};
    return Builder::entry(std::move(o));
}

} // namespace

std::string stable_uuid(std::string_view name) {
    const std::uint64_t hi = mix(fnv1a(name, 0xcbf29ce484222325ULL));
    std::uint64_t lo = mix(fnv1a(name, 0x84222325cbf29ce4ULL) ^ hi);
    std::uint64_t h = hi;
    h = (h & ~0xf000ULL) | 0x8000ULL;                          // version 8
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL; // RFC 9562 variant
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(h >> 32), static_cast<unsigned>((h >> 16) & 0xffff),
                  static_cast<unsigned>(h & 0xffff), static_cast<unsigned>(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xffffffffffffULL));
    return buffer;
}

Result<std::string> fhir_bundle_json(const ReportData& data, const ExportOptions& options) {
    try {
        const Builder b(data, options);
        json entries = json::array({b.patient()});
        for (const PainRow& p : data.pain) {
            entries.push_back(pain_observation(b, p));
        }
        for (const CalibrationRow& c : data.calibrations) {
            if (c.kind == "mvc") {
                entries.push_back(mvc_observation(b, c));
            }
        }
        for (const SessionRow& s : data.sessions) {
            entries.push_back(dose_observation(b, s));
        }
        for (const QuadRepRow& r : data.quad_reps) {
            entries.push_back(quad_rep_observation(b, r));
        }
        for (const SquatRepRow& r : data.squat_reps) {
            entries.push_back(squat_rep_observation(b, r));
        }
        for (const RedFlagRow& r : data.red_flags) {
            for (const std::string& flag : r.check.flags) {
                entries.push_back(red_flag_observation(b, r, flag));
            }
        }
        const std::string range = data.from + ".." + data.to;
        json bundle{
            {"resourceType", "Bundle"},
            {"id", stable_uuid("quadventure|" + data.profile.created_at + "|" +
                               std::to_string(data.profile.id) + "|bundle|" + range)},
            {"type", "collection"},
            {"timestamp", data.generated_at},
            {"entry", std::move(entries)},
        };
        return bundle.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    } catch (const std::exception& e) {
        return fail(std::string("building the FHIR bundle: ") + e.what());
    }
}

} // namespace qv::report
