// TCB.Configure, SetSpace and SetIpcBuffer: the TCB keeps copies of what it is given as
// children in the derivation tree, replaces (deletes) what it held before, survives
// deletions that reach the TCB itself, restarts after preemption, and answers every bad
// argument with its own error, changing nothing.
#include "tcb_fixture.hpp"

using namespace captest;

namespace {

using L = InvocationLabel;

constexpr u64 kTcb = 10, kCNode = 11, kCNode2 = 12, kVSpace = 13, kVSpace2 = 14, kFrame = 15, kFrame2 = 16,
              kEp = 17, kEp2 = 18, kPlainTable = 19, kDeviceFrame = 20, kReadOnlyFrame = 21, kReadOnlyEp = 22,
              kEmpty = 30;
constexpr u64 kBuffer = 0x10400; // 1 KiB aligned, offset 0x400 in its 4 KiB frame
constexpr unsigned kCNodeRadix = 4;

struct World {
    ThreadKernel k;
    Tcb* thread = nullptr;
    World() {
        thread = &k.make_tcb(kTcb, 10, 10);
        k.make(ObjectType::CNode, kCNode, kCNodeRadix);
        k.make(ObjectType::CNode, kCNode2, kCNodeRadix);
        k.make_vspace(kVSpace);
        k.make_vspace(kVSpace2);
        k.make(ObjectType::Frame4K, kFrame);
        k.make(ObjectType::Frame4K, kFrame2);
        k.make(ObjectType::Endpoint, kEp);
        k.make(ObjectType::Endpoint, kEp2);
        k.make(ObjectType::PageTable, kPlainTable); // not a VSpace root
        k.place_original(kDeviceFrame, Capability::frame(0x10000000, 12, true, Rights::all()));
        REQUIRE(k.copy(kReadOnlyFrame, kFrame, Rights::kRead) == success());
        REQUIRE(k.copy(kReadOnlyEp, kEp, Rights::kRead | Rights::kGrant) == success());
    }
    Reply configure(u64 fault_ep, u64 cspace_data, u64 vspace_data, u64 buffer, std::vector<u64> extra,
                    const CallOptions& options = {}) {
        return k.call(kTcb, L::TcbConfigure, {fault_ep, cspace_data, vspace_data, buffer}, extra, options);
    }
    Reply configure_plain(u64 cnode = kCNode, u64 vspace = kVSpace, u64 frame = kFrame, u64 ep = kEp) {
        return configure(ep, 0, 0, kBuffer, {cnode, vspace, frame});
    }
    Slot& slot(TcbSlot which) { return thread->slot(which); }
};

} // namespace

TEST_CASE("TCB.Configure: the TCB keeps copies, children of the given capabilities") {
    World w;
    REQUIRE(w.configure(kEp, cnode_data(3, 5), 0, kBuffer, {kCNode, kVSpace, kFrame}) == success());
    Slot& cspace = w.slot(TcbSlot::CSpaceRoot);
    CHECK(cspace.cap == Capability::cnode(w.k.cap(kCNode).address(), kCNodeRadix, 5, 3));
    CHECK(is_child_of(w.k.slot(kCNode), cspace));
    CHECK(w.slot(TcbSlot::VSpaceRoot).cap == w.k.cap(kVSpace));
    CHECK(is_child_of(w.k.slot(kVSpace), w.slot(TcbSlot::VSpaceRoot)));
    CHECK(w.slot(TcbSlot::IpcBuffer).cap == w.k.cap(kFrame));
    CHECK(is_child_of(w.k.slot(kFrame), w.slot(TcbSlot::IpcBuffer)));
    CHECK(w.slot(TcbSlot::FaultHandler).cap == w.k.cap(kEp));
    CHECK(is_child_of(w.k.slot(kEp), w.slot(TcbSlot::FaultHandler)));
    CHECK(w.thread->ipc_buffer == kBuffer);
    CHECK(w.slot(TcbSlot::Reply).is_empty());
    // The copies are not revocable: they can be taken away but never give anything out.
    CHECK_FALSE(cspace.revocable());
    require_linked_consistently(w.thread->slots, kTcbSlotCount);
}

