// Malformed answers to a fault: a label other than 0, a mask naming a register past a7,
// and a length that does not match the mask. Each is logged with what is wrong (checked
// by the system test) and leaves the thread suspended at its faulting load with its
// registers untouched (none of the answers' values is applied, though each names a pc).
// Resumed, the thread runs the load again and faults again; a well-formed answer at last
// lets it go on.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf120;
constexpr u64 kValue = 0x0bad'a115'0000'0120;
constexpr u64 kPcBit = u64{1} << static_cast<u64>(FaultReplyRegister::ProgramCounter);
constexpr u64 kSpBit = u64{1} << static_cast<u64>(FaultReplyRegister::StackPointer);
constexpr u64 kPastA7 = kFaultReplyMaskLimit; // bit 10: no such register

} // namespace

ROOTTASK_TEST(FLT0120, "malformed fault answers (label, mask, length) are logged and leave the thread suspended, its registers as they were") {
    reset_load();
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 page = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb thread =
        REQUIRE_OK(t, make_handled_thread(t, "fault-h-badans", load_thread, page, kRoot + 1, channel.handler_cap));
    const FaultRecord expected = vm_fault(kBadge, page, VmAccess::Read, load_instruction(), kCauseLoadPageFault);
    // Each names a pc far from the load: were it applied, the thread would be elsewhere.
    const u64 elsewhere = load_instruction() + 0x40;
    const struct {
        const char* what;
        user::IpcMessage answer;
    } answers[] = {
        {"label 5", user::IpcMessage(MessageInfo{5, 2, 0, 0}, kPcBit, elsewhere)},
        {"a mask with bit 10", user::IpcMessage(MessageInfo{0, 3, 0, 0}, kPcBit | kPastA7, elsewhere, 0)},
        {"two registers in a mask, one value", user::IpcMessage(MessageInfo{0, 2, 0, 0}, kPcBit | kSpBit, elsewhere)},
    };

    for (const auto& malformed : answers) {
        REQUIRE_OK(t, thread.resume()); // runs the load (again) and faults
        expect_fault(t, malformed.what, take_fault(channel), expected);
        IpcStatus answered = channel.reply.reply(malformed.answer);
        t.expect(answered == IpcStatus::Ok, "{}: the handler's Reply: {}", malformed.what, answered);
        expect_state(t, malformed.what, thread, ThreadStatus::Suspended);
        expect_pc(t, malformed.what, thread, load_instruction());
        t.expect(!g_load.done, "{}: the thread went past its load", malformed.what);
    }

    REQUIRE_OK(t, thread.resume());
    expect_fault(t, "after the malformed answers", take_fault(channel), expected);
    REQUIRE_OK(t, user::map_new_frame(t.objects(), t.root().objects, t.own_vspace(), page, VmRights::kReadWrite));
    reinterpret_cast<volatile u64*>(page)[0] = kValue;
    t.expect(answer(channel, user::FaultAnswer()) == IpcStatus::Ok, "the well-formed Reply failed");
    t.expect(g_load.done && g_load.value == kValue, "answered well, the thread did not load {} (done {}, value {})",
             kstd::Hex{kValue}, g_load.done, kstd::Hex{g_load.value});
    stop(t, thread);
}
