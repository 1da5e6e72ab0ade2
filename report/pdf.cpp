#include "report/pdf.hpp"

#include "report/private_file.hpp"

#include <algorithm>
#include <cairo-pdf.h>
#include <cairo.h>
#include <cmath>
#include <exception>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qv::report {

namespace {

// ---- page geometry and colours (points; A4) -------------------------------------------------

constexpr double kPageW = 595.276;
constexpr double kPageH = 841.890;
constexpr double kMargin = 48;
constexpr double kTop = 64;
constexpr double kBottom = kPageH - 56;
constexpr double kContentW = kPageW - 2 * kMargin;
constexpr const char* kFont = "DejaVu Sans";

struct Rgb {
    double r, g, b;
};
constexpr Rgb kInk{0.10, 0.10, 0.12};
constexpr Rgb kMuted{0.42, 0.42, 0.45};
constexpr Rgb kRule{0.82, 0.82, 0.85};
constexpr Rgb kGrid{0.90, 0.90, 0.92};
constexpr Rgb kHeaderFill{0.93, 0.94, 0.96};
constexpr Rgb kStripe{0.975, 0.978, 0.985};
constexpr Rgb kBlue{0.12, 0.37, 0.60};
constexpr Rgb kBlueLight{0.80, 0.87, 0.94};
constexpr Rgb kOrange{0.85, 0.50, 0.17};
constexpr Rgb kRed{0.75, 0.22, 0.17};
constexpr Rgb kGreen{0.18, 0.55, 0.34};
constexpr Rgb kPurple{0.48, 0.31, 0.62};
constexpr Rgb kGreyBar{0.78, 0.79, 0.82};

const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "YYYY-MM-DD" of days since 1970-01-01 (inverse of days_from_date).
std::string date_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// "3 Nov" for an axis label.
std::string short_date(std::int64_t days) {
    const std::string d = date_from_days(days);
    const int month = std::stoi(d.substr(5, 2));
    return fmt::format("{} {}", std::stoi(d.substr(8, 2)), kMonths[month - 1]);
}

std::string number(double v, int decimals = 0) {
    return fmt::format("{:.{}f}", v, decimals);
}

// Trims "12.50" to "12.5" and "10.0" to "10".
std::string compact(double v) {
    std::string s = fmt::format("{:.1f}", v);
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) {
        s.resize(s.size() - 2);
    }
    return s;
}

std::string pain_text(const std::optional<int>& v) {
    return v ? std::to_string(*v) : std::string("–");
}

std::string status_text(profiles::SessionStatus s) {
    switch (s) {
    case profiles::SessionStatus::InProgress:
        return "in progress";
    case profiles::SessionStatus::Completed:
        return "completed";
    case profiles::SessionStatus::StoppedPain:
        return "stopped: pain";
    case profiles::SessionStatus::StoppedRedFlag:
        return "stopped: red flag";
    case profiles::SessionStatus::Aborted:
        return "interrupted";
    }
    return "";
}

std::string exercise_text(const std::string& exercises) {
    std::string out;
    std::size_t start = 0;
    while (start <= exercises.size()) {
        const auto end = std::min(exercises.find('+', start), exercises.size());
        std::string e = exercises.substr(start, end - start);
        if (e == "quad_set") {
            e = "quad sets";
        } else if (e == "squat") {
            e = "squats";
        }
        if (!e.empty()) {
            out += (out.empty() ? "" : ", ") + e;
        }
        start = end + 1;
    }
    return out.empty() ? "–" : out;
}

// A "nice" step (1, 2, 2.5, 5 × 10^n) giving about `ticks` intervals over `span`.
double nice_step(double span, int ticks) {
    const double raw = span / std::max(ticks, 1);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (raw <= m * mag) {
            return m * mag;
        }
    }
    return 10 * mag;
}

// ---- drawing ----------------------------------------------------------------------------------