TEST_CASE("TCB.Configure: CSpace data 0 keeps the guard; a badged fault endpoint keeps its badge") {
    World w;
    constexpr u64 kGuarded = 31, kBadged = 32;
    REQUIRE(w.k.mutate(kGuarded, kCNode, cnode_data(1, 2)) == success());
    REQUIRE(w.k.mint(kBadged, kEp, Rights::kMask, 77) == success());
    REQUIRE(w.configure(kBadged, 0, 0, 0, {kGuarded, kVSpace}) == success());
    CHECK(w.slot(TcbSlot::CSpaceRoot).cap.cnode_guard_bits() == 2);
    CHECK(w.slot(TcbSlot::CSpaceRoot).cap.cnode_guard() == 1);
    CHECK(w.slot(TcbSlot::FaultHandler).cap.badge() == 77);
    // Address 0: no IPC buffer, and no frame needed.
    CHECK(w.slot(TcbSlot::IpcBuffer).is_empty());
    CHECK(w.thread->ipc_buffer == 0);
}

TEST_CASE("TCB.Configure: a second Configure replaces (deletes) the earlier copies") {
    World w;
    REQUIRE(w.configure_plain() == success());
    REQUIRE(w.configure(kEp2, 0, 0, 0x20000, {kCNode2, kVSpace2, kFrame2}) == success());
    CHECK(descendants_of(w.k.slot(kCNode)).empty());
    CHECK(descendants_of(w.k.slot(kVSpace)).empty());
    CHECK(descendants_of(w.k.slot(kFrame)).size() == 1); // the read-only copy only
    CHECK(descendants_of(w.k.slot(kEp)).size() == 1);    // the read-only copy only
    CHECK(is_child_of(w.k.slot(kCNode2), w.slot(TcbSlot::CSpaceRoot)));
    CHECK(is_child_of(w.k.slot(kVSpace2), w.slot(TcbSlot::VSpaceRoot)));
    CHECK(is_child_of(w.k.slot(kFrame2), w.slot(TcbSlot::IpcBuffer)));
    CHECK(is_child_of(w.k.slot(kEp2), w.slot(TcbSlot::FaultHandler)));
    CHECK(w.thread->ipc_buffer == 0x20000);
    // Configure again with the same capabilities: still exactly one copy each.
    REQUIRE(w.configure(kEp2, 0, 0, 0x20000, {kCNode2, kVSpace2, kFrame2}) == success());
    CHECK(descendants_of(w.k.slot(kCNode2)).size() == 1);
    // Fault endpoint 0 and buffer 0 remove those two.
    REQUIRE(w.configure(0, 0, 0, 0, {kCNode2, kVSpace2}) == success());
    CHECK(w.slot(TcbSlot::FaultHandler).is_empty());
    CHECK(w.slot(TcbSlot::IpcBuffer).is_empty());
    CHECK(w.thread->ipc_buffer == 0);
    CHECK(descendants_of(w.k.slot(kEp2)).empty());
    require_linked_consistently(w.k.root_storage(), w.k.root_slots());
    require_linked_consistently(w.thread->slots, kTcbSlotCount);
}

TEST_CASE("TCB.Configure: revoking or deleting what the TCB was given takes its copy away") {
    World w;
    REQUIRE(w.configure_plain() == success());
    REQUIRE(w.k.revoke(kCNode) == success());
    CHECK(w.slot(TcbSlot::CSpaceRoot).is_empty());
    REQUIRE(w.k.revoke(kFrame) == success());
    CHECK(w.slot(TcbSlot::IpcBuffer).is_empty());
    // Deleting the original leaves the TCB's copy as the last capability: it stays.
    REQUIRE(w.k.remove(kVSpace) == success());
    CHECK(w.slot(TcbSlot::VSpaceRoot).cap.type() == CapType::PageTable);
    require_linked_consistently(w.thread->slots, kTcbSlotCount);
}

