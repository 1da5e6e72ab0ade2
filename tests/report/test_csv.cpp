#include "report/csv.hpp"
#include "report/data.hpp"
#include "tests/report/test_support.hpp"

#include <map>

using namespace qv;
using namespace qv::report;
using namespace qv::report::test;

namespace {

// Column name -> index of a header row.
std::map<std::string, std::size_t> index_of(const std::vector<std::string>& header) {
    std::map<std::string, std::size_t> out;
    for (std::size_t i = 0; i < header.size(); ++i) {
        out[header[i]] = i;
    }
    return out;
}

} // namespace

TEST_CASE("CSV fields are quoted per RFC 4180 only when they need it") {
    const auto [in, out] = GENERATE(table<std::string, std::string>({
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rhere", "\"cr\rhere\""},
        {"ümlaut ok", "ümlaut ok"},
    }));
    CHECK(csv_field(in) == out);
}

TEST_CASE("CSV numbers read back to the same double without locale") {
    for (const double v : {0.0, 0.1, 12.5, 201.75, 1.0 / 3.0, -4.25, 1e-7}) {
        CHECK(std::stod(csv_number(v)) == v);
    }
    CHECK(csv_number(10.0) == "10");
}

SCENARIO("the CSV export writes one row per session and one per rep") {
    GIVEN("a database with four weeks of quad-set and squat sessions") {
        FilledDb db(4);
        ExportOptions o;
        o.format = ExportFormat::Csv;
        o.profile_id = db.filled.profile_id;
        o.out = db.dir.path() / "csv";
        WHEN("it is exported as CSV into a new directory") {
            REQUIRE(export_profile(*db.store, o).ok());
            const auto files = output_files(o);
            REQUIRE(files.size() == 2);
            CHECK(files[0].filename() == "profile-1-sessions.csv");
            CHECK(files[1].filename() == "profile-1-reps.csv");
            const std::string sessions_text = read_file(files[0]);
            const auto sessions = parse_csv(sessions_text);
            const auto reps = parse_csv(read_file(files[1]));

            THEN("each file starts with its documented header and uses CRLF line ends") {
                REQUIRE(!sessions.empty());
                CHECK(sessions[0] == sessions_csv_columns());
                CHECK(reps[0] == reps_csv_columns());
                CHECK(sessions_text.find("\r\n") != std::string::npos);
                CHECK(sessions_csv_columns().front() == "format");
            }
            THEN("every row has every column and names the format version") {
                CHECK(sessions.size() == 1 + static_cast<std::size_t>(db.filled.sessions));
                CHECK(reps.size() ==
                      1 + static_cast<std::size_t>(db.filled.quad_reps + db.filled.squat_reps));
                for (std::size_t i = 1; i < sessions.size(); ++i) {
                    REQUIRE(sessions[i].size() == sessions_csv_columns().size());
                    CHECK(sessions[i][0] == kSessionsCsvFormat);
                }
                for (std::size_t i = 1; i < reps.size(); ++i) {
                    REQUIRE(reps[i].size() == reps_csv_columns().size());
                    CHECK(reps[i][0] == kRepsCsvFormat);
                }
            }
            THEN("values survive the round trip, including a comma and quotes") {
                const auto col = index_of(sessions[0]);
                const auto& first = sessions[1];
                CHECK(first[col.at("source_model")] == "OS-1, \"rev B\"");
                CHECK(first[col.at("source_driver")] == "open-sensor");
                CHECK(first[col.at("source_is_measurement")] == "1");
                CHECK(first[col.at("local_date")] == "2026-11-02");
                CHECK(first[col.at("started_at_utc")] == "2026-11-02T10:00:00.000Z");
                CHECK(first[col.at("status")] == "completed");
                CHECK(first[col.at("prescribed_sets")] == "3");
                CHECK(first[col.at("prescribed_band_high_pct")] == "50");
                CHECK(first[col.at("sets_done")] == "3");
                // make_set: every third hold failed -> 7 of 10 per set
                CHECK(first[col.at("reps_done")] == "21");
                CHECK(first[col.at("reps_attempted")] == "30");
                CHECK(first[col.at("pain_before")] == "2");
                CHECK(first[col.at("pain_during_max")] == "3");
                CHECK(first[col.at("pain_next_morning")] == "2");
                CHECK(first[col.at("pain_scale")] == "nrs");
                CHECK(first[col.at("effort_0_10")] == "5");
                CHECK(first[col.at("red_flags")] == "");
                CHECK(first[col.at("prescribed_reps_total")] == "30");
                // the third session of a week adds a squat set of 8
                CHECK(sessions[3][col.at("exercises")] == "quad_set+squat");
                CHECK(sessions[3][col.at("prescribed_reps_total")] == "38");
                CHECK(sessions[3][col.at("reps_done")] == "27");
                bool saw_stop = false;
                for (std::size_t i = 1; i < sessions.size(); ++i) {
                    if (sessions[i][col.at("status")] == "stopped_pain") {
                        saw_stop = true;
                        CHECK(sessions[i][col.at("pain_during_max")] == "7");
                        CHECK(sessions[i][col.at("red_flags")] == "knee_gave_way");
                        CHECK(sessions[i][col.at("stars")] == "0");
                    }
                }
                CHECK(saw_stop);
            }
            THEN("quad-set and squat reps are told apart and leave the other's columns blank") {
                const auto col = index_of(reps[0]);
                const auto& r = reps[4]; // set 0, rep 3 of the first session
                CHECK(r[col.at("exercise")] == "quad_set");
                CHECK(r[col.at("rep_index")] == "3");
                CHECK(std::stod(r[col.at("time_in_band_s")]) == 6.0 + 0.25 * 3);
                CHECK(std::stod(r[col.at("peak_force_n")]) == 201.75 + 3);
                CHECK(std::stod(r[col.at("steadiness_cv")]) == 0.05 + 0.001 * 3);
                CHECK(r[col.at("success")] == "1");
                CHECK(r[col.at("squat_mode")].empty());
                CHECK(r[col.at("depth_reached")].empty());
                std::size_t squats = 0;
                for (std::size_t i = 1; i < reps.size(); ++i) {
                    if (reps[i][col.at("exercise")] != "squat") {
                        continue;
                    }
                    const auto& s = reps[i];
                    if (squats == 0) {
                        CHECK(s[col.at("squat_mode")] == "knee_angle");
                        CHECK(s[col.at("squat_unit")] == "deg");
                        CHECK(s[col.at("depth_target")] == "45");
                        CHECK(s[col.at("depth_reached")] == "40.5");
                        CHECK(s[col.at("down_s")] == "3.1");
                        CHECK(s[col.at("tempo_ok")] == "1");
                    }
                    CHECK(s[col.at("peak_force_n")].empty());
                    CHECK(s[col.at("target_low_pct")].empty());
                    ++squats;
                }
                CHECK(squats == static_cast<std::size_t>(db.filled.squat_reps));
            }
        }
        WHEN("a date range is given") {
            o.from = "2026-11-09";
            o.to = "2026-11-15";
            REQUIRE(export_profile(*db.store, o).ok());
            const auto sessions = parse_csv(read_file(output_files(o)[0]));
            THEN("only sessions on those local days are exported") {
                REQUIRE(sessions.size() == 5);
                const auto col = index_of(sessions[0]);
                for (std::size_t i = 1; i < sessions.size(); ++i) {
                    CHECK(sessions[i][col.at("local_date")] >= "2026-11-09");
                    CHECK(sessions[i][col.at("local_date")] <= "2026-11-15");
                }
            }
        }
    }
}
