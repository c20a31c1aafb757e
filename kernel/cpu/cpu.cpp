#include <cpu/cpu.hpp>

namespace tessera {

Cpu cpus[kMaxCpus];

} // namespace tessera
