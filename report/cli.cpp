#include "report/cli.hpp"

#include "profiles/store.hpp"

#include <charconv>
#include <exception>
#include <optional>
#include <system_error>

namespace qv::report {

namespace fs = std::filesystem;

std::string export_command_usage() {
    return "usage: quadventure --export csv|fhir|pdf --profile ID --out PATH\n"
           "                   [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--database FILE]\n"
           "                   [--include-name] [--patient-name TEXT] [--patient-id TEXT]\n"
           "                   [--patient-id-system URI]\n"
           "  csv:  PATH is a directory; writes profile-ID-sessions.csv and profile-ID-reps.csv\n"
           "  fhir: PATH is the FHIR R4 Bundle (JSON) to write\n"
           "  pdf:  PATH is the printable report to write\n"
           "  Dates are local calendar days, both included; files are created mode 0600.\n";
}

Result<ExportCommandArgs> parse_export_command(const std::vector<std::string>& words) {
    ExportCommandArgs args;
    bool have_format = false;
    bool have_profile = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        std::string name = words[i];
        std::optional<std::string> inline_value;
        if (const auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const auto value = [&]() -> Result<std::string> {
            if (inline_value) {
                return *inline_value;
            }
            if (i + 1 >= words.size()) {
                return fail(name + " needs a value");
            }
            return words[++i];
        };
        if (name == "--include-name") {
            if (inline_value) {
                return fail("--include-name takes no value");
            }
            args.options.include_profile_name = true;
            continue;
        }
        if (name != "--export" && name != "--profile" && name != "--from" && name != "--to" &&
            name != "--out" && name != "--database" && name != "--patient-name" &&
            name != "--patient-id" && name != "--patient-id-system") {
            return fail("unknown argument \"" + words[i] + "\"");
        }
        auto v = value();
        if (!v) {
            return v.error();
        }
        if (name == "--export") {
            auto format = export_format_from(*v);
            if (!format) {
                return format.error();
            }
            args.options.format = *format;
            have_format = true;
        } else if (name == "--profile") {
            std::int64_t id = 0;
            const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
            if (ec != std::errc{} || end != v->data() + v->size() || id <= 0) {
                return fail("bad profile id \"" + *v + "\": expected a positive whole number");
            }
            args.options.profile_id = id;
            have_profile = true;
        } else if (name == "--from") {
            args.options.from = *v;
        } else if (name == "--to") {
            args.options.to = *v;
        } else if (name == "--out") {
            args.options.out = *v;
        } else if (name == "--database") {
            args.database = *v;
        } else if (name == "--patient-name") {
            args.options.patient_name = *v;
        } else if (name == "--patient-id") {
            args.options.patient_identifier = *v;
        } else {
            args.options.patient_identifier_system = *v;
        }
    }
    if (!have_format) {
        return fail("--export csv|fhir|pdf is missing");
    }
    if (!have_profile) {
        return fail("--profile ID is missing");
    }
    if (auto s = validate_options(args.options); !s) {
        return s.error();
    }
    return args;
}

int run_export_command(const ExportCommandArgs& args, std::ostream& out, std::ostream& err) {
    try {
        const fs::path db =
            args.database.empty() ? profiles::default_database_path() : args.database;
        std::error_code ec;
        if (!fs::is_regular_file(db, ec)) {
            err << "quadventure: no database at " << db.string()
                << " (nothing has been recorded there; pass --database FILE)\n";
            return 1;
        }
        auto store = profiles::Store::open(db);
        if (!store) {
            err << "quadventure: " << store.error().message << "\n";
            return 1;
        }
        if (auto s = export_profile(**store, args.options); !s) {
            err << "quadventure: export failed: " << s.error().message << "\n";
            return 1;
        }
        for (const auto& file : output_files(args.options)) {
            out << "wrote " << file.string() << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        err << "quadventure: export failed: " << e.what() << "\n";
        return 1;
    }
}

int export_main(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
    auto args = parse_export_command(words);
    if (!args) {
        err << "quadventure: " << args.error().message << "\n" << export_command_usage();
        return 2;
    }
    return run_export_command(*args, out, err);
}

} // namespace qv::report
