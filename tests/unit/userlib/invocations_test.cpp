// The typed wrappers against the kernel's own invocation code (fake_kernel.hpp).
#include <catch2/catch.hpp>

#include <userlib/invocations.hpp>
#include <userlib/ipc_message.hpp>

#include <irq/irq_handlers.hpp>
#include <platform/platform_info.hpp>

#include "../fake_plic.hpp"
#include "fake_kernel.hpp"

using namespace tessera;
using namespace tessera::user;

namespace {
const CNode kRoot(CPtr{captest::Kernel::kRootCNodeSlot});
const Untyped kUntyped(CPtr{captest::Kernel::kUntypedSlot});
} // namespace

TEST_CASE("userlib: Untyped.retype makes objects the kernel places in the named slots") {
    userlib_test::HostKernel host;
    REQUIRE(kUntyped.retype(ObjectType::Endpoint, 0, kRoot, 0, 0, 20, 3).ok());
    for (u64 slot = 20; slot < 23; ++slot) CHECK(host.kernel().cap(slot).type() == CapType::Endpoint);
    auto occupied = kUntyped.retype(ObjectType::Endpoint, 0, kRoot, 0, 0, 21, 1);
    REQUIRE_FALSE(occupied.ok());
    CHECK(occupied.error().code == ErrorCode::DeleteFirst);
    auto too_many = kUntyped.retype(ObjectType::Endpoint, 0, kRoot, 0, 0, 30, 0);
    REQUIRE_FALSE(too_many.ok());
    CHECK(too_many.error().code == ErrorCode::RangeError);
    CHECK(too_many.error().range_min == 1);
    CHECK(too_many.error().range_max == 256);
}

TEST_CASE("userlib: CNode copy, mint, move, mutate, rotate, delete and revoke") {
    userlib_test::HostKernel host;
    captest::Kernel& kernel = host.kernel();
    REQUIRE(kUntyped.retype(ObjectType::Endpoint, 0, kRoot, 0, 0, 10, 1).ok());
    REQUIRE(kUntyped.retype(ObjectType::CNode, 4, kRoot, 0, 0, 11, 2).ok());

    REQUIRE(kRoot.copy(SlotPath::at(CPtr{20}), kRoot, SlotPath::at(CPtr{10}), CapRights::read_only()).ok());
    CHECK(kernel.cap(20).type() == CapType::Endpoint);
    REQUIRE(kRoot.mint(SlotPath::at(CPtr{21}), kRoot, SlotPath::at(CPtr{10}), CapRights::all(), 7).ok());
    CHECK(kernel.cap(21).badge() == 7);
    REQUIRE(kRoot.move(SlotPath::at(CPtr{22}), kRoot, SlotPath::at(CPtr{20})).ok());
    CHECK(kernel.cap(20).type() == CapType::Null);
    REQUIRE(kRoot.mutate(SlotPath::at(CPtr{23}), kRoot, SlotPath::at(CPtr{11}), cnode_guard_data(0, 60)).ok());
    CHECK(kernel.cap(23).type() == CapType::CNode);
    // Rotate: 23 (pivot) goes to 24, 12 (source) goes to 23, each with a new guard.
    REQUIRE(kRoot.rotate(SlotPath::at(CPtr{24}), cnode_guard_data(0, 60), kRoot, SlotPath::at(CPtr{23}),
                         cnode_guard_data(0, 60), kRoot, SlotPath::at(CPtr{12}))
                .ok());
    CHECK(kernel.cap(24).type() == CapType::CNode);
    CHECK(kernel.cap(23).type() == CapType::CNode);
    CHECK(kernel.cap(12).type() == CapType::Null);
    REQUIRE(kRoot.delete_(SlotPath::at(CPtr{23})).ok());
    CHECK(kernel.cap(23).type() == CapType::Null);
    REQUIRE(kRoot.revoke(SlotPath::at(CPtr{10})).ok());
    CHECK(kernel.cap(21).type() == CapType::Null);
    CHECK(kernel.cap(10).type() == CapType::Endpoint);

    auto empty_source = kRoot.copy(SlotPath::at(CPtr{30}), kRoot, SlotPath::at(CPtr{31}), CapRights::all());
    REQUIRE_FALSE(empty_source.ok());
    CHECK(empty_source.error().code == ErrorCode::FailedLookup);
    CHECK(empty_source.error().lookup_was_source);
    CHECK(empty_source.error().lookup.type == LookupFailureType::MissingCapability);
    auto bad_depth = kRoot.delete_(SlotPath{5, 0});
    REQUIRE_FALSE(bad_depth.ok());
    CHECK(bad_depth.error().code == ErrorCode::RangeError);
    CHECK(bad_depth.error().range_max == 64);
}

