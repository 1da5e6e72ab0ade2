# Proves check_layering.cmake can fail: runs it on fixtures/, a tree that breaks every rule once
# or more next to includes that are allowed, and requires exactly the expected violations.
#
# Usage: cmake -DQV_CHECK=<check_layering.cmake> -DQV_FIXTURES=<fixtures dir> -P selftest_layering.cmake

cmake_minimum_required(VERSION 3.25)

foreach(var QV_CHECK QV_FIXTURES)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "selftest_layering: pass -D${var}=...")
    endif()
endforeach()

execute_process(COMMAND "${CMAKE_COMMAND}" "-DQV_ROOT=${QV_FIXTURES}" -P "${QV_CHECK}"
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")

if(result EQUAL 0)
    message(FATAL_ERROR "selftest_layering: the check passed on a tree that breaks the rule:\n${all}")
endif()

# Every violation in the fixtures, as file:line: include (the rule text follows).
set(expected
    "core/clock.hpp:4: #include \"input/source.hpp\": core may include only core"
    "core/clock.hpp:5: #include <SDL2/SDL.h>: core must not depend on SDL"
    "input/drivers/demo/demo.cpp:5: #include \"profiles/store.hpp\": input may include only core"
    "input/drivers/demo/demo.cpp:6: #include \"game/rules/quadset.hpp\": input may include only core"
    "input/drivers/demo/demo.cpp:7: #include <sqlite3.h>: only profiles may use SQLite"
    "input/drivers/demo/demo.cpp:8: #include <SDL.h>: input must not depend on SDL"
    "content/loader.cpp:4: #include \"input/hub.hpp\": content may include only core"
    "game/rules/quadset.cpp:4: #include \"content/content.hpp\": game/rules may include only core"
    "game/rules/quadset.cpp:5: #include \"game/screens/panel.hpp\": game/rules may include only core"
    "game/rules/quadset.cpp:6: #include <SDL2/SDL_mixer.h>: game/rules must not depend on SDL")

set(missing "")
foreach(line IN LISTS expected)
    string(FIND "${all}" "${line}" at)
    if(at EQUAL -1)
        string(APPEND missing "  ${line}\n")
    endif()
endforeach()

# Nothing else may be reported: allowed includes (profiles -> sqlite3.h, anything -> core, a
# module -> itself, relative includes, comments, the rest of game) must stay quiet.
string(REGEX MATCHALL "[^\n]+:[0-9]+: #include [^\n]+" reported "${all}")
list(LENGTH reported reported_count)
list(LENGTH expected expected_count)

if(NOT missing STREQUAL "" OR NOT reported_count EQUAL expected_count)
    message(FATAL_ERROR "selftest_layering: expected ${expected_count} violations, "
                        "got ${reported_count}; not reported:\n${missing}output:\n${all}")
endif()
message(STATUS "selftest_layering: all ${expected_count} planted violations reported")
