// A fault handler of lower priority than the thread it handles. The fault is a Call made
// at the faulting thread's priority, but the faulting thread then waits for the answer, so
// the handler runs although it is lower: it receives the fault, and the faulting thread
// does not move until it has answered; the answer makes the faulting thread runnable
// again, and being higher it runs at once, before the handler's Reply returns.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_low_store[];
}

namespace {

constexpr u64 kBadge = 0xf112;
constexpr u64 kValue = 0x1011'2000'0000'0112;
constexpr u64 kHandlerPriority = kRoot + 1;
constexpr u64 kFaulterPriority = kRoot + 2;

EventLog g_events;
HandlerThread g_handler;
user::Frame g_frame;          // the read-only page the faulting thread writes to
volatile bool g_went_on;      // set by the faulting thread after its store
volatile bool g_seen_waiting; // the handler found the faulting thread had not gone on
volatile bool g_remapped;

[[gnu::noinline]] void write_word(u64 address) {
    g_events.add('F');
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_h_low_store\n"
                 "flt_h_low_store:\n"
                 "  sd %1, 0(%0)\n"
                 ".option pop\n"
                 :
                 : "r"(address), "r"(kValue)
                 : "memory");
    g_went_on = true;
    g_events.add('R');
}

user::FaultAnswer remap_writable(const FaultRecord&) {
    g_seen_waiting = !g_went_on;
    g_remapped = g_frame.remap(VmRights::kReadWrite).ok();
    return user::FaultAnswer();
}

} // namespace

ROOTTASK_TEST(FLT0112, "a handler below the faulting thread's priority gets the fault; the faulting thread waits, then runs first once answered") {
    g_events.clear();
    g_went_on = false;
    g_seen_waiting = false;
    g_remapped = false;
    g_handler = HandlerThread{};
    g_handler.channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    g_handler.decide = remap_writable;
    g_handler.events = &g_events;
    g_handler.on_receive = 'H';
    g_handler.on_answered = 'h';
    const u64 page = REQUIRE_OK(t, t.root().addresses.reserve(1));
    g_frame =
        REQUIRE_OK(t, user::map_new_frame(t.objects(), t.root().objects, t.own_vspace(), page, VmRights::kReadOnly));

    user::Tcb handler = REQUIRE_OK(t, start_handler(t, "flt-h-handler", g_handler, kHandlerPriority));
    expect_state(t, "the handler before any fault", handler, ThreadStatus::BlockedOnReceive);
    user::Tcb writer = REQUIRE_OK(t, make_handled_thread(t, "fault-h-lowprio", write_word, page, kFaulterPriority,
                                                         g_handler.channel.handler_cap));
    // Both are above the root task: the whole exchange is over before Resume returns.
    REQUIRE_OK(t, writer.resume());

    t.expect(g_events.equals("FHRh"), "events {} (expected FHRh: fault, handler, faulting thread, handler)",
             g_events.view());
    t.expect(g_handler.handled == 1, "the handler answered {} faults", g_handler.handled);
    expect_fault(t, "the fault", g_handler.records[0],
                 vm_fault(kBadge, page, VmAccess::Write, reinterpret_cast<u64>(flt_h_low_store), kCauseStorePageFault));
    t.expect(g_handler.answered[0] == IpcStatus::Ok, "the handler's Reply: {}", g_handler.answered[0]);
    t.expect(g_seen_waiting, "the faulting thread went on before the handler answered");
    t.expect(g_remapped, "the handler could not remap the page");
    t.expect(g_went_on, "answered, the faulting thread did not go on");
    t.expect(*reinterpret_cast<volatile u64*>(page) == kValue, "the retried store did not land");
    stop(t, writer, handler);
}
