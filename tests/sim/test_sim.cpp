#include "tools/sim/cohort.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace {

struct Run {
    std::string out;
    int status = -1;
};

// Runs the simulator with `args`; stdout only unless `merge_stderr`.
Run run_sim(const std::string& args, bool merge_stderr = false) {
    const std::string cmd = std::string("\"") + QV_SIM_BINARY + "\" " + args +
                            (merge_stderr ? " 2>&1" : " 2>/dev/null");
    Run r;
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
        r.out.append(buf.data(), n);
    const int status = pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string tiny() {
    return std::string("--cohort \"") + QV_SIM_DATA + "/tiny_cohort.toml\"";
}

// The whitespace-separated fields of the table row that starts with `policy`.
std::vector<std::string> row(const std::string& table, const std::string& policy) {
    std::istringstream lines(table);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string first;
        fields >> first;
        if (first != policy)
            continue;
        std::vector<std::string> out{first};
        for (std::string f; fields >> f;)
            out.push_back(f);
        return out;
    }
    return {};
}

} // namespace

TEST_CASE("quadventure-sim: 20 patients, every policy, safety invariants of the engine") {
    const Run r = run_sim(tiny() + " --seed 7 --patients 20 --threads 2");
    REQUIRE(r.status == 0);
    INFO(r.out);
    // Columns: policy zone% viol/100 redflag% over% under% days-tgt reach% MVC+6wk MVC+end
    // regret sessions
    for (const char* policy : {"engine", "fixed", "staircase", "oracle"})
        REQUIRE(row(r.out, policy).size() == 12);
    const auto engine = row(r.out, "engine");
    CHECK(engine[2] == "0.00");  // no progression on a non-green day
    CHECK(engine[3] == "100.0"); // every red-flag event stopped exercise
    CHECK(std::stoi(engine[11]) > 0);
    CHECK(row(r.out, "oracle")[3] == "100.0");
    // The tiny cohort makes red flags frequent, so the 100 % is not vacuous.
    const auto at = r.out.find("red-flag events: ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stoi(r.out.substr(at + 17)) > 0);
}

TEST_CASE("quadventure-sim: same output for the same seed and any thread count") {
    // Eight patients: enough for two threads to interleave, and four runs stay cheap under ASan.
    const Run a = run_sim(tiny() + " --seed 11 --patients 8 --threads 1");
    const Run b = run_sim(tiny() + " --seed 11 --patients 8 --threads 2");
    const Run c = run_sim(tiny() + " --seed 11 --patients 8 --threads 2");
    const Run d = run_sim(tiny() + " --seed 12 --patients 8 --threads 2");
    REQUIRE(a.status == 0);
    CHECK(a.out == b.out);
    CHECK(b.out == c.out);
    CHECK(a.out != d.out);
}

TEST_CASE("quadventure-sim: a bad cohort or option is a clear error, not a crash") {
    const Run broken = run_sim(
        std::string("--cohort \"") + QV_SIM_DATA + "/broken_cohort.toml\" --patients 2", true);
    CHECK(broken.status == 2);
    CHECK(broken.out.find("broken_cohort.toml:7: rules.rep_timeout_grase_s: unknown key") !=
          std::string::npos);
    const Run missing = run_sim("--cohort /nonexistent/cohort.toml", true);
    CHECK(missing.status == 2);
    CHECK(missing.out.find("cannot open") != std::string::npos);
    const Run bad = run_sim("--patients zero", true);
    CHECK(bad.status == 2);
}

TEST_CASE("cohort loader: errors name the file, the line and the key") {
    auto r = qv::sim::parse_cohort("[rules]\nrep_timeout_factor = \"two\"\n[[condition]]\nid = "
                                   "\"x\"\nshare = 1\n[condition.start]\n[condition.caps]\n",
                                   "c.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "c.toml:2: rules.rep_timeout_factor must be a number");
    auto syntax = qv::sim::parse_cohort("[rules\n", "s.toml");
    REQUIRE_FALSE(syntax.ok());
    CHECK(syntax.error().message.rfind("s.toml:1:", 0) == 0);
    auto range = qv::sim::parse_cohort(
        "[rules]\n[[condition]]\nid = \"x\"\nshare = 1\nadherence = [0.9, 0.5]\n", "r.toml");
    REQUIRE_FALSE(range.ok());
    CHECK(range.error().message == "r.toml:5: condition 1: adherence low must not be above high");
}

TEST_CASE("cohort loader: the default cohort loads") {
    auto c =
        qv::sim::load_cohort(std::string(QV_SIM_DATA) + "/../../content/data/cohorts/default.toml");
    REQUIRE(c.ok());
    CHECK(c->conditions.size() == 4);
    CHECK(c->patients == 1000);
}
