#include "harness.hpp"

using namespace tessera;

ROOTTASK_TEST(BOOT0001, "BootInfo lists RAM untypeds, empty slots and the boot image") {
    const user::BootInfoView& info = t.root().boot_info;
    t.expect(info.ram_untyped_bytes() > 0, "no RAM untyped");
    t.expect(info.empty_slots().count() > 0, "no empty slots");
    t.expect(info.raw().ipc_buffer == kRootIpcBufferAddress, "IPC buffer at {}", kstd::Hex{info.raw().ipc_buffer});
    t.expect(info.boot_image().size() > 0, "no boot image");
    t.expect(info.raw().stack_top == kRootStackTop, "stack top {}", kstd::Hex{info.raw().stack_top});
}
