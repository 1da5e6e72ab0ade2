#include "report/cli.hpp"
#include "tests/report/test_support.hpp"

#include <sstream>

using namespace qv;
using namespace qv::report;
using namespace qv::report::test;

TEST_CASE("the export command line is parsed, with both option spellings") {
    const auto args = parse_export_command(
        {"--export", "pdf", "--profile", "3", "--from", "2026-11-01", "--to=2026-11-30", "--out",
         "/tmp/r.pdf", "--database=/tmp/q.db", "--include-name", "--patient-name", "A. Example",
         "--patient-id", "MRN-1"});
    INFO((args ? std::string() : args.error().message));
    REQUIRE(args.ok());
    CHECK(args->options.format == ExportFormat::Pdf);
    CHECK(args->options.profile_id == 3);
    CHECK(args->options.from == "2026-11-01");
    CHECK(args->options.to == "2026-11-30");
    CHECK(args->options.out == "/tmp/r.pdf");
    CHECK(args->database == "/tmp/q.db");
    CHECK(args->options.include_profile_name);
    CHECK(args->options.patient_name == "A. Example");
    CHECK(args->options.patient_identifier == "MRN-1");
}

TEST_CASE("a bad export command line names the offending word") {
    using Words = std::vector<std::string>;
    const auto [words, message] = GENERATE(table<Words, std::string>({
        {Words{"--export", "xml", "--profile", "1", "--out", "f"}, "unknown export format \"xml\""},
        {Words{"--export", "pdf", "--out", "f"}, "--profile ID is missing"},
        {Words{"--profile", "1", "--out", "f"}, "--export csv|fhir|pdf is missing"},
        {Words{"--export", "pdf", "--profile", "x1", "--out", "f"}, "bad profile id \"x1\""},
        {Words{"--export", "pdf", "--profile", "1", "--out"}, "--out needs a value"},
        {Words{"--export", "pdf", "--profile", "1", "--out", "f", "--colour"},
         "unknown argument \"--colour\""},
        {Words{"--export", "pdf", "--profile", "1", "--out", "f", "--to", "tomorrow"},
         "bad --to date \"tomorrow\""},
    }));
    const auto args = parse_export_command(words);
    REQUIRE_FALSE(args.ok());
    CHECK_THAT(args.error().message, Catch::Contains(message));
}

TEST_CASE("the export command writes the files it names and never creates a database") {
    FilledDb db(1);
    std::ostringstream out;
    std::ostringstream err;
    const auto csv_dir = db.dir.path() / "csv";
    const int rc = export_main({"--export", "csv", "--profile", "1", "--out", csv_dir.string(),
                                "--database", db.dir.db().string()},
                               out, err);
    INFO(err.str());
    CHECK(rc == 0);
    CHECK_THAT(out.str(), Catch::Contains("profile-1-sessions.csv"));
    CHECK(std::filesystem::exists(csv_dir / "profile-1-reps.csv"));

    std::ostringstream out2;
    std::ostringstream err2;
    const auto missing = db.dir.path() / "nowhere.db";
    CHECK(export_main({"--export", "pdf", "--profile", "1", "--out",
                       (db.dir.path() / "r.pdf").string(), "--database", missing.string()},
                      out2, err2) == 1);
    CHECK_THAT(err2.str(), Catch::Contains("no database at " + missing.string()));
    CHECK_FALSE(std::filesystem::exists(missing));

    std::ostringstream out3;
    std::ostringstream err3;
    CHECK(export_main({"--export", "pdf"}, out3, err3) == 2);
    CHECK_THAT(err3.str(), Catch::Contains("usage: quadventure --export"));

    std::ostringstream out4;
    std::ostringstream err4;
    CHECK(export_main({"--export", "pdf", "--profile", "7", "--out",
                       (db.dir.path() / "r.pdf").string(), "--database", db.dir.db().string()},
                      out4, err4) == 1);
    CHECK_THAT(err4.str(), Catch::Contains("unknown profile id 7"));
    CHECK_FALSE(std::filesystem::exists(db.dir.path() / "r.pdf"));
}
