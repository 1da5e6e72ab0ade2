#pragma once
// The program: command line, start-up, the main loop, and shut-down.

namespace qv::game {

/// Runs Quadventure with the process's arguments; returns the exit code.
int run_main(int argc, char** argv);

} // namespace qv::game
