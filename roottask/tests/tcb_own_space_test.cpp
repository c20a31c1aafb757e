// A thread configured with a CSpace and a VSpace of its own (a new CNode; a new root
// PageTable with an ASID) and an IPC buffer there. Its program exists only in its own
// VSpace, and it invokes slot 5 of its own CNode, a Frame: in the root task's CSpace slot
// 5 is the AsidControl, which would refuse Frame.GetAddress.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

static_assert(static_cast<u64>(Syscall::Call) == 1 && static_cast<u64>(Syscall::DebugSuspend) == 0x102,
              "the program's ecall numbers");
static_assert(static_cast<u64>(InvocationLabel::FrameGetAddress) == 0x2b, "the program's label");
static_assert(static_cast<u64>(RootSlot::AsidControl) == 5, "slot 5 must mean something else to the root task");

extern "C" {
extern const u8 tcb_space_program[];
extern const u8 tcb_space_program_end[];
}

// Position-independent: copied into a frame of the new VSpace. s0 points at its data page.
asm(R"(
    .text
    .balign 4
    .globl tcb_space_program
tcb_space_program:
    li a0, 5            # slot 5 of its own CNode
    li a1, 0x2b000      # Frame.GetAddress, no words
    li a7, 1            # Call
    ecall
    sd a1, 0(s0)        # the reply's message info
    sd a2, 8(s0)        # its word 0: the frame's physical address
    li a7, 0x102        # DebugSuspend
1:  ecall
    j 1b
    .globl tcb_space_program_end
tcb_space_program_end:
)");

namespace {

// Addresses in the new VSpace; the root task maps nothing there.
constexpr u64 kCodeAddress = 0x1000000;
constexpr u64 kDataAddress = kCodeAddress + kPageBytes;
constexpr u64 kIpcBufferAddress = kCodeAddress + 2 * kPageBytes;
constexpr unsigned kCNodeRadix = 4;
constexpr u64 kMarkerSlot = 5;

// A second capability to the object `source` names (a frame maps once per capability).
user::Result<user::CPtr> copy_cap(TestContext& t, user::CPtr source) {
    user::CPtr copy = TRY(t.objects().slots().allocate());
    TRY(t.own_cnode().copy(user::SlotPath::at(copy), t.own_cnode(), user::SlotPath::at(source), user::CapRights::all()));
    return copy;
}

} // namespace

ROOTTASK_TEST(TCB0006, "a thread configured with its own CNode, VSpace and IPC buffer runs there and uses its own caps") {
    // Its CSpace: a CNode with a Frame (the marker) in slot 5.
    user::CNode cnode(REQUIRE_OK(t, t.objects().allocate(ObjectType::CNode, kCNodeRadix)));
    user::Frame marker;
    REQUIRE_OK(t, t.new_mapped_page(&marker));
    const u64 marker_address = REQUIRE_OK(t, marker.get_address());
    REQUIRE_OK(t, cnode.copy(user::SlotPath{kMarkerSlot, kCNodeRadix}, t.own_cnode(), user::SlotPath::at(marker.cap()),
                             user::CapRights::all()));

    // Its VSpace: a new root with an ASID, holding the program, a data page and the IPC
    // buffer; the root task keeps its own mappings of the same frames to look.
    user::PageTable vspace(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, RootEnvironment::own_caps().asid_pool.assign(vspace));
    user::Frame code, data, ipc;
    auto* code_bytes = reinterpret_cast<u8*>(REQUIRE_OK(t, t.new_mapped_page(&code)));
    auto* data_words = reinterpret_cast<volatile u64*>(REQUIRE_OK(t, t.new_mapped_page(&data)));
    auto* ipc_buffer = reinterpret_cast<volatile IpcBuffer*>(REQUIRE_OK(t, t.new_mapped_page(&ipc)));
    for (const u8* byte = tcb_space_program; byte != tcb_space_program_end; ++byte) *code_bytes++ = *byte;
    asm volatile("fence.i" ::: "memory"); // the program is executed from these bytes next
    data_words[0] = ~u64{0};
    data_words[1] = ~u64{0};
    ipc_buffer->tag = 0xdead;
    user::Frame code_there(REQUIRE_OK(t, copy_cap(t, code.cap())));
    user::Frame data_there(REQUIRE_OK(t, copy_cap(t, data.cap())));
    user::Frame ipc_there(REQUIRE_OK(t, copy_cap(t, ipc.cap())));
    REQUIRE_OK(t, user::map_frame(t.objects(), vspace, code_there, kCodeAddress, VmRights::kReadExecute));
    REQUIRE_OK(t, user::map_frame(t.objects(), vspace, data_there, kDataAddress, VmRights::kReadWrite));
    REQUIRE_OK(t, user::map_frame(t.objects(), vspace, ipc_there, kIpcBufferAddress, VmRights::kReadWrite));

    user::Tcb thread(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    // The guard makes a capability pointer a slot number at depth 64, as in the root task.
    REQUIRE_OK(t, thread.configure(user::CPtr{0}, cnode, user::cnode_guard_data(0, 64 - kCNodeRadix), vspace, 0,
                                   kIpcBufferAddress, ipc_there));
    REQUIRE_OK(t, thread.set_priority(roottask::kRootRunPriority + 1, root_tcb()));
    REQUIRE_OK(t, thread.set_name("tcb-own-space"));
    arch::UserContext registers{};
    registers.pc = kCodeAddress;
    registers.reg(8) = kDataAddress; // s0
    // Above the root task: it runs to its DebugSuspend before this returns.
    REQUIRE_OK(t, thread.write_registers(registers, true));

    const u64 success_one_word = MessageInfo{0, 1, 0, 0}.to_word();
    t.expect(data_words[0] == success_one_word, "the reply's info was {} (expected success with one word)",
             kstd::Hex{data_words[0]});
    t.expect(data_words[1] == marker_address, "GetAddress answered {}, the marker frame is at {}",
             kstd::Hex{data_words[1]}, kstd::Hex{marker_address});
    t.expect(ipc_buffer->tag == success_one_word, "the IPC buffer's tag is {}: the kernel did not use that buffer",
             kstd::Hex{ipc_buffer->tag});
    arch::UserContext stopped = REQUIRE_OK(t, thread.read_registers(1));
    const u64 program_bytes = static_cast<u64>(tcb_space_program_end - tcb_space_program);
    t.expect(stopped.pc > kCodeAddress && stopped.pc < kCodeAddress + program_bytes,
             "the thread stopped at {}, outside its program", kstd::Hex{stopped.pc});
}
