#pragma once
// What the address-space tests (map*_test.cpp, asid*_test.cpp) share: exact error
// comparison, aligned address ranges, capability copies, and *probes*: a thread that
// performs one memory access somewhere and records whether it got through. A probe
// that faults is suspended by the kernel, which logs it; probe threads are named
// "fault-..." when the test expects the fault (the system test forbids any other thread
// being suspended by a fault). The probe code is a few position-independent instructions,
// so it runs in the root task's VSpace as it is, and in any other VSpace from a copy of
// its bytes (make_probe_space).
#include "harness.hpp"

namespace tessera::roottask::maptest {

// ---- Errors ----

user::Error invalid_argument(u64 word);
user::Error invalid_capability(u64 index);
// A FailedLookup as Frame.Map and the VSpace checks report it (never the source side).
user::Error failed_lookup(LookupFailureType type, u64 bits_left = 0);
inline user::Error error_of(ErrorCode code) { return user::Error::of(code); }

// Counts a failure unless `result` is exactly the error `wanted` (code and details).
void expect_error_in(TestContext& t, bool ok, const user::Error& error, const user::Error& wanted,
                     kstd::StringView what);
template <typename T>
void expect_error(TestContext& t, const user::Result<T>& result, const user::Error& wanted, kstd::StringView what) {
    expect_error_in(t, result.ok(), result.ok() ? user::Error{} : result.error(), wanted, what);
}
template <typename T> void expect_ok(TestContext& t, const user::Result<T>& result, kstd::StringView what) {
    if (!result.ok()) t.fail_with(what, result.error());
}

// ---- Addresses and capabilities ----

// A fresh range of the root task's dynamic window, aligned to 2^bits and 2^bits long.
user::Result<u64> reserve_aligned(TestContext& t, unsigned bits);
// A copy of `cap` (rights masked) in a new slot of the test.
user::Result<user::CPtr> copy_cap(TestContext& t, user::CPtr cap, user::CapRights rights = user::CapRights::all());
// A root PageTable of the test with an ASID of `pool`: an empty VSpace.
user::Result<user::PageTable> new_vspace(TestContext& t, user::AsidPool pool);
// Where the next object of 2^object_bits bytes from the test's Untyped will be: its
// offset from the Untyped's base, as the allocator places it (the harness does not tell
// the test its Untyped's physical address: GetAddress minus this offset is the base).
u64 next_offset(TestContext& t, unsigned object_bits);
// Whether [physical, physical + bytes) lies inside one RAM Untyped of BootInfo.
bool inside_boot_ram(TestContext& t, u64 physical, u64 bytes);
inline volatile u64* words_at(u64 address) { return reinterpret_cast<volatile u64*>(address); }

// ---- Probes ----

struct ProbeRecord {
    u64 value; // what a load read, or what a store wrote
    u64 done;  // 1 once the access got through
};

// Where probe threads run: a VSpace holding the probe code and a record.
struct ProbeSpace {
    user::PageTable vspace;
    u64 code = 0;   // the probe code's address there
    u64 record = 0; // the record's address there
    volatile ProbeRecord* record_here = nullptr; // the same record, for the root task
    user::Frame code_frame;                      // the frame the copy of the code lives in
};

// The root task's own VSpace (the code and record where the linker put them).
ProbeSpace own_probe_space(TestContext& t);
// A new VSpace from `pool` with a copy of the code at kProbeCodeAddress and a record at
// kProbeRecordAddress (page tables from the test's memory).
inline constexpr u64 kProbeCodeAddress = 0x10000;
inline constexpr u64 kProbeRecordAddress = 0x11000;
user::Result<ProbeSpace> make_probe_space(TestContext& t, user::AsidPool pool);

// The probe code's bytes and the offsets of its entry points in them.
kstd::Bytes probe_code();
u64 probe_load_offset();
u64 probe_store_offset();

enum class Access { Load, Store, Execute };

struct ProbeResult {
    bool completed = false; // false: the thread faulted and is suspended
    u64 value = 0;          // what it loaded or stored
    u64 stopped_pc = 0;     // where a faulted thread stopped (its pc)
};

// Runs a thread named `name` (at most 15 bytes) in `space` that loads from, stores
// `value` to, or jumps to (Execute: `address` must hold a copy of the probe code's load
// entry, which then reads the record) `address`; it runs to its end or its fault before
// this returns.
user::Result<ProbeResult> run_probe(TestContext& t, const ProbeSpace& space, kstd::StringView name, Access access,
                                    u64 address, u64 value = 0);

// The address of the instruction a faulting probe stops at.
u64 probe_fault_pc(const ProbeSpace& space, Access access, u64 address);

// Expects a load probe at `address` to read `wanted` (named `name`, not "fault-").
void expect_reads(TestContext& t, const ProbeSpace& space, kstd::StringView name, u64 address, u64 wanted);
// Expects the access to fault at the probe's instruction (`name` starts with "fault-").
void expect_faults(TestContext& t, const ProbeSpace& space, kstd::StringView name, Access access, u64 address);

} // namespace tessera::roottask::maptest
