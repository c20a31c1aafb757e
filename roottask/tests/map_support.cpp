#include <kstd/bit.hpp>
#include <userlib/syscalls.hpp>

#include "map_support.hpp"

// The probe: a0 the address, a1 the record, a2 the value to store. It performs the one
// access, records the value and "done", and suspends itself for good. Position-
// independent (no absolute address), so a byte copy runs anywhere.
static_assert(static_cast<u64>(tessera::Syscall::DebugSuspend) == 0x102, "the probe's `li a7` below");
asm(R"(
    .pushsection .text.tessera_probe, "ax", @progbits
    .balign 4
    .globl tessera_probe_code_start, tessera_probe_load, tessera_probe_store, tessera_probe_code_end
    .hidden tessera_probe_code_start, tessera_probe_load, tessera_probe_store, tessera_probe_code_end
tessera_probe_code_start:
tessera_probe_load:
    ld t0, 0(a0)
    sd t0, 0(a1)
    j 1f
tessera_probe_store:
    sd a2, 0(a0)
    sd a2, 0(a1)
1:  li t0, 1
    sd t0, 8(a1)
2:  li a7, 0x102
    ecall
    j 2b
tessera_probe_code_end:
    .popsection
)");

extern "C" const u8 tessera_probe_code_start[];
extern "C" const u8 tessera_probe_load[];
extern "C" const u8 tessera_probe_store[];
extern "C" const u8 tessera_probe_code_end[];

