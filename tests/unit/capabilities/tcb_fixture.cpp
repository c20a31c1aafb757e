#include "tcb_fixture.hpp"

#include <ipc/ipc.hpp>

namespace captest {

namespace {

ThreadKernel* g_kernel = nullptr;

} // namespace

ThreadKernel::ThreadKernel(unsigned arena_bits) : Kernel(arena_bits) {
    REQUIRE(g_kernel == nullptr);
    g_kernel = this;
    scheduler.set_time_slice(100);
    ThreadControl& hooks = thread_control();
    hooks.resume = [](Tcb& thread) {
        thread.state = ThreadState::Running;
        g_kernel->scheduler.make_runnable(thread);
    };
    hooks.suspend = [](Tcb& thread) {
        thread.state = ThreadState::Suspended; // as the kernel's hook leaves it
        g_kernel->scheduler.make_unrunnable(thread);
    };
    hooks.block = [](Tcb& thread) { g_kernel->scheduler.make_unrunnable(thread); };
    hooks.set_priority = [](Tcb& thread, u8 priority) { change_priority(g_kernel->scheduler, thread, priority); };
    object_invokers().is_vspace_root = [](const Capability& cap) {
        return cap.type() == CapType::PageTable && cap.page_table_is_root() &&
               g_kernel->vspace_roots.count(cap.address()) != 0;
    };
    object_finalisers().tcb = [](u64 address) {
        Tcb& thread = *reinterpret_cast<Tcb*>(address);
        release_thread_ipc(thread);
        thread.state = ThreadState::Inactive;
        g_kernel->scheduler.make_unrunnable(thread);
        g_kernel->finalised_tcbs.push_back(address);
    };
}

ThreadKernel::~ThreadKernel() {
    thread_control() = ThreadControl{};
    object_invokers() = ObjectInvokers{};
    object_finalisers() = ObjectFinalisers{};
    g_kernel = nullptr;
}

Tcb& ThreadKernel::make_tcb(u64 slot, u8 priority, u8 mcp) {
    REQUIRE(retype(kUntypedSlot, ObjectType::Tcb, 0, slot) == success());
    Tcb& thread = tcb(slot);
    thread.schedule.priority = priority;
    thread.max_controlled_priority = mcp;
    return thread;
}

void ThreadKernel::make(ObjectType type, u64 slot, u64 size_bits) {
    REQUIRE(retype(kUntypedSlot, type, size_bits, slot) == success());
}

void ThreadKernel::make_vspace(u64 slot) {
    make(ObjectType::PageTable, slot);
    // What AsidPool.Assign does: the table becomes a root with an ASID.
    Slot& table = this->slot(slot);
    table.cap = table.cap.page_table_as_root(next_asid_++);
    vspace_roots.insert(table.cap.address());
}

Reply ThreadKernel::call(u64 invoked, InvocationLabel label, const std::vector<u64>& words,
                         const std::vector<u64>& extra, const CallOptions& options) {
    PreemptionPoint never(nullptr, nullptr);
    MessageInfo info;
    info.label = static_cast<u64>(label);
    info.length = words.size();
    info.extra_caps = extra.size();
    std::vector<u64> room(options.reply_room);
    ReplyWords reply{kstd::Span<u64>(room.data(), room.size())};
    InvocationContext context{options.caller, nullptr, options.no_reply ? nullptr : &reply};
    const Capability& root = options.cspace != nullptr ? *options.cspace : cspace_root().cap;
    InvocationReply raw = handle_invocation(root, invoked, info, kstd::Span<const u64>(words.data(), words.size()),
                                            kstd::Span<const u64>(extra.data(), extra.size()),
                                            options.interrupt ? *options.interrupt : never, context);
    if (raw.outcome == InvocationOutcome::Success) {
        REQUIRE(raw.info.length == (options.no_reply ? 0 : reply.length));
        if (options.reply_words != nullptr) options.reply_words->assign(room.begin(), room.begin() + reply.length);
        raw.info = MessageInfo{};
    }
    return from_invocation_reply(raw);
}

Reply ThreadKernel::call_until_done(u64 invoked, InvocationLabel label, const std::vector<u64>& words,
                                    const std::vector<u64>& extra, CallOptions options, u64* restarts) {
    u64 count = 0;
    for (;;) {
        Reply reply = call(invoked, label, words, extra, options);
        if (reply.outcome != InvocationOutcome::Restart) {
            if (restarts != nullptr) *restarts = count;
            return reply;
        }
        ++count;
        REQUIRE(count < 1'000'000);
    }
}

bool is_child_of(Slot& parent, const Slot& child) {
    for (Slot* node : descendants_of(parent))
        if (node == &child) return true;
    return false;
}

} // namespace captest
