// Boot self-tests of the capability core on the target: real upper-half kernel addresses
// in capabilities, Retype on RAM, and a Revoke preempted by a genuinely pending timer
// interrupt, taken, and resumed. (The host unit tests cover every operation and error.)
#include <arch/interface.hpp>
#include <boot/boot_state.hpp>
#include <boot/selftest.hpp>
#include <cpu/cpu.hpp>
#include <object/cspace.hpp>
#include <object/derivation.hpp>
#include <object/invocation.hpp>
#include <object/object_types.hpp>
#include <boot/selftest_space.hpp>

namespace tessera {

namespace {

constexpr unsigned kRootRadix = 8;
alignas(1u << (kRootRadix + kSlotSizeBits)) Slot selftest_cnode[1u << kRootRadix];
Slot selftest_cnode_slot;

} // namespace

// A 128 KiB Untyped over the first free RAM, used only in selftest mode (which powers off
// afterwards, so the memory is never also handed to a root task).
bool selftest_space_set_up(SelfTestContext& t) {
    constexpr unsigned untyped_bits = 17;
    for (const PhysRange& range : boot_state.memory.free) {
        u64 base = kstd::align_up(range.base, kstd::bit(untyped_bits));
        if (base >= range.end || range.end - base < kstd::bit(untyped_bits)) continue;
        u64 address = reinterpret_cast<u64>(arch::physical_to_virtual(PhysAddr{base}));
        for (Slot& slot : selftest_cnode) slot.clear();
        selftest_cnode_slot.clear();
        Capability cnode = Capability::cnode(reinterpret_cast<u64>(selftest_cnode), kRootRadix, 64 - kRootRadix, 0);
        // The CSpace root the invocations resolve in, and in slot 0 the CNode itself, as a
        // root task's own CNode capability would be.
        selftest_cnode_slot.cap = cnode;
        place_original(cnode, selftest_cnode[0]);
        place_original(Capability::untyped(address, untyped_bits, false), selftest_cnode[1]);
        return true;
    }
    t.expect(false, "no free range holds an aligned 128 KiB block");
    return false;
}

Slot& selftest_slot(u64 index) { return selftest_cnode[index]; }

InvocationReply selftest_invoke(u64 pointer, InvocationLabel label, kstd::Span<const u64> words, u64 extra_pointer,
                                PreemptionPoint& preemption) {
    MessageInfo info;
    info.label = static_cast<u64>(label);
    info.length = words.size();
    info.extra_caps = extra_pointer == ~u64{0} ? 0 : 1;
    const u64 extra[1] = {extra_pointer};
    return handle_invocation(selftest_cnode_slot.cap, pointer, info, words, kstd::Span<const u64>(extra, 1), preemption);
}

namespace {

bool no_interrupt_pending(void*) { return false; }
bool interrupt_is_pending(void*) { return arch::interrupt_pending(); }

InvocationReply invoke(u64 pointer, InvocationLabel label, kstd::Span<const u64> words, u64 extra_pointer,
                       PreemptionPoint& preemption) {
    return selftest_invoke(pointer, label, words, extra_pointer, preemption);
}
} // namespace

KERNEL_SELFTEST(CAP0001, "Retype, Mint and a preempted Revoke work on kernel memory, resuming after the interrupt") {
    if (!selftest_space_set_up(t)) return;
    PreemptionPoint never(no_interrupt_pending, nullptr);
    // Slot 0: the CNode; 1: the Untyped; 2: an endpoint retyped from it; 3: a badged
    // endpoint; 10..209: copies.
    const u64 retype[] = {static_cast<u64>(ObjectType::Endpoint), 0, 0, 0, 2, 1};
    InvocationReply reply = invoke(1, InvocationLabel::UntypedRetype, kstd::Span<const u64>(retype), 0, never);
    t.expect(reply.outcome == InvocationOutcome::Success, "retype failed: label {}", reply.info.label);
    Capability endpoint = selftest_cnode[2].cap;
    t.expect(endpoint.type() == CapType::Endpoint, "slot 2 holds {}", cap_type_name(endpoint.type()));
    t.expect(endpoint.address() >> 47 == (u64{1} << 17) - 1, "endpoint address {} is not an upper-half address",
             kstd::Hex{endpoint.address()});

    const u64 mint[] = {3, 64, 2, 64, Rights::kWrite, 0x77};
    reply = invoke(0, InvocationLabel::CNodeMint, kstd::Span<const u64>(mint), 0, never);
    t.expect(reply.outcome == InvocationOutcome::Success && selftest_cnode[3].cap.badge() == 0x77, "mint failed");
    for (u64 slot = 10; slot < 210; ++slot) {
        const u64 copy[] = {slot, 64, 2, 64, Rights::kMask};
        reply = invoke(0, InvocationLabel::CNodeCopy, kstd::Span<const u64>(copy), 0, never);
        if (!t.expect(reply.outcome == InvocationOutcome::Success, "copy into {} failed", slot)) return;
    }

    // Revoke with the timer interrupt pending but masked: it stops at a preemption point;
    // unmasking takes the tick; the restarted Revoke carries on.
    PreemptionPoint on_interrupt(interrupt_is_pending, nullptr);
    const u64 revoke[] = {2, 64};
    unsigned restarts = 0;
    for (;;) {
        arch::disable_interrupts();
        arch::set_timer_deadline(arch::read_timer());
        while (!arch::interrupt_pending()) {
        }
        reply = invoke(0, InvocationLabel::CNodeRevoke, kstd::Span<const u64>(revoke), ~u64{0}, on_interrupt);
        arch::enable_interrupts(); // the pending interrupt is taken here, before the restart
        t.expect(!arch::interrupt_pending(), "the pending interrupt was not taken");
        if (reply.outcome != InvocationOutcome::Restart) break;
        if (!t.expect(++restarts < 1000, "revoke makes no progress")) return;
    }
    t.expect(reply.outcome == InvocationOutcome::Success, "revoke ended with outcome {}", static_cast<u8>(reply.outcome));
    t.expect(restarts > 0, "revoke was never preempted although an interrupt was pending");
    t.expect(!has_children(selftest_cnode[2]), "the endpoint still has children");
    t.expect(selftest_cnode[3].is_empty() && selftest_cnode[10].is_empty() && selftest_cnode[209].is_empty(),
             "derived capabilities survived the revoke");
    t.expect(selftest_cnode[2].cap == endpoint, "the revoked capability itself changed");

    const u64 del[] = {1, 64};
    reply = invoke(0, InvocationLabel::CNodeRevoke, kstd::Span<const u64>(del), ~u64{0}, never);
    t.expect(reply.outcome == InvocationOutcome::Success && selftest_cnode[2].is_empty(),
             "revoking the Untyped left its endpoint");
}

} // namespace tessera