TEST_CASE("TCB: deleting a TCB whose slots hold capabilities empties them") {
    World w;
    REQUIRE(w.configure_plain() == success());
    // The TCB's CSpace copy becomes the last capability to that CNode, which holds an endpoint.
    REQUIRE(w.k.invoke(kCNode, L::CNodeCopy, {1, kCNodeRadix, kEp, 64, Rights::kMask}, {Kernel::kRootCNodeSlot}) ==
            success());
    u64 cnode_address = w.k.cap(kCNode).address();
    REQUIRE(w.k.remove(kCNode) == success());
    u64 tcb_address = w.k.cap(kTcb).address();
    REQUIRE(w.k.remove(kTcb) == success());
    CHECK(w.k.finalised_tcbs == std::vector<u64>{tcb_address});
    for (const Slot& slot : w.thread->slots) CHECK(slot.is_empty());
    // The given capabilities remain, without descendants in the TCB.
    CHECK(descendants_of(w.k.slot(kVSpace)).empty());
    CHECK(descendants_of(w.k.slot(kFrame)).size() == 1);
    // The CNode nested in the TCB became a cyclic Zombie in its own first slot (bounded
    // deletion, docs/capabilities.md): its endpoint copy goes when its Untyped is revoked.
    CHECK(cnode_slots(Capability::cnode(cnode_address, kCNodeRadix, 0, 0))[0].cap.type() == CapType::Zombie);
    CHECK(descendants_of(w.k.slot(kEp)).size() == 2);
    REQUIRE(w.k.revoke(Kernel::kUntypedSlot) == success());
    CHECK(descendants_of(w.k.slot(Kernel::kUntypedSlot)).empty());
    require_linked_consistently(w.k.root_storage(), w.k.root_slots());
}

TEST_CASE("TCB.SetSpace and SetIpcBuffer change their part only") {
    World w;
    REQUIRE(w.configure_plain() == success());
    REQUIRE(w.k.call(kTcb, L::TcbSetSpace, {kEp2, 0, 0}, {kCNode2, kVSpace2}) == success());
    CHECK(is_child_of(w.k.slot(kCNode2), w.slot(TcbSlot::CSpaceRoot)));
    CHECK(is_child_of(w.k.slot(kVSpace2), w.slot(TcbSlot::VSpaceRoot)));
    CHECK(is_child_of(w.k.slot(kEp2), w.slot(TcbSlot::FaultHandler)));
    CHECK(is_child_of(w.k.slot(kFrame), w.slot(TcbSlot::IpcBuffer)));
    CHECK(w.thread->ipc_buffer == kBuffer);

    REQUIRE(w.k.call(kTcb, L::TcbSetIpcBuffer, {0x7c00}, {kFrame2}) == success());
    CHECK(is_child_of(w.k.slot(kFrame2), w.slot(TcbSlot::IpcBuffer)));
    CHECK(descendants_of(w.k.slot(kFrame)).size() == 1);
    CHECK(w.thread->ipc_buffer == 0x7c00);
    REQUIRE(w.k.call(kTcb, L::TcbSetIpcBuffer, {0}) == success());
    CHECK(w.slot(TcbSlot::IpcBuffer).is_empty());
    CHECK(w.thread->ipc_buffer == 0);
    CHECK(is_child_of(w.k.slot(kCNode2), w.slot(TcbSlot::CSpaceRoot)));
}

TEST_CASE("TCB.Configure: the calling thread may configure itself") {
    World w;
    REQUIRE(w.configure_plain() == success());
    CallOptions self;
    self.caller = w.thread;
    REQUIRE(w.configure(kEp2, 0, 0, 0, {kCNode2, kVSpace2}, self) == success());
    CHECK(is_child_of(w.k.slot(kCNode2), w.slot(TcbSlot::CSpaceRoot)));
}

