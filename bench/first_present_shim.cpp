// An LD_PRELOAD shim for the start-up benchmark: wraps SDL_RenderPresent and, on the first call,
// writes CLOCK_MONOTONIC (nanoseconds) to $QV_FIRST_PRESENT_FILE; with $QV_FIRST_PRESENT_EXIT
// set it then ends the process at once. The game and the bare SDL program run unchanged.

#include <SDL.h>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <dlfcn.h>
#include <unistd.h>

extern "C" void SDL_RenderPresent(SDL_Renderer* renderer) {
    using Present = void (*)(SDL_Renderer*);
    static const auto real = reinterpret_cast<Present>(dlsym(RTLD_NEXT, "SDL_RenderPresent"));
    static bool first = true;
    real(renderer);
    if (!first) {
        return;
    }
    first = false;
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (const char* file = std::getenv("QV_FIRST_PRESENT_FILE")) {
        if (std::FILE* f = std::fopen(file, "w")) {
            std::fprintf(f, "%lld\n",
                         static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec);
            std::fclose(f);
        }
    }
    if (std::getenv("QV_FIRST_PRESENT_EXIT") != nullptr) {
        _exit(0);
    }
}
