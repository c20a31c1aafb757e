// A store to a page mapped read-only, with a fault handler: a VM fault (the address, a
// write, the store's pc, scause 15) although the page is present. The store did not reach
// the frame; the handler remaps the page read-write and answers with no words, and the
// store runs again and lands.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_readonly_store[];
}

namespace {

constexpr u64 kBadge = 0xf104;
constexpr u64 kOffset = 0x100;
constexpr u64 kValue = 0xfeed'0104'0000'0001;

volatile bool g_done;

[[gnu::noinline]] void write_word(u64 address) {
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_h_readonly_store\n"
                 "flt_h_readonly_store:\n"
                 "  sd %1, 0(%0)\n"
                 ".option pop\n"
                 :
                 : "r"(address), "r"(kValue)
                 : "memory");
    g_done = true;
}

} // namespace

ROOTTASK_TEST(FLT0104, "a store to a read-only page arrives as a VM fault (write); remapped read-write, the store runs again") {
    g_done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 page = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Frame frame =
        REQUIRE_OK(t, user::map_new_frame(t.objects(), t.root().objects, t.own_vspace(), page, VmRights::kReadOnly));
    const volatile u64* word = reinterpret_cast<const volatile u64*>(page + kOffset);
    user::Tcb writer = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-ro", write_word, page + kOffset, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, writer.resume());

    t.expect(!g_done, "the store to a read-only page went through");
    const u64 store = reinterpret_cast<u64>(flt_h_readonly_store);
    expect_fault(t, "the fault", take_fault(channel),
                 vm_fault(kBadge, page + kOffset, VmAccess::Write, store, kCauseStorePageFault));
    t.expect(*word == 0, "the faulted store reached the frame: {}", kstd::Hex{*word});

    REQUIRE_OK(t, frame.remap(VmRights::kReadWrite));
    IpcStatus answered = answer(channel, user::FaultAnswer());
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    t.expect(g_done, "answered, the thread did not go on");
    t.expect(*word == kValue, "the page holds {} where the retried store wrote {}", kstd::Hex{*word},
             kstd::Hex{kValue});
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, writer);
}
