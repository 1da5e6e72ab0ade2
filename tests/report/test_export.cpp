#include "report/export.hpp"
#include "tests/report/test_support.hpp"

#include <sys/stat.h>

using namespace qv;
using namespace qv::report;
using namespace qv::report::test;

namespace {

// Names in a directory (including hidden temporary files).
std::vector<std::string> listing(const std::filesystem::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        out.push_back(e.path().filename().string());
    }
    return out;
}

// Sets the umask for the test's duration.
struct Umask {
    explicit Umask(mode_t m) : old(::umask(m)) {}
    ~Umask() { ::umask(old); }
    mode_t old;
};

} // namespace

TEST_CASE("every export file is created mode 0600, even with a permissive umask") {
    FilledDb db(1);
    const Umask open_umask(0);
    const auto format = GENERATE(ExportFormat::Csv, ExportFormat::Fhir, ExportFormat::Pdf);
    ExportOptions o;
    o.format = format;
    o.profile_id = db.filled.profile_id;
    o.out = db.dir.path() / "out" / (format == ExportFormat::Csv ? "csv" : "file");
    std::filesystem::create_directories(o.out.parent_path());
    const auto s = export_profile(*db.store, o);
    INFO((s ? std::string() : s.error().message));
    REQUIRE(s.ok());
    for (const auto& f : output_files(o)) {
        INFO(f.string());
        CHECK(mode_of(f) == 0600u);
    }
    if (format == ExportFormat::Csv) {
        CHECK(mode_of(o.out) == 0700u);
    }
    // no temporary file left behind
    for (const auto& name : listing(format == ExportFormat::Csv ? o.out : o.out.parent_path())) {
        CHECK(name.front() != '.');
    }
}

TEST_CASE("an export replaces an older, wider file with a private one") {
    FilledDb db(1);
    ExportOptions o;
    o.format = ExportFormat::Fhir;
    o.profile_id = db.filled.profile_id;
    o.out = db.dir.path() / "bundle.json";
    { std::ofstream(o.out) << "old"; }
    ::chmod(o.out.c_str(), 0644);
    REQUIRE(export_profile(*db.store, o).ok());
    CHECK(mode_of(o.out) == 0600u);
    CHECK(read_file(o.out).find("\"Bundle\"") != std::string::npos);
}

TEST_CASE("an unknown profile gives a clear error and creates no file") {
    FilledDb db(1);
    const auto format = GENERATE(ExportFormat::Csv, ExportFormat::Fhir, ExportFormat::Pdf);
    const auto out_dir = db.dir.path() / "out";
    std::filesystem::create_directories(out_dir);
    ExportOptions o;
    o.format = format;
    o.profile_id = 99;
    o.out = format == ExportFormat::Csv ? out_dir / "csv" : out_dir / "x";
    const auto s = export_profile(*db.store, o);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == "unknown profile id 99 (known profile ids: 1, 2)");
    CHECK(listing(out_dir).empty());
}

TEST_CASE("bad dates and paths are refused with a message naming them") {
    FilledDb db(1);
    ExportOptions o;
    o.format = ExportFormat::Pdf;
    o.profile_id = db.filled.profile_id;
    o.out = db.dir.path() / "r.pdf";

    SECTION("a date that is not a calendar day") {
        o.from = GENERATE(std::string("2026-13-01"), std::string("2026-02-30"),
                          std::string("1.11.2026"), std::string("2026-11-1"));
        const auto s = export_profile(*db.store, o);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("bad --from date \"" + o.from + "\""));
    }
    SECTION("a leap day is a calendar day") {
        o.from = "2028-02-29";
        CHECK(export_profile(*db.store, o).ok());
    }
    SECTION("from after to") {
        o.from = "2026-11-20";
        o.to = "2026-11-10";
        const auto s = export_profile(*db.store, o);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("is after --to 2026-11-10"));
    }
    SECTION("a directory that does not exist") {
        o.out = db.dir.path() / "missing" / "r.pdf";
        const auto s = export_profile(*db.store, o);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("cannot write " + o.out.string()));
    }
    SECTION("a directory given as the PDF file") {
        o.out = db.dir.path();
        const auto s = export_profile(*db.store, o);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("is a directory"));
    }
    SECTION("no output path") {
        o.out.clear();
        const auto s = export_profile(*db.store, o);
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains("no output file"));
    }
    CHECK_FALSE(std::filesystem::exists(db.dir.path() / "missing"));
}
