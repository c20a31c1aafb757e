#include <userlib/print.hpp>

#include "benchmarks.hpp"

namespace tessera::roottask {

int run_benchmarks(RootEnvironment&) {
    user::println("bench: no benchmarks yet");
    return 1;
}

} // namespace tessera::roottask