cairo_status_t write_to_file(void* closure, const unsigned char* bytes, unsigned int length) {
    auto* file = static_cast<PrivateFile*>(closure);
    const auto status = file->write(std::string_view(reinterpret_cast<const char*>(bytes), length));
    return status ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

// The document being drawn: owns the cairo surface and context, the running page and the
// vertical cursor of the flowing layout.
class Doc {
  public:
    Doc(PrivateFile& file, std::string header) : header_(std::move(header)) {
        surface_ = cairo_pdf_surface_create_for_stream(write_to_file, &file, kPageW, kPageH);
        cr_ = cairo_create(surface_);
        y_ = kTop;
    }
    ~Doc() {
        cairo_destroy(cr_);
        cairo_surface_destroy(surface_);
    }
    Doc(const Doc&) = delete;
    Doc& operator=(const Doc&) = delete;

    void set_metadata(const std::string& title, const std::string& subject) {
        cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
        cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_SUBJECT, subject.c_str());
        cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "Quadventure");
    }

    cairo_t* cr() { return cr_; }
    double y() const { return y_; }
    void advance(double dy) { y_ += dy; }
    int page() const { return page_; }

    // Starts a new page when fewer than `height` points are left.
    void need(double height) {
        if (y_ + height > kBottom) {
            new_page();
        }
    }
    void new_page() {
        finish_page();
        cairo_show_page(cr_);
        ++page_;
        y_ = kTop;
        draw_running_header();
    }
    void start() { draw_running_header(); }

    // Finishes: footer of the last page, flushes the PDF; false when cairo failed.
    Status finish() {
        finish_page();
        cairo_show_page(cr_);
        cairo_surface_finish(surface_);
        const cairo_status_t s = cairo_surface_status(surface_);
        if (s != CAIRO_STATUS_SUCCESS) {
            return fail(std::string("drawing the PDF: ") + cairo_status_to_string(s));
        }
        return Ok{};
    }

    // ---- text ----
    void font(double size, bool bold = false) {
        cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr_, size);
    }
    void color(Rgb c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }
    double width(const std::string& s) {
        cairo_text_extents_t e;
        cairo_text_extents(cr_, s.c_str(), &e);
        return e.x_advance;
    }
    void text(double x, double y, const std::string& s) {
        cairo_move_to(cr_, x, y);
        cairo_show_text(cr_, s.c_str());
    }
    void text_right(double x, double y, const std::string& s) { text(x - width(s), y, s); }
    void text_center(double x, double y, const std::string& s) { text(x - width(s) / 2, y, s); }

    // Splits `s` into lines no wider than `w` in the current font (words longer than a line are
    // cut where they overflow).
    std::vector<std::string> wrap(const std::string& s, double w) {
        std::vector<std::string> lines;
        std::string line;
        std::size_t i = 0;
        while (i < s.size()) {
            const auto space = s.find(' ', i);
            const std::string word = s.substr(i, space == std::string::npos ? s.npos : space - i);
            i = space == std::string::npos ? s.size() : space + 1;
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (width(candidate) <= w || line.empty()) {
                line = candidate;
            } else {
                lines.push_back(line);
                line = word;
            }
            while (width(line) > w && line.size() > 1) {
                std::size_t cut = line.size() - 1;
                while (cut > 1 && width(line.substr(0, cut)) > w) {
                    --cut;
                }
                // keep UTF-8 sequences whole
                while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80) {
                    --cut;
                }
                lines.push_back(line.substr(0, cut));
                line = line.substr(cut);
            }
        }
        if (!line.empty() || lines.empty()) {
            lines.push_back(line);
        }
        return lines;
    }

    // ---- shapes ----
    void rect(double x, double y, double w, double h, Rgb fill) {
        color(fill);
        cairo_new_path(cr_);
        cairo_rectangle(cr_, x, y, w, h);
        cairo_fill(cr_);
    }
    void line(double x0, double y0, double x1, double y1, Rgb c, double lw) {
        color(c);
        cairo_set_line_width(cr_, lw);
        cairo_move_to(cr_, x0, y0);
        cairo_line_to(cr_, x1, y1);
        cairo_stroke(cr_);
    }
    void dot(double x, double y, double r, Rgb c) {
        color(c);
        cairo_new_path(cr_);
        cairo_arc(cr_, x, y, r, 0, 2 * M_PI);
        cairo_fill(cr_);
    }

    // A section heading with a rule under it.
    void heading(const std::string& title) {
        need(96); // the heading, a table header and a couple of rows stay together
        advance(10);
        font(12.5, true);
        color(kInk);
        text(kMargin, y_ + 12, title);
        advance(18);
        line(kMargin, y_, kMargin + kContentW, y_, kRule, 0.8);
        advance(10);
    }

    // A paragraph in the muted colour.
    void note(const std::string& s, double size = 9) {
        font(size);
        for (const auto& l : wrap(s, kContentW)) {
            need(size + 4);
            color(kMuted);
            text(kMargin, y_ + size, l);
            advance(size + 4);
        }
    }

  private:
    void draw_running_header() {
        if (page_ == 1) {
            return;
        }
        font(8);
        color(kMuted);
        text(kMargin, 36, header_);
        line(kMargin, 42, kMargin + kContentW, 42, kRule, 0.5);
    }
    void finish_page() {
        font(8);
        color(kMuted);
        line(kMargin, kPageH - 40, kMargin + kContentW, kPageH - 40, kRule, 0.5);
        text(kMargin, kPageH - 28,
             "Quadventure supports the clinician's plan; it does not replace clinical judgement.");
        text_right(kMargin + kContentW, kPageH - 28, fmt::format("Page {}", page_));
    }

    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
    std::string header_;
    double y_ = kTop;
    int page_ = 1;
};

// ---- tables -----------------------------------------------------------------------------------

struct Column {
    std::string title;
    double width; ///< share of the content width
    bool right = false;
};

