// A store to an unmapped page, with a fault handler whose capability has grant rather than
// grant-reply (either lets the kernel make its Call): a VM fault naming the address, a
// write, the store's pc and scause 15. The handler maps a page and answers with no words;
// the store runs again and lands in the handler's page.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_write_store[];
}

namespace {

constexpr u64 kBadge = 0xf102;
constexpr u64 kOffset = 0x7f8; // the last word of the page's first half
constexpr u64 kValue = 0x0102'0304'0506'0708;

volatile bool g_done;

[[gnu::noinline]] void write_word(u64 address) {
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_h_write_store\n"
                 "flt_h_write_store:\n"
                 "  sd %1, 0(%0)\n"
                 ".option pop\n"
                 :
                 : "r"(address), "r"(kValue)
                 : "memory");
    g_done = true;
}

} // namespace

ROOTTASK_TEST(FLT0102, "a write page fault arrives as a VM fault (address, write, pc, cause); the retried store lands in the mapped page") {
    g_done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge, kWriteGrant));
    const u64 page = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb writer = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-write", write_word, page + kOffset, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, writer.resume());

    t.expect(!g_done, "the store went through with nothing mapped");
    const u64 store = reinterpret_cast<u64>(flt_h_write_store);
    expect_fault(t, "the fault", take_fault(channel),
                 vm_fault(kBadge, page + kOffset, VmAccess::Write, store, kCauseStorePageFault));
    expect_state(t, "with its fault received", writer, ThreadStatus::BlockedOnReply);

    REQUIRE_OK(t, user::map_new_frame(t.objects(), t.root().objects, t.own_vspace(), page, VmRights::kReadWrite));
    IpcStatus answered = answer(channel, user::FaultAnswer());
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    t.expect(g_done, "answered, the thread did not go on");
    u64 stored = reinterpret_cast<volatile u64*>(page + kOffset)[0];
    t.expect(stored == kValue, "the page holds {} where the retried store wrote {}", kstd::Hex{stored},
             kstd::Hex{kValue});
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, writer);
}