TEST_CASE("TCB.Configure errors: each bad argument has its own error and changes nothing") {
    World w;
    REQUIRE(w.configure_plain() == success());
    Unchanged unchanged(w.k);
    u64 buffer_before = w.thread->ipc_buffer;
    auto configure = [&](std::vector<u64> words, std::vector<u64> extra) {
        return w.k.call(kTcb, L::TcbConfigure, words, extra);
    };
    const std::vector<u64> good_extra{kCNode2, kVSpace2, kFrame2};

    SECTION("too few words or capabilities") {
        CHECK(configure({kEp, 0, 0}, good_extra) == error(ErrorCode::TruncatedMessage));
        CHECK(configure({kEp, 0, 0, kBuffer}, {kCNode2}) == error(ErrorCode::TruncatedMessage));
        CHECK(configure({kEp, 0, 0, kBuffer}, {kCNode2, kVSpace2}) == error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTcb, L::TcbSetSpace, {kEp, 0}, {kCNode2, kVSpace2}) == error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTcb, L::TcbSetSpace, {kEp, 0, 0}, {kCNode2}) == error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTcb, L::TcbSetIpcBuffer, {}) == error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTcb, L::TcbSetIpcBuffer, {kBuffer}) == error(ErrorCode::TruncatedMessage));
    }
    SECTION("the fault endpoint pointer does not resolve, or names no writable endpoint") {
        CHECK(configure({kEmpty, 0, 0, kBuffer}, good_extra) ==
              lookup_error(true, LookupFailureType::MissingCapability, {0}));
        // The root CNode's guard is 52 zero bits: a pointer with high bits set misses it.
        CHECK(configure({u64{1} << 63, 0, 0, kBuffer}, good_extra) ==
              lookup_error(true, LookupFailureType::GuardMismatch, {64, 0, 52}));
        CHECK(configure({kCNode, 0, 0, kBuffer}, good_extra) == error(ErrorCode::InvalidArgument, {0}));
        CHECK(configure({kReadOnlyEp, 0, 0, kBuffer}, good_extra) == error(ErrorCode::InvalidArgument, {0}));
    }
    SECTION("the CSpace root") {
        CHECK(configure({kEp, 0, 0, kBuffer}, {kVSpace2, kVSpace2, kFrame2}) == error(ErrorCode::InvalidCapability, {1}));
        CHECK(configure({kEp, 0, 0, kBuffer}, {kEmpty, kVSpace2, kFrame2}) == error(ErrorCode::InvalidCapability, {1}));
        // 61 guard bits and a radix of 4 do not fit a 64-bit pointer.
        CHECK(configure({kEp, cnode_data(0, 61), 0, kBuffer}, good_extra) == error(ErrorCode::InvalidArgument, {1}));
    }
    SECTION("the VSpace root") {
        CHECK(configure({kEp, 0, 0, kBuffer}, {kCNode2, kPlainTable, kFrame2}) ==
              error(ErrorCode::InvalidCapability, {2}));
        CHECK(configure({kEp, 0, 0, kBuffer}, {kCNode2, kCNode2, kFrame2}) == error(ErrorCode::InvalidCapability, {2}));
        CHECK(configure({kEp, 0, 1, kBuffer}, good_extra) == error(ErrorCode::InvalidArgument, {2}));
        object_invokers().is_vspace_root = nullptr; // no architecture check registered: nothing qualifies
        CHECK(configure({kEp, 0, 0, kBuffer}, good_extra) == error(ErrorCode::InvalidCapability, {2}));
    }
    SECTION("the IPC buffer") {
        CHECK(configure({kEp, 0, 0, kBuffer + 8}, good_extra) == error(ErrorCode::AlignmentError));
        CHECK(configure({kEp, 0, 0, 0x200}, good_extra) == error(ErrorCode::AlignmentError));
        CHECK(configure({kEp, 0, 0, kBuffer}, {kCNode2, kVSpace2, kEp}) == error(ErrorCode::InvalidCapability, {3}));
        CHECK(configure({kEp, 0, 0, kBuffer}, {kCNode2, kVSpace2, kDeviceFrame}) ==
              error(ErrorCode::InvalidCapability, {3}));
        CHECK(configure({kEp, 0, 0, kBuffer}, {kCNode2, kVSpace2, kReadOnlyFrame}) ==
              error(ErrorCode::InvalidCapability, {3}));
        CHECK(w.k.call(kTcb, L::TcbSetIpcBuffer, {kBuffer + 0x100}, {kFrame2}) == error(ErrorCode::AlignmentError));
        CHECK(w.k.call(kTcb, L::TcbSetIpcBuffer, {kBuffer}, {kReadOnlyFrame}) ==
              error(ErrorCode::InvalidCapability, {1}));
    }
    SECTION("checks run in argument order") {
        CHECK(configure({kEmpty, 0, 1, kBuffer + 8}, {kEmpty, kEmpty, kEmpty}) ==
              lookup_error(true, LookupFailureType::MissingCapability, {0}));
        CHECK(configure({kEp, 0, 1, kBuffer + 8}, {kEmpty, kEmpty, kEmpty}) == error(ErrorCode::InvalidCapability, {1}));
        CHECK(configure({kEp, 0, 1, kBuffer + 8}, {kCNode2, kVSpace2, kEmpty}) == error(ErrorCode::InvalidArgument, {2}));
    }
    CHECK(w.thread->ipc_buffer == buffer_before);
}

