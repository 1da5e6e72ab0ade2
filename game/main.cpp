// Quadventure's entry point; everything else is in the libraries.
#include "game/app.hpp"

int main(int argc, char** argv) {
    return qv::game::run_main(argc, argv);
}
