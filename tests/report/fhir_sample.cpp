// Writes FHIR bundles of a filled scratch database for the independent validator test:
//   report_fhir_sample <adult.json> <child.json>
#include "report/export.hpp"
#include "tests/report/fill.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: report_fhir_sample ADULT.json CHILD.json\n");
        return 2;
    }
    try {
        qv::report::test::use_utc();
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "qv-fhir-sample-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            std::perror("mkdtemp");
            return 1;
        }
        const std::filesystem::path dir = tmpl;
        int rc = 0;
        {
            auto store = qv::profiles::Store::open(dir / "quadventure.db");
            if (!store) {
                std::fprintf(stderr, "%s\n", store.error().message.c_str());
                return 1;
            }
            const auto filled = qv::report::test::fill(**store, 3);
            const std::int64_t ids[] = {filled.profile_id, filled.child_id};
            for (int i = 0; i < 2; ++i) {
                qv::report::ExportOptions o;
                o.format = qv::report::ExportFormat::Fhir;
                o.profile_id = ids[i];
                o.out = argv[1 + i];
                o.include_profile_name = i == 1;
                o.patient_name = i == 0 ? "Alex Example" : "";
                o.patient_identifier = i == 0 ? "MRN-0042" : "";
                o.patient_identifier_system = i == 0 ? "http://clinic.example/mrn" : "";
                if (auto s = qv::report::export_profile(**store, o); !s) {
                    std::fprintf(stderr, "%s\n", s.error().message.c_str());
                    rc = 1;
                }
            }
        }
        std::filesystem::remove_all(dir);
        return rc;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "report_fhir_sample: %s\n", e.what());
        return 1;
    }
}