struct Cell {
    Cell() = default;
    Cell(std::string t) : text(std::move(t)) {}
    Cell(std::string t, Rgb dot) : text(std::move(t)), marker(dot) {}
    static Cell inked(std::string t, std::optional<Rgb> c) {
        Cell cell(std::move(t));
        cell.ink = c;
        return cell;
    }
    std::string text;
    std::optional<Rgb> marker; ///< a coloured dot before the text
    std::optional<Rgb> ink;    ///< text colour when not the default
};

// Draws a table that flows over pages, repeating its header row.
void table(Doc& doc, const std::vector<Column>& columns,
           const std::vector<std::vector<Cell>>& rows) {
    constexpr double kSize = 8;
    constexpr double kLine = 10.5;
    constexpr double kPad = 4;
    double total = 0;
    for (const auto& c : columns) {
        total += c.width;
    }
    std::vector<double> xs;
    std::vector<double> ws;
    double x = kMargin;
    for (const auto& c : columns) {
        const double w = c.width / total * kContentW;
        xs.push_back(x);
        ws.push_back(w);
        x += w;
    }
    const auto header = [&] {
        doc.need(kLine + 2 * kPad + kLine + 2 * kPad);
        const double top = doc.y();
        doc.rect(kMargin, top, kContentW, kLine + 2 * kPad, kHeaderFill);
        doc.font(kSize, true);
        doc.color(kInk);
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (columns[i].right) {
                doc.text_right(xs[i] + ws[i] - kPad, top + kPad + kSize, columns[i].title);
            } else {
                doc.text(xs[i] + kPad, top + kPad + kSize, columns[i].title);
            }
        }
        doc.advance(kLine + 2 * kPad);
    };
    header();
    int page = doc.page();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        doc.font(kSize);
        std::vector<std::vector<std::string>> lines;
        std::size_t height_lines = 1;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const Cell& cell = i < rows[r].size() ? rows[r][i] : Cell{};
            const double indent = cell.marker ? 9 : 0;
            lines.push_back(doc.wrap(cell.text, ws[i] - 2 * kPad - indent));
            height_lines = std::max(height_lines, lines.back().size());
        }
        const double h = static_cast<double>(height_lines) * kLine + 2 * kPad - 2;
        doc.need(h);
        if (doc.page() != page) {
            page = doc.page();
            header();
        }
        const double top = doc.y();
        if (r % 2 == 1) {
            doc.rect(kMargin, top, kContentW, h, kStripe);
        }
        doc.font(kSize);
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const Cell& cell = i < rows[r].size() ? rows[r][i] : Cell{};
            double tx = xs[i] + kPad;
            if (cell.marker) {
                doc.dot(tx + 3, top + kPad + kSize - 3, 3, *cell.marker);
                tx += 9;
            }
            doc.color(cell.ink.value_or(kInk));
            for (std::size_t l = 0; l < lines[i].size(); ++l) {
                const double ty = top + kPad + kSize + static_cast<double>(l) * kLine;
                if (columns[i].right) {
                    doc.text_right(xs[i] + ws[i] - kPad, ty, lines[i][l]);
                } else {
                    doc.text(tx, ty, lines[i][l]);
                }
            }
        }
        doc.advance(h);
    }
    doc.line(kMargin, doc.y(), kMargin + kContentW, doc.y(), kRule, 0.6);
    doc.advance(6);
}

// ---- charts -----------------------------------------------------------------------------------

struct Point {
    double x; ///< days since 1970-01-01 (fractions spread sessions of one day)
    double y;
};

struct LegendItem {
    std::string label;
    Rgb color;
    bool box = false;
};

// The frame of one chart: title, axes, grid and the mapping from data to page.
class Chart {
  public:
    static constexpr double kHeight = 150;

