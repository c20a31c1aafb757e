#pragma once
// The register order of TCB.ReadRegisters / WriteRegisters on riscv64: word 0 is the pc,
// word i (1..31) is x[i]. ABI: userlib shares this header. CopyRegisters moves the
// "frame" registers (pc, ra, sp, gp, tp, s0..s11) and the "integer" ones (t0..t6,
// a0..a7) as separate choices, like seL4.
#include <kstd/types.hpp>

namespace arch {

inline constexpr u64 kUserContextWords = 32;

// e_machine of the ELF files user programs come in (EM_RISCV).
inline constexpr u16 kUserElfMachine = 243;

struct UserContext {
    u64 pc;
    u64 x[31]; // x1..x31: ra, sp, gp, tp, t0, t1, t2, s0, s1, a0..a7, s2..s11, t3..t6

    u64& reg(unsigned number) { return x[number - 1]; } // number: 1..31, the x register
};
static_assert(sizeof(UserContext) == kUserContextWords * 8);

// Whether x[number] (1..31) belongs to the frame set; the pc always does.
constexpr bool is_frame_register(unsigned number) {
    return number == 1 || number == 2 || number == 3 || number == 4 || number == 8 || number == 9 ||
           (number >= 18 && number <= 27);
}

} // namespace arch
