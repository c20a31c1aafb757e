// Boot self-test of user mode on riscv64: threads in their own address space, entered
// through sret, back through ecall, interrupts and faults; the scheduler's priorities and
// round robin; a faulting thread suspended while the others run on.
#include <abi/vm.hpp>
#include <arch/address_space.hpp>
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <boot/selftest_space.hpp>
#include <cpu/cpu.hpp>
#include <object/derivation.hpp>
#include <object/object_types.hpp>
#include <sched/kernel_entry.hpp>

extern "C" {
extern const u8 riscv64_user_program_start[];
extern const u8 riscv64_user_program_end[];
u64 riscv64_save_kernel_context(u64 context[14]);
[[noreturn]] void riscv64_resume_kernel_context(u64 context[14]);
}

namespace arch {

namespace {

using tessera::Capability;
using tessera::InvocationLabel;
using tessera::ObjectType;
using tessera::Slot;
using tessera::Tcb;

constexpr u64 kCodeAddress = 0x10000;
constexpr u64 kStackBase = 0x100000;
constexpr u64 kThreads = 6;
// Slots of the self-test space: page tables 20.. (the last one becomes the root), frames
// 30.. (code, then stacks), TCBs 40..; the ASID pool's Untyped, AsidControl and the pool 60..
constexpr u64 kTableSlots = 20, kTableCount = 2, kCodeSlot = 30, kStackSlots = 31, kTcbSlots = 40;
constexpr u64 kRootSlot = kTableSlots + kTableCount;
constexpr u64 kDeletedTcbSlot = 50;
constexpr u64 kPoolUntypedSlot = 60, kAsidControlSlot = 61, kPoolSlot = 62;

u64 saved_context[14];

bool no_interrupt(void*) { return false; }

void finish_when_idle() { riscv64_resume_kernel_context(saved_context); }

bool invoke(tessera::SelfTestContext& t, u64 pointer, InvocationLabel label, kstd::Span<const u64> words,
            kstd::Span<const u64> extra) {
    tessera::PreemptionPoint never(no_interrupt, nullptr);
    tessera::MessageInfo info;
    info.label = static_cast<u64>(label);
    info.length = words.size();
    info.extra_caps = extra.size();
    auto reply = tessera::handle_invocation(tessera::selftest_slot(0).cap, pointer, info, words, extra, never);
    return t.expect(reply.outcome == tessera::InvocationOutcome::Success, "invocation {} on slot {} failed: error {}",
                    static_cast<u64>(label), pointer, reply.info.label);
}

bool retype(tessera::SelfTestContext& t, ObjectType type, u64 size_bits, u64 first_slot, u64 count) {
    const u64 words[] = {static_cast<u64>(type), size_bits, 0, 0, first_slot, count};
    const u64 extra[] = {0};
    return invoke(t, 1, InvocationLabel::UntypedRetype, kstd::Span<const u64>(words), kstd::Span<const u64>(extra));
}

// One address space for all threads, built the way a root task builds one: an ASID pool
// from a 4 KiB Untyped, a root table with an ASID (which brings the kernel half), the
// tables below it, then the program (read, execute) and a stack per thread (read, write).
bool build_address_space(tessera::SelfTestContext& t) {
    install_address_space_objects();
    if (!retype(t, ObjectType::Untyped, 12, kPoolUntypedSlot, 1)) return false;
    tessera::place_original(Capability::asid_control(), tessera::selftest_slot(kAsidControlSlot));
    const u64 pool_words[] = {kPoolSlot, 64};
    const u64 pool_extra[] = {kPoolUntypedSlot, 0};
    const u64 root_extra[] = {kRootSlot};
    if (!invoke(t, kAsidControlSlot, InvocationLabel::AsidControlMakePool, kstd::Span<const u64>(pool_words),
                kstd::Span<const u64>(pool_extra)) ||
        !invoke(t, kPoolSlot, InvocationLabel::AsidPoolAssign, {}, kstd::Span<const u64>(root_extra)))
        return false;
    const u64 table_words[] = {kCodeAddress, tessera::kVmAttributesNone};
    for (u64 i = 0; i < kTableCount; ++i)
        if (!invoke(t, kTableSlots + i, InvocationLabel::PageTableMap, kstd::Span<const u64>(table_words),
                    kstd::Span<const u64>(root_extra)))
            return false;

    Slot& root = tessera::selftest_slot(kRootSlot);
    u64 code = tessera::selftest_slot(kCodeSlot).cap.address();
    usize program_size = static_cast<usize>(riscv64_user_program_end - riscv64_user_program_start);
    __builtin_memcpy(reinterpret_cast<void*>(code), riscv64_user_program_start, program_size);
    asm volatile("fence.i" ::: "memory");
    auto mapped = boot_map_frame(root, tessera::selftest_slot(kCodeSlot), kCodeAddress, tessera::VmRights::kReadExecute);
    for (u64 i = 0; i < kThreads && mapped; ++i)
        mapped = boot_map_frame(root, tessera::selftest_slot(kStackSlots + i), kStackBase + i * 2 * PAGE_SIZE,
                                tessera::VmRights::kReadWrite);
    if (!t.expect(mapped.ok(), "mapping the user frames failed: error {}",
                  mapped ? u64{0} : static_cast<u64>(mapped.error().code)))
        return false;
    return t.expect(is_valid_vspace_root(root.cap), "the root table has no valid ASID");
}

struct ThreadPlan {
    char tag;
    u64 behaviour;
    u8 priority;
};

} // namespace

KERNEL_SELFTEST(USR0001, "user threads run by priority and round robin, and a faulting one is suspended") {
    if (!tessera::selftest_space_set_up(t)) return;
    if (!retype(t, ObjectType::PageTable, 0, kTableSlots, kTableCount + 1) ||
        !retype(t, ObjectType::Frame4K, 0, kCodeSlot, 1 + kThreads) || !retype(t, ObjectType::Tcb, 0, kTcbSlots, kThreads) ||
        !retype(t, ObjectType::Tcb, 0, kDeletedTcbSlot, 1) || !build_address_space(t))
        return;
    Slot& root_slot = tessera::selftest_slot(kRootSlot);

    // H (20) runs first and alone; F (15) faults; A and B (10) alternate through Yield;
    // P and Q (5) never yield, so they alternate only when the timer ends a time slice.
    const ThreadPlan plans[kThreads] = {{'A', 0, 10}, {'B', 0, 10}, {'H', 0, 20},
                                        {'F', 1, 15}, {'P', 2, 5},  {'Q', 2, 5}};
    Tcb* threads[kThreads];
    tessera::clear_recorded_events();
    for (u64 i = 0; i < kThreads; ++i) {
        Slot& tcb_slot = tessera::selftest_slot(kTcbSlots + i);
        Tcb& thread = *tessera::tcb_of(tcb_slot.cap);
        threads[i] = &thread;
        init_user_context(thread.registers, kCodeAddress, kStackBase + i * 2 * PAGE_SIZE + PAGE_SIZE,
                          static_cast<u64>(plans[i].tag));
        thread.registers.x[11] = plans[i].behaviour;
        thread.schedule.priority = plans[i].priority;
        thread.max_controlled_priority = plans[i].priority;
        thread.name[0] = plans[i].tag;
        tessera::insert_child(root_slot.cap, root_slot, thread.slot(tessera::TcbSlot::VSpaceRoot), false);
    }
    for (Tcb* thread : threads) tessera::resume_thread(*thread);

    // X is runnable at the highest priority, then its only capability is deleted: the
    // TCB's finaliser must take it off the run queue, so it never runs.
    Tcb& deleted = *tessera::tcb_of(tessera::selftest_slot(kDeletedTcbSlot).cap);
    init_user_context(deleted.registers, kCodeAddress, kStackBase + PAGE_SIZE, 'X');
    deleted.schedule.priority = 100;
    tessera::resume_thread(deleted);
    tessera::PreemptionPoint never(no_interrupt, nullptr);
    const u64 delete_words[] = {kDeletedTcbSlot, 64};
    auto deleted_reply =
        tessera::selftest_invoke(0, InvocationLabel::CNodeDelete, kstd::Span<const u64>(delete_words), ~u64{0}, never);
    t.expect(deleted_reply.outcome == tessera::InvocationOutcome::Success && !deleted.schedule.queued() &&
                 deleted.state == tessera::ThreadState::Inactive,
             "deleting the last TCB capability left the thread runnable");

    tessera::Cpu& cpu = tessera::this_cpu();
    u64 kernel_stack_top = cpu.arch.kernel_stack_top;
    if (riscv64_save_kernel_context(saved_context) == 0) {
        // User traps restart the kernel at kernel_stack_top: below this test's own frames.
        // Interrupts go off first: a kernel trap with sp above kernel_stack_top is taken
        // for a stack overflow.
        disable_interrupts();
        u64 sp;
        asm volatile("mv %0, sp" : "=r"(sp));
        cpu.arch.kernel_stack_top = (sp - 512) & ~u64{15};
        tessera::set_idle_hook(finish_when_idle);
        tessera::run_next_thread();
    }
    // Back from the idle hook: nothing is runnable any more.
    cpu.arch.kernel_stack_top = kernel_stack_top;
    cpu.idling = false;
    cpu.arch.user_frame = 0;
    tessera::set_idle_hook(nullptr);
    activate_address_space(nullptr);
    enable_interrupts();

    auto events = tessera::recorded_events();
    const char expected_start[][2] = {{'H', 1}, {'H', 2}, {'A', 1}, {'B', 1}, {'A', 2}, {'B', 2}};
    if (!t.expect(events.size() == 12, "{} events recorded, expected 12", events.size())) return;
    for (usize i = 0; i < 6; ++i)
        t.expect(events[i].tag == static_cast<u64>(expected_start[i][0]) &&
                     events[i].value == static_cast<u64>(expected_start[i][1]),
                 "event {} is ({}, {}), expected ({}, {})", i, static_cast<char>(events[i].tag), events[i].value,
                 expected_start[i][0], static_cast<int>(expected_start[i][1]));
    // P and Q: each records 1, 2, 3 in order, and the timer interleaves them: the second
    // of them starts before the first has recorded its last event.
    u64 next[2] = {1, 1};
    usize other_starts = 0, first_ends = 0;
    for (usize i = 6; i < 12; ++i) {
        unsigned who = events[i].tag == 'P' ? 0 : events[i].tag == 'Q' ? 1 : 2;
        if (!t.expect(who < 2, "event {} has tag {}", i, static_cast<char>(events[i].tag))) return;
        t.expect(events[i].value == next[who]++, "{} recorded {} out of order", static_cast<char>(events[i].tag),
                 events[i].value);
        if (events[i].tag != events[6].tag && other_starts == 0) other_starts = i;
        if (events[i].tag == events[6].tag && events[i].value == 3) first_ends = i;
    }
    bool interleaved = other_starts != 0 && other_starts < first_ends;
    t.expect(interleaved, "P and Q did not share the CPU before one of them finished: no time-slice preemption");
    for (u64 i = 0; i < kThreads; ++i)
        t.expect(threads[i]->state == tessera::ThreadState::Suspended, "thread {} is {}", plans[i].tag,
                 tessera::thread_state_name(threads[i]->state));

    // Everything goes, through the finalisers: the ASID pool must leave the ASID table
    // before the next test reuses its memory.
    const u64 revoke_words[] = {1, 64};
    if (invoke(t, 0, InvocationLabel::CNodeRevoke, kstd::Span<const u64>(revoke_words), {}))
        t.expect(!is_valid_vspace_root(tessera::selftest_slot(kRootSlot).cap) &&
                     tessera::selftest_slot(kPoolSlot).is_empty(),
                 "revoking the Untyped left the VSpace or its pool behind");
}

} // namespace arch