    Chart(Doc& doc, const std::string& title, const std::string& y_label, double x0, double x1,
          double y0, double y1, const std::vector<LegendItem>& legend)
        : doc_(doc), x0_(x0), x1_(x1), y0_(y0), y1_(y1) {
        doc.need(kHeight + 40);
        const double top = doc.y();
        doc.font(10, true);
        doc.color(kInk);
        doc.text(kMargin, top + 10, title);
        // legend, right-aligned on the title line
        doc.font(7.5);
        double lx = kMargin + kContentW;
        for (auto it = legend.rbegin(); it != legend.rend(); ++it) {
            lx -= doc.width(it->label);
            doc.color(kMuted);
            doc.text(lx, top + 10, it->label);
            lx -= 12;
            if (it->box) {
                doc.rect(lx, top + 3.5, 9, 7, it->color);
            } else {
                doc.line(lx, top + 7, lx + 9, top + 7, it->color, 2);
            }
            lx -= 10;
        }
        px_ = kMargin + 34;
        pw_ = kContentW - 40;
        py_ = top + 22;
        ph_ = kHeight - 40;
        // y grid and labels
        const double step = nice_step(y1_ - y0_, 4);
        doc.font(7);
        for (double v = std::ceil(y0_ / step) * step; v <= y1_ + 1e-9; v += step) {
            const double yy = ty(v);
            doc.line(px_, yy, px_ + pw_, yy, kGrid, 0.5);
            doc.color(kMuted);
            doc.text_right(px_ - 4, yy + 2.5, compact(v));
        }
        doc.color(kMuted);
        cairo_save(doc.cr());
        cairo_move_to(doc.cr(), kMargin + 6, py_ + ph_ / 2 + doc.width(y_label) / 2);
        cairo_rotate(doc.cr(), -M_PI / 2);
        cairo_show_text(doc.cr(), y_label.c_str());
        cairo_restore(doc.cr());
        // x ticks: a label every 1, 2, 7 or 14 days
        const double span = x1_ - x0_;
        const int every = span <= 10 ? 1 : span <= 24 ? 2 : span <= 90 ? 7 : span <= 180 ? 14 : 30;
        for (auto d = static_cast<std::int64_t>(std::ceil(x0_)); static_cast<double>(d) <= x1_;
             ++d) {
            if ((d - static_cast<std::int64_t>(std::ceil(x0_))) % every != 0) {
                continue;
            }
            const double xx = tx(static_cast<double>(d));
            doc.line(xx, py_ + ph_, xx, py_ + ph_ + 3, kRule, 0.6);
            doc.color(kMuted);
            doc.text_center(xx, py_ + ph_ + 12, short_date(d));
        }
        doc.line(px_, py_ + ph_, px_ + pw_, py_ + ph_, kMuted, 0.7);
        doc.line(px_, py_, px_, py_ + ph_, kMuted, 0.7);
        doc.advance(kHeight);
    }

    double tx(double x) const {
        return x1_ > x0_ ? px_ + (x - x0_) / (x1_ - x0_) * pw_ : px_ + pw_ / 2;
    }
    double ty(double y) const {
        return y1_ > y0_ ? py_ + ph_ - (std::clamp(y, y0_, y1_) - y0_) / (y1_ - y0_) * ph_
                         : py_ + ph_ / 2;
    }
    double plot_width() const { return pw_; }
    double days() const { return x1_ - x0_; }

    void band(double y_low, double y_high, Rgb c) {
        doc_.rect(px_ + 0.5, ty(y_high), pw_ - 0.5, ty(y_low) - ty(y_high), c);
    }
    void polyline(const std::vector<Point>& pts, Rgb c, double lw, double marker) {
        if (pts.size() > 1) {
            doc_.color(c);
            cairo_set_line_width(doc_.cr(), lw);
            cairo_set_line_join(doc_.cr(), CAIRO_LINE_JOIN_ROUND);
            cairo_move_to(doc_.cr(), tx(pts[0].x), ty(pts[0].y));
            for (std::size_t i = 1; i < pts.size(); ++i) {
                cairo_line_to(doc_.cr(), tx(pts[i].x), ty(pts[i].y));
            }
            cairo_stroke(doc_.cr());
        }
        for (const auto& p : pts) {
            doc_.dot(tx(p.x), ty(p.y), marker, c);
        }
    }
    // A filled ribbon between lower and upper values at the same x positions.
    void ribbon(const std::vector<Point>& low, const std::vector<Point>& high, Rgb c) {
        if (low.empty()) {
            return;
        }
        doc_.color(c);
        if (low.size() == 1) {
            const double w = 4;
            cairo_rectangle(doc_.cr(), tx(low[0].x) - w, ty(high[0].y), 2 * w,
                            ty(low[0].y) - ty(high[0].y));
        } else {
            cairo_move_to(doc_.cr(), tx(high[0].x), ty(high[0].y));
            for (std::size_t i = 1; i < high.size(); ++i) {
                cairo_line_to(doc_.cr(), tx(high[i].x), ty(high[i].y));
            }
            for (std::size_t i = low.size(); i-- > 0;) {
                cairo_line_to(doc_.cr(), tx(low[i].x), ty(low[i].y));
            }
            cairo_close_path(doc_.cr());
        }
        cairo_fill(doc_.cr());
    }
    void bar(double x, double y, double w, Rgb c) {
        const double base = ty(std::max(y0_, 0.0));
        doc_.rect(tx(x) - w / 2, ty(y), w, base - ty(y), c);
    }
    void empty_message(const std::string& s) {
        doc_.font(9);
        doc_.color(kMuted);
        doc_.text_center(px_ + pw_ / 2, py_ + ph_ / 2, s);
    }

  private:
    Doc& doc_;
    double x0_, x1_, y0_, y1_;
    double px_ = 0, pw_ = 0, py_ = 0, ph_ = 0;
};

// ---- the report's parts -----------------------------------------------------------------------

struct Range {
    double x0;
    double x1;
};

