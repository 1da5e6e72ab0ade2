#include "report/pdf.hpp"
#include "tests/report/test_support.hpp"

#include <cstdio>
#include <cstdlib>

using namespace qv;
using namespace qv::report;
using namespace qv::report::test;

namespace {

constexpr int kSkip = 77;

// A rendered page: 8-bit grey pixels.
struct Gray {
    int width = 0;
    int height = 0;
    std::string pixels;
};

// Reads a binary PGM ("P5 w h 255\n" then w*h bytes), as pdftoppm -gray writes it.
Gray read_pgm(const std::filesystem::path& p) {
    const std::string data = read_file(p);
    Gray g;
    std::size_t pos = 0;
    const auto token = [&] {
        while (pos < data.size() &&
               (std::isspace(static_cast<unsigned char>(data[pos])) || data[pos] == '#')) {
            if (data[pos] == '#') {
                pos = data.find('\n', pos);
            } else {
                ++pos;
            }
        }
        const std::size_t start = pos;
        while (pos < data.size() && !std::isspace(static_cast<unsigned char>(data[pos]))) {
            ++pos;
        }
        return data.substr(start, pos - start);
    };
    REQUIRE(token() == "P5");
    g.width = std::stoi(token());
    g.height = std::stoi(token());
    REQUIRE(std::stoi(token()) == 255);
    ++pos; // the single whitespace after maxval
    g.pixels = data.substr(pos);
    REQUIRE(g.pixels.size() == static_cast<std::size_t>(g.width) * g.height);
    return g;
}

// Renders every page of `pdf` to PGM files in `dir` and returns them in page order; exits 77
// (CTest: skipped) when pdftoppm is not installed.
std::vector<Gray> render(const std::filesystem::path& pdf, const std::filesystem::path& dir) {
    if (std::system("command -v pdftoppm >/dev/null 2>&1") != 0) {
        std::fprintf(stderr, "SKIP: pdftoppm (poppler-utils) is not installed\n");
        std::exit(kSkip);
    }
    std::filesystem::create_directories(dir);
    const std::string command =
        "pdftoppm -gray -r 40 '" + pdf.string() + "' '" + (dir / "page").string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() == ".pgm") {
            files.push_back(e.path());
        }
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        const auto na = a.filename().string();
        const auto nb = b.filename().string();
        return na.size() != nb.size() ? na.size() < nb.size() : na < nb;
    });
    std::vector<Gray> pages;
    for (const auto& f : files) {
        pages.push_back(read_pgm(f));
    }
    return pages;
}

double ink_fraction(const Gray& g) {
    std::size_t dark = 0;
    for (const char c : g.pixels) {
        if (static_cast<unsigned char>(c) < 200) {
            ++dark;
        }
    }
    return static_cast<double>(dark) / static_cast<double>(g.pixels.size());
}

std::filesystem::path export_pdf(FilledDb& db, const std::string& name, const std::string& from,
                                 const std::string& to) {
    ExportOptions o;
    o.format = ExportFormat::Pdf;
    o.profile_id = db.filled.profile_id;
    o.from = from;
    o.to = to;
    o.out = db.dir.path() / name;
    o.patient_name = "Alex Example";
    const auto s = export_profile(*db.store, o);
    INFO((s ? std::string() : s.error().message));
    REQUIRE(s.ok());
    return o.out;
}

} // namespace

SCENARIO("the PDF report renders A4 pages that are not blank") {
    GIVEN("eight weeks of sessions") {
        FilledDb db(8);
        WHEN("the whole history is exported") {
            const auto pdf = export_pdf(db, "report.pdf", "", "");
            CHECK(read_file(pdf).rfind("%PDF-", 0) == 0);
            CHECK(mode_of(pdf) == 0600u);
            const auto pages = render(pdf, db.dir.path() / "all");
            THEN("it runs over several A4 pages, each with content") {
                CHECK(pages.size() >= 3);
                CHECK(pages.size() <= 8);
                for (const auto& p : pages) {
                    // A4 portrait at 40 dpi: 331 x 468 pixels
                    CHECK(p.width == 331);
                    CHECK(p.height == 468);
                    CHECK(ink_fraction(p) > 0.01);
                }
                // the first page holds the title, tiles and charts: the most ink
                CHECK(ink_fraction(pages[0]) > 0.04);
            }
        }
        WHEN("only one week is exported") {
            const auto full = render(export_pdf(db, "all.pdf", "", ""), db.dir.path() / "a");
            const auto week =
                render(export_pdf(db, "week.pdf", "2026-11-09", "2026-11-15"), db.dir.path() / "w");
            THEN("it has fewer pages than the whole history") {
                CHECK(week.size() >= 1);
                CHECK(week.size() < full.size());
            }
        }
        WHEN("a range without any session is exported") {
            const auto pages = render(export_pdf(db, "empty.pdf", "2027-03-01", "2027-03-31"),
                                      db.dir.path() / "e");
            THEN("a report still renders, saying there is no data") {
                REQUIRE(pages.size() >= 1);
                CHECK(ink_fraction(pages[0]) > 0.005);
            }
        }
    }
}
