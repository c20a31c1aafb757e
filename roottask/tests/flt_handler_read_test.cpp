// A load from an unmapped page, with a fault handler: the handler (the root task) gets a
// VM fault naming the exact address, a read, the load's pc and scause 13, with the badge
// of the thread's fault endpoint capability. It maps a page there and answers with no
// words; the thread runs the load again, reads what the handler put there and goes on.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_read_load[];
}

namespace {

constexpr u64 kBadge = 0xf101;
// Inside the page rather than at its start: the message must name the byte accessed.
constexpr u64 kOffset = 0x238;
constexpr u64 kValue = 0x5eed'0101'cafe'f00d;

struct ReadOutcome {
    volatile u64 value;
    volatile bool done;
};
ReadOutcome g_read;

[[gnu::noinline]] void read_word(u64 address) {
    u64 value;
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_h_read_load\n"
                 "flt_h_read_load:\n"
                 "  ld %0, 0(%1)\n"
                 ".option pop\n"
                 : "=r"(value)
                 : "r"(address)
                 : "memory");
    g_read.value = value;
    g_read.done = true;
}

} // namespace

ROOTTASK_TEST(FLT0101, "a read page fault arrives as a VM fault (address, read, pc, cause); mapping the page and resuming retries the load") {
    g_read.value = 0;
    g_read.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 page = REQUIRE_OK(t, t.root().addresses.reserve(1)); // reserved, not mapped yet
    user::Tcb reader = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-read", read_word, page + kOffset, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, reader.resume());

    // It ran at once and faulted: its fault waits in the endpoint's queue, and so does it.
    t.expect(!g_read.done, "the load went through with nothing mapped");
    expect_state(t, "with its fault queued", reader, ThreadStatus::BlockedOnSend);
    const u64 load = reinterpret_cast<u64>(flt_h_read_load);
    expect_fault(t, "the fault", take_fault(channel),
                 vm_fault(kBadge, page + kOffset, VmAccess::Read, load, kCauseLoadPageFault));
    expect_state(t, "with its fault received", reader, ThreadStatus::BlockedOnReply);
    expect_pc(t, "with its fault received", reader, load);

    REQUIRE_OK(t, user::map_new_frame(t.objects(), t.root().objects, t.own_vspace(), page, VmRights::kReadWrite));
    reinterpret_cast<volatile u64*>(page + kOffset)[0] = kValue;
    IpcStatus answered = answer(channel, user::FaultAnswer());
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    // Above the root task, it ran on before the Reply returned.
    t.expect(g_read.done, "answered, the thread did not go on");
    t.expect(g_read.value == kValue, "the retried load read {}, the handler wrote {}", kstd::Hex{g_read.value},
             kstd::Hex{kValue});
    expect_state(t, "at its end", reader, ThreadStatus::Suspended);
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, reader);
}