// The charts' day axis: the asked range, else the data's first to last day.
Range day_range(const ReportData& data) {
    std::vector<std::int64_t> days;
    for (const auto& s : data.sessions) {
        days.push_back(days_from_date(s.local_date));
    }
    for (const auto& c : data.calibrations) {
        days.push_back(days_from_date(c.local_date));
    }
    const auto lo = data.from.empty() ? (days.empty() ? std::int64_t{0}
                                                      : *std::min_element(days.begin(), days.end()))
                                      : days_from_date(data.from);
    const auto hi = data.to.empty()
                        ? (days.empty() ? lo : *std::max_element(days.begin(), days.end()))
                        : days_from_date(data.to);
    return {static_cast<double>(lo) - 0.5, static_cast<double>(std::max(hi, lo)) + 0.5};
}

// x of each session: its day, spread a little when a day has several.
std::vector<double> session_x(const ReportData& data) {
    std::map<std::string, int> per_day;
    for (const auto& s : data.sessions) {
        ++per_day[s.local_date];
    }
    std::map<std::string, int> seen;
    std::vector<double> xs;
    for (const auto& s : data.sessions) {
        const int n = per_day[s.local_date];
        const int k = seen[s.local_date]++;
        const double offset = n > 1 ? (k - (n - 1) / 2.0) * (0.6 / n) : 0;
        xs.push_back(static_cast<double>(days_from_date(s.local_date)) + offset);
    }
    return xs;
}

struct Summary {
    int sessions = 0;
    int completed = 0;
    int days_with_session = 0;
    int days_in_range = 0;
    std::optional<double> first_mvc;
    std::optional<double> last_mvc;
    std::optional<double> last_other_mvc;
    int red_flag_checks = 0;
};

Summary summarize(const ReportData& data, const Range& range) {
    Summary s;
    std::set<std::string> days;
    for (const auto& row : data.sessions) {
        ++s.sessions;
        if (row.session.status == profiles::SessionStatus::Completed) {
            ++s.completed;
        }
        days.insert(row.local_date);
    }
    s.days_with_session = static_cast<int>(days.size());
    s.days_in_range = static_cast<int>(std::lround(range.x1 - range.x0));
    for (const auto& c : data.calibrations) {
        if (c.kind != "mvc") {
            continue;
        }
        if (c.leg == "other") {
            s.last_other_mvc = c.mvc_n;
        } else {
            if (!s.first_mvc) {
                s.first_mvc = c.mvc_n;
            }
            s.last_mvc = c.mvc_n;
        }
    }
    s.red_flag_checks = static_cast<int>(data.red_flags.size());
    return s;
}

std::string profile_line(const ReportData& data, const ExportOptions& options) {
    std::string line = "Profile #" + std::to_string(data.profile.id);
    if (options.include_profile_name) {
        line += " · " + data.profile.name;
    }
    if (!data.profile.avatar.empty()) {
        line += " · avatar " + data.profile.avatar;
    }
    if (data.profile.child) {
        line += " · child (faces pain scale)";
    }
    return line;
}

std::string period_text(const ReportData& data, const Range& range) {
    const std::string from =
        data.from.empty() ? date_from_days(static_cast<std::int64_t>(range.x0 + 0.5)) : data.from;
    const std::string to =
        data.to.empty() ? date_from_days(static_cast<std::int64_t>(range.x1 - 0.5)) : data.to;
    return from + " to " + to + (data.from.empty() && data.to.empty() ? " (all data)" : "");
}

void title_block(Doc& doc, const ReportData& data, const ExportOptions& options,
                 const Range& range) {
    doc.rect(kMargin, doc.y() - 20, 4, 44, kBlue);
    doc.font(19, true);
    doc.color(kInk);
    doc.text(kMargin + 14, doc.y() + 2, "Knee exercise report");
    doc.font(9.5);
    doc.color(kMuted);
    doc.text(kMargin + 14, doc.y() + 19, "Quadventure · for the treating clinician · confidential");
    doc.advance(40);

    std::vector<std::pair<std::string, std::string>> rows;
    if (!options.patient_name.empty() || !options.patient_identifier.empty()) {
        std::string who = options.patient_name;
        if (!options.patient_identifier.empty()) {
            who += (who.empty() ? "" : " · ") + std::string("ID ") + options.patient_identifier;
        }
        rows.emplace_back("Patient", who);
    }
    rows.emplace_back("Profile", profile_line(data, options));
    rows.emplace_back("Period", period_text(data, range));
    if (data.plan) {
        const PlanInfo& p = *data.plan;
        std::string protocol;
        if (!p.condition.empty()) {
            std::string c = p.condition;
            std::replace(c.begin(), c.end(), '_', ' ');
            protocol += c;
        }
        if (!p.side.empty()) {
            protocol += (protocol.empty() ? "" : ", ") + p.side + " knee";
        }
        if (!p.surgery_date.empty()) {
            protocol += (protocol.empty() ? "" : ", ") + std::string("surgery ") + p.surgery_date;
        }
        if (!protocol.empty()) {
            rows.emplace_back("Protocol", protocol);
        }
        const QuadSetDose& d = p.plan.dose;
        rows.emplace_back(
            "Current plan",
            fmt::format("quad sets {} × {} × {} s at {}–{} % MVC (caps {} sets, {} reps, {} s, "
                        "{} % MVC){}",
                        d.sets, d.reps, compact(d.hold_s), compact(d.band_low_pct),
                        compact(d.band_high_pct), p.plan.cap_sets, p.plan.cap_reps,
                        compact(p.plan.cap_hold_s), compact(p.plan.cap_band_high_pct),
                        p.plan.locked                ? " · progression LOCKED until reviewed"
                        : p.plan.progression_enabled ? ""
                                                     : " · progression off"));
    }
    rows.emplace_back("Generated", data.generated_at.substr(0, 16) + " UTC");
    for (const auto& [label, value] : rows) {
        doc.font(9, true);
        doc.color(kMuted);
        doc.text(kMargin, doc.y() + 9, label);
        doc.font(9);
        const auto lines = doc.wrap(value, kContentW - 80);
        for (const auto& l : lines) {
            doc.color(kInk);
            doc.text(kMargin + 80, doc.y() + 9, l);
            doc.advance(12.5);
        }
    }
    doc.advance(6);
}