TEST_CASE("userlib: TCB names pack little-endian into two words, cut at 15 bytes") {
    PackedName name = pack_tcb_name("roottask");
    CHECK(name.words[0] == 0x6b736174746f6f72ull);
    CHECK(name.words[1] == 0);
    PackedName longer = pack_tcb_name("0123456789abcdefgh");
    CHECK(longer.words[1] == 0x0065646362613938ull);
}

TEST_CASE("userlib: TCB registers written are read back through the reply words") {
    userlib_test::HostKernel host;
    REQUIRE(kUntyped.retype(ObjectType::Tcb, 0, kRoot, 0, 0, 40, 1).ok());
    user::Tcb tcb(CPtr{40});
    arch::UserContext written{};
    written.pc = 0x10000;
    for (unsigned i = 1; i <= 31; ++i) written.reg(i) = 0x100 * i;
    auto wrote = tcb.write_registers(written, false);
    REQUIRE(wrote.ok());
    auto read = tcb.read_registers();
    REQUIRE(read.ok());
    CHECK(read.value().pc == 0x10000);
    for (unsigned i = 1; i <= 31; ++i) CHECK(read.value().reg(i) == 0x100 * i);
    CHECK(tcb.set_name("worker").ok());
}

TEST_CASE("userlib: TCB binds and unbinds a notification; refusals decode") {
    userlib_test::HostKernel host;
    REQUIRE(kUntyped.retype(ObjectType::Tcb, 0, kRoot, 0, 0, 40, 2).ok());
    REQUIRE(kUntyped.retype(ObjectType::Notification, 0, kRoot, 0, 0, 42, 2).ok());
    REQUIRE(kRoot.copy(SlotPath::at(CPtr{44}), kRoot, SlotPath::at(CPtr{42}), CapRights{CapRights::kWrite}).ok());
    user::Tcb first(CPtr{40}), second(CPtr{41});
    user::Notification notification(CPtr{42}), other(CPtr{43}), write_only(CPtr{44});

    REQUIRE(first.bind_notification(notification).ok());
    auto twice = first.bind_notification(other);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == ErrorCode::IllegalOperation);
    auto taken = second.bind_notification(notification);
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().code == ErrorCode::IllegalOperation);
    auto no_read = second.bind_notification(write_only);
    REQUIRE_FALSE(no_read.ok());
    CHECK(no_read.error().code == ErrorCode::InvalidCapability);
    CHECK(no_read.error().argument == 1);

    REQUIRE(first.unbind_notification().ok());
    auto unbound = first.unbind_notification();
    REQUIRE_FALSE(unbound.ok());
    CHECK(unbound.error().code == ErrorCode::IllegalOperation);
    CHECK(second.bind_notification(notification).ok());
}

