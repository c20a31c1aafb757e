#include "harness.hpp"

using namespace tessera;

ROOTTASK_TEST(TCB0001, "ReadRegisters returns what WriteRegisters wrote to a stopped thread") {
    user::Tcb tcb(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    arch::UserContext written{};
    written.pc = 0x10000;
    for (unsigned i = 1; i <= 31; ++i) written.reg(i) = 0x1000 * i + i;
    REQUIRE_OK(t, tcb.write_registers(written, false));
    arch::UserContext read = REQUIRE_OK(t, tcb.read_registers());
    t.expect(read.pc == written.pc, "pc {} read back as {}", kstd::Hex{written.pc}, kstd::Hex{read.pc});
    for (unsigned i = 1; i <= 31; ++i)
        t.expect(read.reg(i) == written.reg(i), "x{}: wrote {}, read {}", i, kstd::Hex{written.reg(i)},
                 kstd::Hex{read.reg(i)});
}
