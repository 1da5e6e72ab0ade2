#include "core/rng.hpp"

#include <catch2/catch.hpp>
#include <cmath>

TEST_CASE("Rng gives the same sequence for the same seed and differs across seeds", "[rng]") {
    qv::Rng a(42), b(42), c(43);
    for (int i = 0; i < 100; ++i) {
        const auto x = a.next();
        CHECK(x == b.next());
        CHECK(x != c.next());
    }
}

TEST_CASE("Rng normal has mean 0 and standard deviation 1", "[rng]") {
    qv::Rng rng(7);
    double sum = 0, sum_sq = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double x = rng.normal();
        sum += x;
        sum_sq += x * x;
    }
    const double mean = sum / n;
    const double sd = std::sqrt(sum_sq / n - mean * mean);
    CHECK(std::abs(mean) < 0.01);
    CHECK(std::abs(sd - 1.0) < 0.01);
}

TEST_CASE("Rng uniform stays in its range", "[rng]") {
    qv::Rng rng(3);
    for (int i = 0; i < 10000; ++i) {
        const double x = rng.uniform(2.0, 5.0);
        REQUIRE(x >= 2.0);
        REQUIRE(x < 5.0);
    }
}
