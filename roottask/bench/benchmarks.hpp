#pragma once
// The benchmarks `make bench` runs (docs/performance.md): with `bench` on the command line
// the root task starts no drivers and no tests, measures, prints one JSON object per
// metric, and powers the machine off.
#include "../root_environment.hpp"

namespace tessera::roottask {

// Returns the process status: 0 when every benchmark ran.
int run_benchmarks(RootEnvironment& root);

} // namespace tessera::roottask