void tiles(Doc& doc, const Summary& s) {
    struct Tile {
        std::string label;
        std::string value;
        std::string detail;
    };
    std::vector<Tile> tiles;
    tiles.push_back(
        {"Sessions", std::to_string(s.sessions), std::to_string(s.completed) + " completed"});
    tiles.push_back(
        {"Adherence",
         s.days_in_range > 0 ? number(100.0 * s.days_with_session / s.days_in_range) + " %" : "–",
         fmt::format("{} of {} days with a session", s.days_with_session, s.days_in_range)});
    if (s.last_mvc) {
        const double change =
            s.first_mvc && *s.first_mvc > 0 ? (*s.last_mvc / *s.first_mvc - 1.0) * 100.0 : 0.0;
        tiles.push_back({"MVC (affected)", number(*s.last_mvc) + " N",
                         fmt::format("{:+.0f} % since first in period", change)});
    } else {
        tiles.push_back({"MVC (affected)", "–", "no MVC test in period"});
    }
    if (s.last_mvc && s.last_other_mvc && *s.last_other_mvc > 0) {
        const double lsi = *s.last_mvc / *s.last_other_mvc * 100.0;
        tiles.push_back({"Limb symmetry", number(lsi) + " %",
                         fmt::format("{} N / {} N (bar: 90 %)", number(*s.last_mvc),
                                     number(*s.last_other_mvc))});
    } else {
        tiles.push_back({"Red flags", std::to_string(s.red_flag_checks),
                         s.red_flag_checks == 0 ? "none answered yes" : "check lists with a yes"});
    }
    doc.need(64);
    const double gap = 10;
    const double w = (kContentW - gap * static_cast<double>(tiles.size() - 1)) /
                     static_cast<double>(tiles.size());
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const double x = kMargin + static_cast<double>(i) * (w + gap);
        const double top = doc.y();
        doc.rect(x, top, w, 54, kHeaderFill);
        doc.font(7.5, true);
        doc.color(kMuted);
        doc.text(x + 8, top + 13, tiles[i].label);
        doc.font(15, true);
        doc.color(kInk);
        doc.text(x + 8, top + 32, tiles[i].value);
        doc.font(7);
        doc.color(kMuted);
        const auto lines = doc.wrap(tiles[i].detail, w - 16);
        doc.text(x + 8, top + 45, lines.front());
    }
    doc.advance(64);
}

void mvc_chart(Doc& doc, const ReportData& data, const Range& range) {
    std::vector<Point> affected;
    std::vector<Point> other;
    for (const auto& c : data.calibrations) {
        if (c.kind != "mvc") {
            continue;
        }
        const Point p{static_cast<double>(days_from_date(c.local_date)), c.mvc_n};
        (c.leg == "other" ? other : affected).push_back(p);
    }
    double hi = 0;
    double lo = 1e18;
    for (const auto& v : {affected, other}) {
        for (const auto& p : v) {
            hi = std::max(hi, p.y * (1 + kMvcNoiseFraction));
            lo = std::min(lo, p.y * (1 - kMvcNoiseFraction));
        }
    }
    if (hi <= 0) {
        hi = 100;
        lo = 0;
    }
    const double step = nice_step(hi - lo * 0.8, 4);
    const double y0 = std::max(0.0, std::floor(lo * 0.9 / step) * step);
    const double y1 = std::ceil(hi * 1.05 / step) * step;
    std::vector<LegendItem> legend{{"affected leg", kBlue},
                                   {"±7 % day-to-day noise", kBlueLight, true}};
    if (!other.empty()) {
        legend.push_back({"other leg", kMuted});
    }
    Chart chart(doc, "MVC trend (maximal voluntary contraction)", "force (N)", range.x0, range.x1,
                y0, y1, legend);
    if (affected.empty() && other.empty()) {
        chart.empty_message("No MVC test in this period");
        return;
    }
    std::vector<Point> low;
    std::vector<Point> high;
    for (const auto& p : affected) {
        low.push_back({p.x, p.y * (1 - kMvcNoiseFraction)});
        high.push_back({p.x, p.y * (1 + kMvcNoiseFraction)});
    }
    chart.ribbon(low, high, kBlueLight);
    chart.polyline(other, kMuted, 1.2, 2.5);
    chart.polyline(affected, kBlue, 1.6, 3);
}

