// Translations: every language is complete against English (same keys, same placeholders), the
// current language answers with an English fallback, and --check-content reports the gaps.

#include "content/content.hpp"
#include "support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

using namespace qv::content;
using qv::content::test::ScratchDir;

TEST_CASE("German is complete: every English key, with the same placeholders",
          "[content][languages]") {
    const Content c = load_builtin().content;
    REQUIRE(c.translations.count("de") == 1);
    // Fails the moment someone adds an English text without its German one: add the key to
    // content/data/texts/de.toml (docs/accessibility.md, "Adding a language").
    const auto gaps = check_translations(c);
    std::string listed;
    for (const auto& gap : gaps)
        listed += gap.to_string() + "\n";
    INFO(listed);
    CHECK(gaps.empty());
    CHECK(c.translations.at("de").size() == c.texts.size());
}

TEST_CASE("languages are listed with their own names, English first", "[content][languages]") {
    const Content c = load_builtin().content;
    const auto langs = c.languages();
    REQUIRE(langs.size() >= 2);
    CHECK(langs[0].code == "en");
    CHECK(langs[0].name == "English");
    auto de =
        std::find_if(langs.begin(), langs.end(), [](const Language& l) { return l.code == "de"; });
    REQUIRE(de != langs.end());
    CHECK(de->name == "Deutsch");
}

TEST_CASE("text() answers in the chosen language and falls back to English",
          "[content][languages]") {
    ScratchDir dir;
    dir.write("texts/en.toml", "[t]\nhello = \"Hello\"\nonly_en = \"Only English\"\n");
    dir.write("texts/de.toml", "[t]\nhello = \"Hallo\"\n");
    const Content c = load(dir.path()).content;
    CHECK(c.language() == "en");
    CHECK(c.text("t.hello") == "Hello");
    CHECK(c.set_language("de"));
    CHECK(c.language() == "de");
    CHECK(c.text("t.hello") == "Hallo");
    CHECK(c.text("t.only_en") == "Only English"); // missing in German: English, logged once
    CHECK(c.text("t.only_en") == "Only English");
    CHECK(c.language_choice.logged_missing.count("de:t.only_en") == 1);
    CHECK(c.text("t.nowhere") == "[t.nowhere]");
    CHECK_FALSE(c.set_language("xx"));
    CHECK(c.language() == "en");
}

TEST_CASE("check_translations reports missing and extra keys and different placeholders",
          "[content][languages]") {
    Content c;
    c.texts = {{"a", "Set {} of {}"}, {"b", "Plain"}, {"c", "Because {pain}, {change}."}};
    c.translations["de"] = {{"a", "Satz {}"}, {"c", "{change}, weil {pain}."}, {"z", "Extra"}};
    const auto gaps = check_translations(c);
    std::vector<std::string> lines;
    for (const auto& g : gaps)
        lines.push_back(g.to_string());
    CHECK(lines == std::vector<std::string>{
                       "texts/de.toml:0: text 'a' has placeholders {}, but English has {} {}",
                       "texts/de.toml:0: text 'b' is missing (English: \"Plain\")",
                       "texts/de.toml:0: text 'z' is not in English"});
}

TEST_CASE("check_content counts translation gaps as problems", "[content][languages]") {
    ScratchDir dir;
    dir.write("texts/de.toml", "[brand_new]\nkey = \"Nur auf Deutsch\"\n");
    std::ostringstream out;
    CHECK(check_content(dir.path(), out) == 1);
    CHECK(out.str().find("texts/de.toml:0: text 'brand_new.key' is not in English") !=
          std::string::npos);
}