TEST_CASE("TCB.Configure of a TCB that is being deleted is refused") {
    World w;
    REQUIRE(w.configure_plain() == success());
    PeriodicInterrupt interrupt(1);
    REQUIRE(w.k.remove(kTcb, &interrupt.point).outcome == InvocationOutcome::Restart);
    REQUIRE(w.k.cap(kTcb).type() == CapType::Zombie);
    {
        Unchanged unchanged(w.k);
        CHECK(w.configure_plain() == error(ErrorCode::InvalidCapability, {0}));
        CHECK(w.k.call(kTcb, L::TcbSetSpace, {0, 0, 0}, {kCNode2, kVSpace2}) == error(ErrorCode::InvalidCapability, {0}));
        CHECK(w.k.call(kTcb, L::TcbResume, {}) == error(ErrorCode::InvalidCapability, {0}));
    }
    REQUIRE(w.k.remove(kTcb) == success());
    for (const Slot& slot : w.thread->slots) CHECK(slot.is_empty());
    require_linked_consistently(w.k.root_storage(), w.k.root_slots());
}

TEST_CASE("TCB.Configure: replacing the CSpace may delete the TCB itself; nothing is installed then") {
    // The thread's only capability lives in CNode C, and the TCB's CSpace slot holds the
    // last capability to C. Installing a new CSpace deletes C, C's slots, and so the TCB.
    World w;
    constexpr u64 kC = 40;
    constexpr u64 kRoot = Kernel::kRootCNodeSlot;
    w.k.make(ObjectType::CNode, kC, kCNodeRadix);
    // C's guard now makes a 64-bit pointer a slot number of C.
    REQUIRE(w.k.mutate(kC + 1, kC, cnode_data(0, 64 - kCNodeRadix)) == success());
    const Capability c_root = w.k.cap(kC + 1);
    Slot* c_slots = cnode_slots(c_root);
    // C holds: 1 the TCB (its only capability), 2 a CNode, 3 a VSpace, 4 a copy of C.
    REQUIRE(w.k.invoke(kC + 1, L::CNodeMove, {1, 64, kTcb, 64}, {kRoot}) == success());
    REQUIRE(w.k.invoke(kC + 1, L::CNodeCopy, {2, 64, kCNode2, 64, Rights::kMask}, {kRoot}) == success());
    REQUIRE(w.k.invoke(kC + 1, L::CNodeCopy, {3, 64, kVSpace2, 64, Rights::kMask}, {kRoot}) == success());
    REQUIRE(w.k.invoke(kC + 1, L::CNodeCopy, {4, 64, kC + 1, 64, Rights::kMask}, {kRoot}) == success());
    CallOptions through_c;
    through_c.cspace = &c_root; // the caller's CSpace is C
    REQUIRE(w.k.call(1, L::TcbSetSpace, {0, 0, 0}, {4, 3}, through_c) == success());
    // Drop every other capability to C: the TCB's copy is the last one.
    REQUIRE(w.k.invoke(kC + 1, L::CNodeDelete, {4, 64}) == success());
    REQUIRE(w.k.remove(kC + 1) == success());
    REQUIRE(w.slot(TcbSlot::CSpaceRoot).cap.address() == c_root.address());
    REQUIRE(is_final_capability(w.slot(TcbSlot::CSpaceRoot)));
    REQUIRE(c_slots[1].cap.type() == CapType::Tcb);
    u64 tcb_address = c_slots[1].cap.address();

    // c_root is in no slot any more, but it still names C's memory for the lookups.
    REQUIRE(w.k.call(1, L::TcbSetSpace, {0, 0, 0}, {2, 3}, through_c) == success());
    CHECK(w.k.finalised_tcbs == std::vector<u64>{tcb_address});
    for (const Slot& slot : w.thread->slots) CHECK(slot.is_empty());
    CHECK(c_slots[1].cap.type() != CapType::Tcb);
    // Nothing was installed in the dead TCB: neither source has a descendant left.
    CHECK(descendants_of(w.k.slot(kCNode2)).empty());
    CHECK(descendants_of(w.k.slot(kVSpace2)).empty());
    require_linked_consistently(w.k.root_storage(), w.k.root_slots());
    require_linked_consistently(c_slots, 1u << kCNodeRadix);
}