void dose_chart(Doc& doc, const ReportData& data, const Range& range) {
    const auto xs = session_x(data);
    double hi = 1;
    for (const auto& s : data.sessions) {
        hi = std::max(hi, static_cast<double>(s.reps_attempted));
        if (s.prescribed_reps_total) {
            hi = std::max(hi, static_cast<double>(*s.prescribed_reps_total));
        }
    }
    const double y1 = std::ceil(hi * 1.1 / nice_step(hi, 4)) * nice_step(hi, 4);
    Chart chart(doc, "Dose per session: reps done against reps prescribed", "reps", range.x0,
                range.x1, 0, y1,
                {{"prescribed", kGreyBar, true}, {"done", kBlue, true}, {"stopped", kRed, true}});
    if (data.sessions.empty()) {
        chart.empty_message("No session in this period");
        return;
    }
    double per_day_w = chart.plot_width() / std::max(chart.days(), 1.0);
    double w = std::clamp(per_day_w * 0.7, 1.5, 16.0);
    std::map<std::string, int> per_day;
    for (const auto& s : data.sessions) {
        ++per_day[s.local_date];
    }
    for (std::size_t i = 0; i < data.sessions.size(); ++i) {
        const SessionRow& s = data.sessions[i];
        const double bw = w / per_day[s.local_date];
        if (s.prescribed_reps_total) {
            chart.bar(xs[i], *s.prescribed_reps_total, bw, kGreyBar);
        }
        const bool stopped = s.session.status == profiles::SessionStatus::StoppedPain ||
                             s.session.status == profiles::SessionStatus::StoppedRedFlag;
        chart.bar(xs[i], s.reps_done, bw * 0.6, stopped ? kRed : kBlue);
    }
}

void pain_chart(Doc& doc, const ReportData& data, const Range& range) {
    const auto xs = session_x(data);
    Chart chart(doc, "Pain per session (0–10)", "pain", range.x0, range.x1, 0, 10,
                {{"before", kMuted},
                 {"during (worst)", kRed},
                 {"after", kOrange},
                 {"next morning", kPurple}});
    chart.band(0, 3, Rgb{0.91, 0.96, 0.92});
    chart.band(3, 5, Rgb{0.99, 0.96, 0.88});
    chart.band(5, 10, Rgb{0.99, 0.92, 0.91});
    std::vector<Point> before;
    std::vector<Point> during;
    std::vector<Point> after;
    std::vector<Point> morning;
    for (std::size_t i = 0; i < data.sessions.size(); ++i) {
        const SessionRow& s = data.sessions[i];
        if (s.pain_before) {
            before.push_back({xs[i], static_cast<double>(*s.pain_before)});
        }
        if (s.pain_during_max) {
            during.push_back({xs[i], static_cast<double>(*s.pain_during_max)});
        }
        if (s.pain_after) {
            after.push_back({xs[i], static_cast<double>(*s.pain_after)});
        }
        if (s.pain_next_morning) {
            morning.push_back({xs[i], static_cast<double>(*s.pain_next_morning)});
        }
    }
    if (before.empty() && during.empty() && after.empty() && morning.empty()) {
        chart.empty_message("No pain rating in this period");
        return;
    }
    chart.polyline(before, kMuted, 1.0, 2);
    chart.polyline(morning, kPurple, 1.0, 2);
    chart.polyline(after, kOrange, 1.2, 2.2);
    chart.polyline(during, kRed, 1.4, 2.5);
}

