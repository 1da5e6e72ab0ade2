#include "report/fhir.hpp"
#include "tests/report/test_support.hpp"

#include <nlohmann/json.hpp>
#include <set>

using namespace qv;
using namespace qv::report;
using namespace qv::report::test;
using nlohmann::json;

namespace {

json export_bundle(FilledDb& db, std::int64_t profile_id, bool with_name = false) {
    ExportOptions o;
    o.format = ExportFormat::Fhir;
    o.profile_id = profile_id;
    o.out = db.dir.path() / ("bundle-" + std::to_string(profile_id) + ".json");
    o.include_profile_name = with_name;
    const auto s = export_profile(*db.store, o);
    INFO((s ? std::string() : s.error().message));
    REQUIRE(s.ok());
    return json::parse(read_file(o.out));
}

bool has_coding(const json& concept_json, std::string_view system, std::string_view code) {
    for (const auto& c : concept_json.value("coding", json::array())) {
        if (c.value("system", "") == system && c.value("code", "") == code) {
            return true;
        }
    }
    return false;
}

std::vector<json> observations(const json& bundle) {
    std::vector<json> out;
    for (const auto& e : bundle["entry"]) {
        if (e["resource"]["resourceType"] == "Observation") {
            out.push_back(e["resource"]);
        }
    }
    return out;
}

// Every Quantity in an Observation (value and components).
std::vector<json> quantities(const json& obs) {
    std::vector<json> out;
    if (obs.contains("valueQuantity")) {
        out.push_back(obs["valueQuantity"]);
    }
    for (const auto& c : obs.value("component", json::array())) {
        if (c.contains("valueQuantity")) {
            out.push_back(c["valueQuantity"]);
        }
    }
    return out;
}

} // namespace

SCENARIO("the FHIR export is a collection Bundle of a Patient and coded Observations") {
    GIVEN("four weeks of an adult's sessions") {
        FilledDb db(4);
        const json bundle = export_bundle(db, db.filled.profile_id);
        const auto obs = observations(bundle);

        THEN("it is a collection whose first entry is the Patient, without a name by default") {
            CHECK(bundle["resourceType"] == "Bundle");
            CHECK(bundle["type"] == "collection");
            const json& patient = bundle["entry"][0]["resource"];
            CHECK(patient["resourceType"] == "Patient");
            CHECK_FALSE(patient.contains("name"));
            REQUIRE(patient["identifier"].size() == 1);
            CHECK(patient["identifier"][0]["system"] == kProfileIdentifierSystem);
            CHECK(patient["identifier"][0]["value"] == "1");
            CHECK(read_file(db.dir.path() / "bundle-1.json").find("Sam") == std::string::npos);
        }
        THEN("numeric pain is LOINC 72514-3 with a {score} quantity, one per rating") {
            int pain = 0;
            for (const auto& o : obs) {
                if (has_coding(o["code"], "http://loinc.org", kLoincPainNrs)) {
                    ++pain;
                    CHECK(o["valueQuantity"]["code"] == "{score}");
                    CHECK(o["valueQuantity"]["value"].get<double>() >= 0);
                    CHECK(o["valueQuantity"]["value"].get<double>() <= 10);
                    CHECK(o["category"][0]["coding"][0]["code"] == "survey");
                }
            }
            CHECK(pain == db.filled.sessions * 5);
        }
        THEN("MVC, rep force, squat depth and dose use the local code system") {
            std::map<std::string, int> local;
            for (const auto& o : obs) {
                for (const auto& c : o["code"]["coding"]) {
                    if (c["system"] == kMeasuresSystem) {
                        ++local[c["code"].get<std::string>()];
                    }
                }
            }
            CHECK(local["mvc"] == 6);
            CHECK(local["rep-peak-force"] == db.filled.quad_reps);
            CHECK(local["squat-depth"] == db.filled.squat_reps);
            CHECK(local["session-dose"] == db.filled.sessions);
            CHECK(local["red-flag"] == 3);
        }
        THEN("every quantity is UCUM with one of the documented units") {
            const std::set<std::string> units{"N", "s", "%", "deg", "{score}", "{rep}", "{set}"};
            for (const auto& o : obs) {
                for (const auto& q : quantities(o)) {
                    CHECK(q["system"] == "http://unitsofmeasure.org");
                    CHECK(units.count(q["code"].get<std::string>()) == 1);
                }
            }
        }
        THEN("every Observation is final, dated, and its subject resolves inside the bundle") {
            std::set<std::string> urls;
            std::set<std::string> ids;
            for (const auto& e : bundle["entry"]) {
                CHECK(urls.insert(e["fullUrl"].get<std::string>()).second);
                CHECK(ids.insert(e["resource"]["id"].get<std::string>()).second);
                CHECK(e["fullUrl"] == "urn:uuid:" + e["resource"]["id"].get<std::string>());
            }
            const std::string patient_url = bundle["entry"][0]["fullUrl"];
            for (const auto& o : obs) {
                CHECK(o["status"] == "final");
                CHECK(o.contains("effectiveDateTime"));
                CHECK(o.contains("category"));
                const std::string ref = o["subject"]["reference"];
                CHECK(urls.count(ref) == 1);
                CHECK(ref == patient_url);
            }
        }
        THEN("ids are stable from one export to the next") {
            const json again = export_bundle(db, db.filled.profile_id);
            REQUIRE(again["entry"].size() == bundle["entry"].size());
            for (std::size_t i = 0; i < bundle["entry"].size(); ++i) {
                CHECK(again["entry"][i]["fullUrl"] == bundle["entry"][i]["fullUrl"]);
            }
        }
    }
    GIVEN("a child who rated pain on the game's own faces scale") {
        FilledDb db(1);
        const json bundle = export_bundle(db, db.filled.child_id, true);
        const std::string text = read_file(db.dir.path() / "bundle-2.json");
        THEN("faces scores use the local code, never FPS-R's LOINC code") {
            int faces = 0;
            for (const auto& o : observations(bundle)) {
                if (has_coding(o["code"], kMeasuresSystem, "pain-faces-qv")) {
                    ++faces;
                    CHECK(o["valueQuantity"]["value"] == 4);
                    CHECK_FALSE(has_coding(o["code"], "http://loinc.org", kLoincPainNrs));
                }
            }
            CHECK(faces == 2);
            CHECK(text.find("57696-7") == std::string::npos);
            CHECK(text.find("FPS") == std::string::npos);
        }
        THEN("the profile name appears only because the option asked for it, as a nickname") {
            const json& patient = bundle["entry"][0]["resource"];
            REQUIRE(patient.contains("name"));
            CHECK(patient["name"][0]["use"] == "nickname");
            CHECK(patient["name"][0]["text"] == "Mia");
        }
    }
}

TEST_CASE("stable_uuid gives RFC 9562 version 8 UUIDs that differ per name") {
    const std::string a = stable_uuid("quadventure|x|1|patient");
    const std::string b = stable_uuid("quadventure|x|1|pain|1");
    CHECK(a.size() == 36);
    CHECK(a[14] == '8');
    CHECK(std::string("89ab").find(a[19]) != std::string::npos);
    CHECK(a != b);
    CHECK(a == stable_uuid("quadventure|x|1|patient"));
}