namespace tessera::roottask::maptest {

namespace {

// The record of probes in the root task's own VSpace.
ProbeRecord g_own_record;

} // namespace

user::Error invalid_argument(u64 word) {
    user::Error e = user::Error::of(ErrorCode::InvalidArgument);
    e.argument = word;
    return e;
}

user::Error invalid_capability(u64 index) {
    user::Error e = user::Error::of(ErrorCode::InvalidCapability);
    e.argument = index;
    return e;
}

user::Error failed_lookup(LookupFailureType type, u64 bits_left) {
    user::Error e = user::Error::of(ErrorCode::FailedLookup);
    e.lookup.type = type;
    e.lookup.bits_left = bits_left;
    return e;
}

void expect_error_in(TestContext& t, bool ok, const user::Error& error, const user::Error& wanted,
                     kstd::StringView what) {
    if (ok) t.expect(false, "{}: succeeded, expected {}", what, wanted);
    else t.expect(error == wanted, "{}: answered {}, expected {}", what, error, wanted);
}

user::Result<u64> reserve_aligned(TestContext& t, unsigned bits) {
    u64 base = TRY(t.root().addresses.reserve(2 * (kstd::bit(bits) / kPageBytes), 0));
    return kstd::align_up(base, kstd::bit(bits));
}

user::Result<user::CPtr> copy_cap(TestContext& t, user::CPtr cap, user::CapRights rights) {
    user::CPtr slot = TRY(t.objects().slots().allocate());
    TRY(t.own_cnode().copy(user::SlotPath::at(slot), t.own_cnode(), user::SlotPath::at(cap), rights));
    return slot;
}

user::Result<user::PageTable> new_vspace(TestContext& t, user::AsidPool pool) {
    user::PageTable root(TRY(t.objects().allocate(ObjectType::PageTable)));
    TRY(pool.assign(root));
    return root;
}

u64 next_offset(TestContext& t, unsigned object_bits) {
    auto index = t.objects().choose_region(object_bits, 1, false);
    if (!index) return 0;
    const user::UntypedRegion& region = t.objects().regions()[*index];
    return *user::placement_in(region, object_bits, 1);
}

bool inside_boot_ram(TestContext& t, u64 physical, u64 bytes) {
    for (const UntypedDescriptor& untyped : t.root().boot_info.untypeds())
        if (untyped.is_device == 0 && untyped.physical <= physical &&
            physical + bytes <= untyped.physical + kstd::bit(untyped.size_bits))
            return true;
    return false;
}

kstd::Bytes probe_code() {
    return kstd::Bytes(tessera_probe_code_start, static_cast<usize>(tessera_probe_code_end - tessera_probe_code_start));
}
u64 probe_load_offset() { return static_cast<u64>(tessera_probe_load - tessera_probe_code_start); }
u64 probe_store_offset() { return static_cast<u64>(tessera_probe_store - tessera_probe_code_start); }

ProbeSpace own_probe_space(TestContext& t) {
    ProbeSpace space;
    space.vspace = t.own_vspace();
    space.code = reinterpret_cast<u64>(tessera_probe_code_start);
    space.record = reinterpret_cast<u64>(&g_own_record);
    space.record_here = &g_own_record;
    return space;
}

user::Result<ProbeSpace> make_probe_space(TestContext& t, user::AsidPool pool) {
    user::ObjectAllocator& objects = t.objects();
    ProbeSpace space;
    space.vspace = TRY(new_vspace(t, pool));

    u64 code_here = TRY(t.root().addresses.reserve(1));
    space.code_frame = TRY(user::map_new_frame(objects, objects, t.own_vspace(), code_here, VmRights::kReadWrite));
    kstd::Bytes code = probe_code();
    auto* destination = reinterpret_cast<volatile u8*>(code_here);
    for (usize i = 0; i < code.size(); ++i) destination[i] = code[i];
    asm volatile("fence.i" ::: "memory");
    user::Frame code_copy(TRY(copy_cap(t, space.code_frame.cap())));
    TRY(user::map_frame(objects, space.vspace, code_copy, kProbeCodeAddress, VmRights::kReadExecute));

    u64 record_here = TRY(t.root().addresses.reserve(1));
    user::Frame record = TRY(user::map_new_frame(objects, objects, t.own_vspace(), record_here, VmRights::kReadWrite));
    user::Frame record_copy(TRY(copy_cap(t, record.cap())));
    TRY(user::map_frame(objects, space.vspace, record_copy, kProbeRecordAddress, VmRights::kReadWrite));

    space.code = kProbeCodeAddress;
    space.record = kProbeRecordAddress;
    space.record_here = reinterpret_cast<volatile ProbeRecord*>(record_here);
    return space;
}

u64 probe_fault_pc(const ProbeSpace& space, Access access, u64 address) {
    switch (access) {
    case Access::Load: return space.code + probe_load_offset();
    case Access::Store: return space.code + probe_store_offset();
    case Access::Execute: return address;
    }
    return 0;
}

user::Result<ProbeResult> run_probe(TestContext& t, const ProbeSpace& space, kstd::StringView name, Access access,
                                    u64 address, u64 value) {
    user::Tcb tcb(TRY(t.objects().allocate(ObjectType::Tcb)));
    TRY(tcb.configure(user::CPtr{0}, t.own_cnode(), 0, space.vspace, 0, 0, user::Frame{}));
    // Above the root task: the probe runs to its end (or fault) as soon as it is resumed.
    TRY(tcb.set_priority(kRootRunPriority + 1, RootEnvironment::own_caps().tcb));
    TRY(tcb.set_name(name));
    space.record_here->value = 0;
    space.record_here->done = 0;

    arch::UserContext registers{};
    registers.pc = access == Access::Execute ? address : probe_fault_pc(space, access, address);
    registers.reg(10) = access == Access::Execute ? space.record : address; // a0
    registers.reg(11) = space.record;                                       // a1
    registers.reg(12) = value;                                              // a2
    TRY(tcb.write_registers(registers, true));
    for (unsigned i = 0; i < 4 && space.record_here->done == 0; ++i) user::yield();

    ProbeResult result;
    result.completed = space.record_here->done == 1;
    result.value = space.record_here->value;
    if (!result.completed) result.stopped_pc = TRY(tcb.read_registers(1)).pc;
    return result;
}

void expect_reads(TestContext& t, const ProbeSpace& space, kstd::StringView name, u64 address, u64 wanted) {
    auto probe = run_probe(t, space, name, Access::Load, address);
    if (!probe) return t.fail_with("starting a load probe", probe.error());
    t.expect(probe.value().completed, "{}: the load at {} faulted (pc {})", name, kstd::Hex{address},
             kstd::Hex{probe.value().stopped_pc});
    t.expect(!probe.value().completed || probe.value().value == wanted, "{}: read {} at {}, expected {}", name,
             kstd::Hex{probe.value().value}, kstd::Hex{address}, kstd::Hex{wanted});
}

void expect_faults(TestContext& t, const ProbeSpace& space, kstd::StringView name, Access access, u64 address) {
    auto probe = run_probe(t, space, name, access, address, 0x5a5a);
    if (!probe) return t.fail_with("starting a probe", probe.error());
    t.expect(!probe.value().completed, "{}: the access to {} did not fault", name, kstd::Hex{address});
    u64 wanted_pc = probe_fault_pc(space, access, address);
    t.expect(probe.value().completed || probe.value().stopped_pc == wanted_pc,
             "{}: the thread stopped at pc {}, not at the access ({})", name, kstd::Hex{probe.value().stopped_pc},
             kstd::Hex{wanted_pc});
}

} // namespace tessera::roottask::maptest