TEST_CASE("TCB.Configure restarts after preemption and ends as an uninterrupted one") {
    // The TCB's CSpace copy is the last capability to a CNode full of endpoints: replacing
    // it takes many preemptible steps.
    auto run = [](u64 period, u64* restarts) {
        World w;
        constexpr u64 kBig = 50;
        w.k.make(ObjectType::CNode, kBig, 6);
        REQUIRE(w.k.retype(Kernel::kUntypedSlot, static_cast<u64>(ObjectType::Endpoint), 0, kBig, 0, 0, 0, 64) ==
                success());
        REQUIRE(w.configure_plain(kBig) == success());
        REQUIRE(w.k.remove(kBig) == success());
        PeriodicInterrupt interrupt(period);
        CallOptions options;
        options.interrupt = &interrupt.point;
        REQUIRE(w.k.call_until_done(kTcb, L::TcbConfigure, {kEp2, 0, 0, 0x800}, {kCNode2, kVSpace2, kFrame2}, options,
                                    restarts) == success());
        CHECK(is_child_of(w.k.slot(kCNode2), w.slot(TcbSlot::CSpaceRoot)));
        CHECK(is_child_of(w.k.slot(kVSpace2), w.slot(TcbSlot::VSpaceRoot)));
        CHECK(is_child_of(w.k.slot(kFrame2), w.slot(TcbSlot::IpcBuffer)));
        CHECK(is_child_of(w.k.slot(kEp2), w.slot(TcbSlot::FaultHandler)));
        CHECK(w.thread->ipc_buffer == 0x800);
        require_linked_consistently(w.k.root_storage(), w.k.root_slots());
        return picture(w.k);
    };
    u64 restarts = 0;
    auto uninterrupted = run(0, &restarts);
    CHECK(restarts == 0);
    auto interrupted = run(3, &restarts);
    CHECK(restarts > 5);
    CHECK(interrupted == uninterrupted);
}
