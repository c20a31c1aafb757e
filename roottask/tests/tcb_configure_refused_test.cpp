// Configure, SetSpace and SetIpcBuffer refused from user space, each with the exact error
// of docs/invocations.md, and a refused one changes nothing: the thread then still runs
// in the spaces it had.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

volatile bool g_ran;
void note_run(u64) { g_ran = true; }

user::Result<user::CPtr> copy_with_rights(TestContext& t, user::CPtr source, user::CapRights rights) {
    user::CPtr copy = TRY(t.objects().slots().allocate());
    TRY(t.own_cnode().copy(user::SlotPath::at(copy), t.own_cnode(), user::SlotPath::at(source), rights));
    return copy;
}

user::Error missing_source_capability() {
    user::Error e = user::Error::of(ErrorCode::FailedLookup);
    e.lookup_was_source = true;
    e.lookup.type = LookupFailureType::MissingCapability;
    e.lookup.bits_left = 0;
    return e;
}

} // namespace

ROOTTASK_TEST(TCB0007, "Configure, SetSpace and SetIpcBuffer refuse bad spaces, endpoints and buffers exactly") {
    g_ran = false;
    // Configured by start_thread with the root task's CSpace, VSpace and an IPC buffer.
    user::Tcb tcb =
        REQUIRE_OK(t, make_stopped_thread(t, "tcb-refused", note_run, 0, roottask::kRootRunPriority + 1)).tcb;
    const user::CNode cnode = t.own_cnode();
    const user::PageTable vspace = t.own_vspace();
    user::CPtr endpoint = REQUIRE_OK(t, t.objects().allocate(ObjectType::Endpoint));
    user::CPtr read_only_endpoint = REQUIRE_OK(t, copy_with_rights(t, endpoint, user::CapRights::read_only()));
    user::CPtr empty = REQUIRE_OK(t, t.objects().slots().allocate());
    user::Frame frame(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    user::Frame read_only_frame(REQUIRE_OK(t, copy_with_rights(t, frame.cap(), user::CapRights::read_only())));
    user::PageTable unassigned(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    // A table mapped into a VSpace is part of it, not a root.
    user::PageTable other_root(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, RootEnvironment::own_caps().asid_pool.assign(other_root));
    user::PageTable mapped(REQUIRE_OK(t, t.objects().allocate(ObjectType::PageTable)));
    REQUIRE_OK(t, mapped.map(other_root, 0x40000000));
    const u64 buffer = 0x1000000;

    struct Case {
        const char* what;
        user::Result<void> result;
        user::Error expected;
    };
    const user::CNode not_a_cnode(tcb.cap());
    const user::PageTable frame_as_vspace(frame.cap());
    const user::Frame endpoint_as_frame(endpoint);
    const Case cases[] = {
        {"Configure: fault endpoint in an empty slot",
         tcb.configure(empty, cnode, 0, vspace, 0, 0, user::Frame{}), missing_source_capability()},
        {"Configure: fault endpoint is a CNode", tcb.configure(cnode.cap(), cnode, 0, vspace, 0, 0, user::Frame{}),
         invalid_argument(0)},
        {"Configure: fault endpoint without write right",
         tcb.configure(read_only_endpoint, cnode, 0, vspace, 0, 0, user::Frame{}), invalid_argument(0)},
        {"Configure: the fault endpoint is checked before the CSpace",
         tcb.configure(empty, not_a_cnode, 0, vspace, 0, 0, user::Frame{}), missing_source_capability()},
        {"Configure: CSpace is a TCB", tcb.configure(endpoint, not_a_cnode, 0, vspace, 0, 0, user::Frame{}),
         invalid_capability(1)},
        {"Configure: guard bits + radix > 64",
         tcb.configure(endpoint, cnode, user::cnode_guard_data(0, 60), vspace, 0, 0, user::Frame{}),
         invalid_argument(1)},
        {"Configure: VSpace is an unassigned table",
         tcb.configure(endpoint, cnode, 0, unassigned, 0, 0, user::Frame{}), invalid_capability(2)},
        {"Configure: VSpace is a mapped table", tcb.configure(endpoint, cnode, 0, mapped, 0, 0, user::Frame{}),
         invalid_capability(2)},
        {"Configure: VSpace is a frame", tcb.configure(endpoint, cnode, 0, frame_as_vspace, 0, 0, user::Frame{}),
         invalid_capability(2)},
        {"Configure: VSpace data not 0", tcb.configure(endpoint, cnode, 0, vspace, 1, 0, user::Frame{}),
         invalid_argument(2)},
        {"Configure: IPC buffer not 1 KiB aligned", tcb.configure(endpoint, cnode, 0, vspace, 0, buffer + 512, frame),
         kernel_error(ErrorCode::AlignmentError)},
        {"Configure: IPC buffer frame is an endpoint",
         tcb.configure(endpoint, cnode, 0, vspace, 0, buffer, endpoint_as_frame), invalid_capability(3)},
        {"Configure: IPC buffer frame without write right",
         tcb.configure(endpoint, cnode, 0, vspace, 0, buffer, read_only_frame), invalid_capability(3)},
        {"SetSpace: fault endpoint in an empty slot", tcb.set_space(empty, cnode, 0, vspace, 0),
         missing_source_capability()},
        {"SetSpace: CSpace is a TCB", tcb.set_space(user::CPtr{0}, not_a_cnode, 0, vspace, 0), invalid_capability(1)},
        {"SetSpace: VSpace is a mapped table", tcb.set_space(user::CPtr{0}, cnode, 0, mapped, 0), invalid_capability(2)},
        {"SetSpace: VSpace data not 0", tcb.set_space(user::CPtr{0}, cnode, 0, vspace, 7), invalid_argument(2)},
        {"SetIpcBuffer: not 1 KiB aligned", tcb.set_ipc_buffer(buffer + 0x200, frame),
         kernel_error(ErrorCode::AlignmentError)},
        {"SetIpcBuffer: frame is an endpoint", tcb.set_ipc_buffer(buffer, endpoint_as_frame), invalid_capability(1)},
        {"SetIpcBuffer: frame without write right", tcb.set_ipc_buffer(buffer, read_only_frame),
         invalid_capability(1)},
    };
    for (const Case& c : cases)
        t.expect(failed_with(c.result, c.expected), "{}: answered {}, expected {}", c.what, outcome(c.result),
                 c.expected);

    user::Reply reply;
    auto short_configure = user::invoke(tcb.cap(), user::Request(InvocationLabel::TcbConfigure).word(0).word(0).word(0),
                                        reply);
    t.expect(failed_with(short_configure, kernel_error(ErrorCode::TruncatedMessage)), "Configure of 3 words: {}",
             outcome(short_configure));
    auto frameless = user::invoke(tcb.cap(), user::Request(InvocationLabel::TcbSetIpcBuffer).word(buffer), reply);
    t.expect(failed_with(frameless, kernel_error(ErrorCode::TruncatedMessage)), "SetIpcBuffer without a frame: {}",
             outcome(frameless));

    // Nothing changed: the thread still runs its code in the root task's spaces.
    REQUIRE_OK(t, tcb.resume());
    t.expect(g_ran, "after the refusals the thread did not run");
}
