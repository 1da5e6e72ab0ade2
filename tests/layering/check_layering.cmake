# Checks the one-way dependency rule of STYLE.md on the sources themselves (no compiler needed):
#
#   game -> input, content, profiles, engine -> core
#
# - core includes nothing from input, content, profiles or game;
# - input, content and profiles include only core (and themselves), never each other or game;
# - game/rules (SDL-free game logic) and engine (adaptation) include only core (and themselves);
# - none of core, input, content, profiles, engine, game/rules includes SDL;
# - only profiles includes sqlite3.h;
# - report (clinician exports) includes only core and profiles, never SDL.
#
# Usage: cmake -DQV_ROOT=<source tree> -P check_layering.cmake
# Prints one line per violation (file:line: the include: the rule) and fails when there is any.

cmake_minimum_required(VERSION 3.25)

if(NOT DEFINED QV_ROOT)
    message(FATAL_ERROR "check_layering: pass -DQV_ROOT=<source tree>")
endif()
get_filename_component(root "${QV_ROOT}" ABSOLUTE)
if(NOT IS_DIRECTORY "${root}")
    message(FATAL_ERROR "check_layering: ${root} is not a directory")
endif()

# The scanned modules and the directory each lives in, relative to the root.
set(modules core input content profiles engine rules report)
set(dir_core core)
set(dir_input input)
set(dir_content content)
set(dir_profiles profiles)
set(dir_engine engine)
set(dir_rules game/rules)
set(dir_report report)

# Project modules each module may include (besides itself).
set(allowed_core "")
set(allowed_input core)
set(allowed_content core)
set(allowed_profiles core)
set(allowed_engine core)
set(allowed_rules core)
set(allowed_report core profiles)

# The module a project include path names ("input/source.hpp" -> input), or "" for a header
# outside the project (standard library, third party) or a path relative to the including file.
function(module_of_include path out)
    set(result "")
    if(path MATCHES "^game/rules/")
        set(result rules)
    elseif(path MATCHES "^(core|input|content|profiles|engine|game)/")
        set(result "${CMAKE_MATCH_1}")
    elseif(path MATCHES "^report/")
        set(result report)
    endif()
    set(${out} "${result}" PARENT_SCOPE)
endfunction()

set(violations "")
set(violation_count 0)
set(file_count 0)

foreach(module IN LISTS modules)
    set(dir "${root}/${dir_${module}}")
    if(NOT IS_DIRECTORY "${dir}")
        continue()
    endif()
    file(GLOB_RECURSE sources LIST_DIRECTORIES false "${dir}/*.hpp" "${dir}/*.cpp")
    list(SORT sources)
    foreach(source IN LISTS sources)
        math(EXPR file_count "${file_count} + 1")
        file(RELATIVE_PATH rel "${root}" "${source}")
        file(READ "${source}" text)
        # Split into lines without letting CMake's list syntax interfere: characters that are
        # special in lists are replaced first (they never matter inside an include line we flag).
        string(REPLACE "\r" "" text "${text}")
        string(REPLACE "\\" "/" text "${text}")
        string(REPLACE ";" "," text "${text}")
        string(REPLACE "[" "(" text "${text}")
        string(REPLACE "]" ")" text "${text}")
        string(REPLACE "\n" ";" lines "${text}")
        set(line_no 0)
        foreach(line IN LISTS lines)
            math(EXPR line_no "${line_no} + 1")
            if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
                continue()
            endif()
            set(open "${CMAKE_MATCH_1}")
            set(path "${CMAKE_MATCH_2}")
            if(open STREQUAL "<")
                set(shown "<${path}>")
            else()
                set(shown "\"${path}\"")
            endif()
            set(problem "")
            get_filename_component(base "${path}" NAME)
            module_of_include("${path}" target)
            set(who "${dir_${module}}")
            if(target STREQUAL "rules")
                set(whom game)
            else()
                set(whom "${target}")
            endif()
            if(path MATCHES "^SDL" OR base MATCHES "^SDL")
                set(problem "${who} must not depend on SDL")
            elseif(base MATCHES "^sqlite3(ext)?\\.h$")
                if(NOT module STREQUAL "profiles")
                    set(problem "only profiles may use SQLite")
                endif()
            elseif(NOT target STREQUAL "" AND NOT target STREQUAL module)
                if(NOT target IN_LIST allowed_${module})
                    if(allowed_${module} STREQUAL "")
                        set(problem "core may include only core, not ${whom}")
                    else()
                        set(problem "${who} may include only core and itself, not ${whom}")
                    endif()
                endif()
            endif()
            if(module STREQUAL "report")
                string(REPLACE "only core and itself" "only core, profiles and itself" problem
                       "${problem}")
            endif()
            if(NOT problem STREQUAL "")
                math(EXPR violation_count "${violation_count} + 1")
                string(APPEND violations "${rel}:${line_no}: #include ${shown}: ${problem}\n")
            endif()
        endforeach()
    endforeach()
endforeach()

if(file_count EQUAL 0)
    message(FATAL_ERROR "check_layering: no sources found under ${root}")
endif()
if(violation_count GREATER 0)
    message("${violations}")
    message(FATAL_ERROR
            "check_layering: ${violation_count} layering violation(s) (${file_count} files scanned)")
endif()
message(STATUS "check_layering: ${file_count} files follow the dependency rule")