TEST_CASE("userlib: CNode.CancelBadgedSends needs a badged endpoint capability with every right") {
    userlib_test::HostKernel host;
    REQUIRE(kUntyped.retype(ObjectType::Endpoint, 0, kRoot, 0, 0, 50, 1).ok());
    REQUIRE(kRoot.mint(SlotPath::at(CPtr{51}), kRoot, SlotPath::at(CPtr{50}), CapRights::all(), 9).ok());
    REQUIRE(kRoot.mint(SlotPath::at(CPtr{52}), kRoot, SlotPath::at(CPtr{50}), CapRights::read_write(), 9).ok());

    CHECK(kRoot.cancel_badged_sends(SlotPath::at(CPtr{51})).ok());
    auto unbadged = kRoot.cancel_badged_sends(SlotPath::at(CPtr{50}));
    REQUIRE_FALSE(unbadged.ok());
    CHECK(unbadged.error().code == ErrorCode::IllegalOperation);
    auto fewer_rights = kRoot.cancel_badged_sends(SlotPath::at(CPtr{52}));
    REQUIRE_FALSE(fewer_rights.ok());
    CHECK(fewer_rights.error().code == ErrorCode::IllegalOperation);
}

TEST_CASE("userlib: IrqControl.get, IrqHandler set_notification, ack, clear, set_priority and status") {
    userlib_test::HostKernel host;
    captest::Kernel& kernel = host.kernel();
    tessera_test::FakePlicRegisters registers;
    Plic plic;
    const PlicCpuContext contexts[] = {{CpuHardwareId{0}, 1}};
    REQUIRE(plic.initialise(PlicConfiguration{registers.window(), 96, kstd::Span<const PlicCpuContext>(contexts)}).ok());
    IrqDispatcher dispatcher;
    InterruptLineSet lines;
    REQUIRE(lines.add(10));
    kernel_irq_handlers().configure(IrqHandlerEnvironment{&plic, &dispatcher, CpuHardwareId{0}, &lines, nullptr});
    install_irq_finalisers();
    kernel.place_original(60, Capability::irq_control());
    const IrqControl control(CPtr{60});
    const IrqHandler handler(CPtr{61});

    REQUIRE(control.get(10, IrqTrigger::LevelHigh, false, kRoot, SlotPath::at(CPtr{61})).ok());
    CHECK(kernel.cap(61).type() == CapType::IrqHandler);
    auto undescribed = control.get(9, IrqTrigger::LevelHigh, false, kRoot, SlotPath::at(CPtr{62}));
    REQUIRE_FALSE(undescribed.ok());
    CHECK(undescribed.error().code == ErrorCode::InvalidArgument);
    CHECK(undescribed.error().argument == 0);
    auto taken = control.get(10, IrqTrigger::LevelHigh, true, kRoot, SlotPath::at(CPtr{62}));
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().code == ErrorCode::RevokeFirst);

    REQUIRE(kUntyped.retype(ObjectType::Notification, 0, kRoot, 0, 0, 63, 1).ok());
    REQUIRE(handler.set_notification(user::Notification(CPtr{63})).ok());
    auto silent = handler.set_priority(0);
    REQUIRE_FALSE(silent.ok());
    CHECK(silent.error().code == ErrorCode::RangeError);
    CHECK(silent.error().range_min == 1);
    CHECK(silent.error().range_max == 7);
    REQUIRE(handler.set_priority(6).ok());
    CHECK(plic.line_status(10).value().priority == 6);
    auto status = handler.status();
    REQUIRE(status.ok());
    CHECK(status.value().bound);
    CHECK_FALSE(status.value().masked);
    CHECK(status.value().delivered == 0);
    CHECK(status.value().line == 10);
    CHECK_FALSE(status.value().shared);
    CHECK_FALSE(status.value().awaiting_ack);
    REQUIRE(handler.ack().ok());
    REQUIRE(handler.clear().ok());
    CHECK_FALSE(handler.status().value().bound);
    REQUIRE(kRoot.delete_(SlotPath::at(CPtr{61})).ok());
    CHECK(plic.line_status(10).value().masked);
    object_finalisers() = ObjectFinalisers{};
    kernel_irq_handlers().reset();
}
