#include <cpu/cpu.hpp>

namespace tessera {

// constinit: the records must be valid from the first instruction, before any constructor.
constinit Cpu cpus[kMaxCpus];

} // namespace tessera