void dose_table(Doc& doc, const ReportData& data) {
    doc.heading("Dose table");
    if (data.sessions.empty()) {
        doc.note("No session in this period.");
        return;
    }
    std::vector<std::vector<Cell>> rows;
    for (const SessionRow& s : data.sessions) {
        std::string prescribed = "–";
        if (s.prescribed) {
            const QuadSetDose& d = *s.prescribed;
            prescribed = fmt::format("{}×{}×{} s, {}–{} %", d.sets, d.reps, compact(d.hold_s),
                                     compact(d.band_low_pct), compact(d.band_high_pct));
        }
        const std::string done =
            fmt::format("{} · {}/{}", s.sets_done, s.reps_done,
                        s.prescribed_reps_total ? *s.prescribed_reps_total : s.reps_attempted);
        const bool stopped = s.session.status == profiles::SessionStatus::StoppedPain ||
                             s.session.status == profiles::SessionStatus::StoppedRedFlag;
        std::string pain = pain_text(s.pain_before) + " / " + pain_text(s.pain_during_max) + " / " +
                           pain_text(s.pain_after) + " / " + pain_text(s.pain_next_morning);
        if (s.pain_scale == "qv_faces") {
            pain += " (faces)";
        }
        std::string level = s.session.level_id;
        if (!s.session.source.is_measurement) {
            level += " *";
        }
        rows.push_back({
            {s.local_date},
            {exercise_text(s.exercises)},
            {level},
            {prescribed},
            {done},
            {s.mean_time_in_band_s ? compact(s.total_time_in_band_s) + " s" : "–"},
            Cell::inked(status_text(s.session.status),
                        stopped ? std::optional<Rgb>(kRed) : std::nullopt),
            {pain},
        });
    }
    table(doc,
          {{"Date", 13},
           {"Exercise", 12},
           {"Level", 6},
           {"Prescribed", 20},
           {"Sets · reps", 11},
           {"In band", 9, true},
           {"Status", 13},
           {"Pain B/D/A/NM", 14}},
          rows);
    doc.note(
        "Prescribed: quad-set sets × reps × hold, target band in % MVC. Sets · reps: sets done "
        "and reps completed / reps prescribed (all exercises). In band: total time in the "
        "target band. Pain: before / during (worst) / after / next morning, 0–10; "
        "\"faces\" marks the game's own faces scale (not FPS-R). * played with a source that "
        "is not a measurement (keyboard, gamepad or simulator).",
        7.5);
}

std::string flag_text(const std::string& id) {
    std::string s = id;
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

void red_flag_list(Doc& doc, const ReportData& data) {
    doc.heading("Red flags");
    if (data.red_flags.empty()) {
        doc.note("No red flag was answered \"yes\" in this period.");
        return;
    }
    std::vector<std::vector<Cell>> rows;
    for (const RedFlagRow& r : data.red_flags) {
        std::string flags;
        for (const auto& f : r.check.flags) {
            flags += (flags.empty() ? "" : ", ") + flag_text(f);
        }
        rows.push_back({{r.local_date + " " + r.local_time},
                        {r.check.moment == "in_session" ? "during a session" : "check-in"},
                        {r.check.session_id != 0 ? "#" + std::to_string(r.check.session_id) : "–"},
                        Cell::inked(flags, kRed)});
    }
    table(doc,
          {{"Date", 16}, {"When", 14}, {"Session", 9}, {"Answered yes (exercise stopped)", 61}},
          rows);
}

Rgb light_color(const std::string& light) {
    if (light == "green") {
        return kGreen;
    }
    if (light == "amber") {
        return kOrange;
    }
    if (light == "red") {
        return kRed;
    }
    return kGreyBar;
}

void decision_table(Doc& doc, const ReportData& data) {
    doc.heading("Adaptation decisions and their reasons");
    if (data.decisions.empty()) {
        doc.note("No adaptation decision in this period.");
        return;
    }
    std::vector<std::vector<Cell>> rows;
    for (const DecisionRow& r : data.decisions) {
        const profiles::DecisionRecord& d = r.decision;
        std::string change = "–";
        if (!d.variable.empty()) {
            change = d.variable;
            std::replace(change.begin(), change.end(), '_', ' ');
            if (d.from_value && d.to_value) {
                change += " " + compact(*d.from_value) + " → " + compact(*d.to_value);
            }
        }
        std::string action = d.action;
        std::replace(action.begin(), action.end(), '_', ' ');
        rows.push_back({{r.local_date},
                        {d.light, light_color(d.light)},
                        {action},
                        {change},
                        {d.reason + " [" + d.reason_code + "]"}});
    }
    table(doc, {{"Date", 13}, {"Light", 10}, {"Action", 11}, {"Change", 17}, {"Reason", 49}}, rows);
}

} // namespace

Status write_pdf_report(const ReportData& data, const ExportOptions& options,
                        const std::filesystem::path& out) {
    try {
        auto file = PrivateFile::create(out);
        if (!file) {
            return file.error();
        }
        const Range range = day_range(data);
        Status drawn = Ok{};
        {
            Doc doc(*file, "Knee exercise report · profile #" + std::to_string(data.profile.id) +
                               " · " + period_text(data, range));
            doc.set_metadata("Knee exercise report, profile " + std::to_string(data.profile.id),
                             period_text(data, range));
            doc.start();
            title_block(doc, data, options, range);
            tiles(doc, summarize(data, range));
            mvc_chart(doc, data, range);
            dose_chart(doc, data, range);
            pain_chart(doc, data, range);
            dose_table(doc, data);
            red_flag_list(doc, data);
            decision_table(doc, data);
            drawn = doc.finish();
        }
        if (!drawn) {
            return drawn;
        }
        return file->commit();
    } catch (const std::exception& e) {
        return fail(std::string("drawing the PDF report: ") + e.what());
    }
}

} // namespace qv::report
