// The root task: found in the boot image, given its CNode, TCB, address space, BootInfo
// and all remaining memory as Untyped, then made runnable. The layout it receives is the
// ABI in abi/bootinfo.hpp; docs/boot.md describes it.
#include <abi/bootinfo.hpp>
#include <abi/vm.hpp>
#include <arch/address_space.hpp>
#include <arch/interface.hpp>
#include <arch/user_context.hpp>
#include <boot/root_task.hpp>
#include <boot/root_task_arena.hpp>
#include <bootimage/cpio.hpp>
#include <bootimage/elf.hpp>
#include <console/console.hpp>
#include <memory/untyped_blocks.hpp>
#include <object/cspace.hpp>
#include <object/derivation.hpp>
#include <sched/kernel_entry.hpp>

namespace tessera {

namespace {

constexpr u64 kPage = kPageBytes;
constexpr u64 kRootCNodeSlots = u64{1} << kRootCNodeRadix;

template <typename... Args> RootTaskError failure(kstd::StringView pattern, const Args&... args) {
    RootTaskError error;
    kstd::BufferSink sink(error.message, sizeof(error.message));
    kstd::format_to(sink, "root task: ");
    kstd::format_to(sink, pattern, args...);
    return error;
}

u64 pages_spanned(u64 address, u64 bytes) {
    return (kstd::align_up(address + bytes, kPage) - kstd::align_down(address, kPage)) / kPage;
}

u64 kernel_address(u64 physical) { return reinterpret_cast<u64>(arch::physical_to_virtual(PhysAddr{physical})); }

// A zeroed block of 2^size_bits bytes from the arena, by its kernel address.
kstd::Result<u64, RootTaskError> take_zeroed(RootTaskArena& arena, unsigned size_bits) {
    auto physical = arena.take(size_bits);
    if (!physical) return kstd::fail(failure("the object arena is too small (kernel bug)"));
    u64 address = kernel_address(*physical);
    __builtin_memset(reinterpret_cast<void*>(address), 0, kstd::bit(size_bits));
    return address;
}

// Builds the root task's CSpace and address space slot by slot.
class RootTaskBuilder {
public:
    RootTaskBuilder(RootTaskArena& arena, Slot* slots) : arena_(arena), slots_(slots) {}

    kstd::Result<u64, RootTaskError> take(unsigned size_bits) { return take_zeroed(arena_, size_bits); }

    Slot& slot(RootSlot which) { return slots_[static_cast<u64>(which)]; }
    Slot& slot(u64 index) { return slots_[index]; }

    // A fresh page from the arena, filled from `contents` (the rest zero), as a frame
    // capability in slot `index`, mapped at `vaddr`.
    kstd::Result<void, RootTaskError> map_new_page(u64 index, u64 vaddr, kstd::Bytes contents, u64 rights) {
        u64 page = TRY(take(kPageBits));
        if (!contents.empty()) __builtin_memcpy(reinterpret_cast<void*>(page), contents.data(), contents.size());
        place_original(Capability::frame(page, kPageBits, false, Rights::all()), slots_[index]);
        return map_frame(index, vaddr, rights);
    }

    // Maps the frame in slot `index` at `vaddr`, making the page tables on the way.
    kstd::Result<void, RootTaskError> map_frame(u64 index, u64 vaddr, u64 rights) {
        for (unsigned attempt = 0; attempt <= 3; ++attempt) {
            auto mapped = arch::boot_map_frame(slot(RootSlot::VSpace), slots_[index], vaddr, rights);
            if (mapped) return {};
            if (mapped.error().code != ErrorCode::FailedLookup)
                return kstd::fail(failure("cannot map {}: {}", kstd::Hex{vaddr}, error_code_name(mapped.error().code)));
            if (next_table_ >= kRootCNodeSlots) return kstd::fail(failure("out of CNode slots for page tables"));
            u64 table = TRY(take(kPageTableSizeBits));
            place_original(Capability::page_table(table), slots_[next_table_]);
            auto table_mapped = arch::boot_map_page_table(slot(RootSlot::VSpace), slots_[next_table_], vaddr);
            if (!table_mapped)
                return kstd::fail(failure("cannot map a page table for {}: {}", kstd::Hex{vaddr},
                                          error_code_name(table_mapped.error().code)));
            ++next_table_;
        }
        return kstd::fail(failure("mapping {} needs more than three page tables (kernel bug)", kstd::Hex{vaddr}));
    }

    void set_first_table_slot(u64 index) {
        first_table_ = index;
        next_table_ = index;
    }
    SlotRange page_tables() const { return SlotRange{first_table_, next_table_}; }

private:
    RootTaskArena& arena_;
    Slot* slots_;
    u64 first_table_ = 0;
    u64 next_table_ = 0;
};

u64 segment_rights(const ElfSegment& segment) {
    u64 rights = VmRights::kUser;
    if (segment.readable || segment.executable) rights |= VmRights::kRead;
    if (segment.writable) rights |= VmRights::kWrite | VmRights::kRead;
    if (segment.executable) rights |= VmRights::kExecute;
    return rights;
}

// Maps each page of each segment, copying its file bytes.
kstd::Result<void, RootTaskError> load_segments(RootTaskBuilder& builder, const ElfImage& image, u64& next_slot) {
    for (const ElfSegment& segment : image.segments) {
        u64 first = kstd::align_down(segment.virtual_address, kPage);
        u64 last = kstd::align_up(segment.end(), kPage);
        for (u64 page = first; page < last; page += kPage) {
            // The part of the file that lands in this page.
            u64 file_start = segment.virtual_address, file_end = segment.virtual_address + segment.file_size;
            u64 copy_start = kstd::max(page, file_start), copy_end = kstd::min(page + kPage, file_end);
            u64 index = next_slot++;
            TRY(builder.map_new_page(index, page, kstd::Bytes(), segment_rights(segment)));
            if (copy_end > copy_start) {
                auto* target = reinterpret_cast<u8*>(builder.slot(index).cap.address()) + (copy_start - page);
                __builtin_memcpy(target, segment.contents.data() + (copy_start - file_start), copy_end - copy_start);
            }
        }
    }
    return {};
}

u64 device_untypeds(const BootInfo& info) {
    u64 count = 0;
    for (u64 i = 0; i < info.untyped_count; ++i) count += info.untyped_list[i].is_device;
    return count;
}

// The thread: highest priority, its own capabilities in its TCB, entry with a0 = BootInfo.
void start_root_thread(RootTaskBuilder& builder, u64 tcb_address, u64 entry) {
    Tcb& thread = *reinterpret_cast<Tcb*>(tcb_address);
    Slot& cnode = builder.slot(RootSlot::CNode);
    Slot& vspace = builder.slot(RootSlot::VSpace);
    Slot& ipc_frame = builder.slot(RootSlot::IpcBufferFrame);
    insert_child(cnode.cap, cnode, thread.slot(TcbSlot::CSpaceRoot), false);
    insert_child(vspace.cap, vspace, thread.slot(TcbSlot::VSpaceRoot), false);
    insert_child(arch::unmapped_copy(ipc_frame.cap), ipc_frame, thread.slot(TcbSlot::IpcBuffer), false);
    thread.ipc_buffer = kRootIpcBufferAddress;
    thread.schedule.priority = kMaxPriority;
    thread.max_controlled_priority = kMaxPriority;
    const char name[] = "roottask";
    __builtin_memcpy(thread.name, name, sizeof(name));
    arch::init_user_context(thread.registers, entry, kRootStackTop, kRootBootInfoAddress);
    resume_thread(thread);
}

} // namespace

kstd::Result<void, RootTaskError> build_root_task(BootState& state) {
    if (!state.platform.initrd) return kstd::fail(failure("no boot image (QEMU: -initrd <archive>)"));
    PhysRange initrd = *state.platform.initrd;
    kstd::Bytes archive(static_cast<const u8*>(arch::physical_to_virtual(PhysAddr{initrd.base})), initrd.size());
    auto file = cpio_find(archive, kRootTaskFileName);
    if (!file) return kstd::fail(failure("boot image: '{}': {}", kRootTaskFileName, file.error()));
    auto parsed = parse_elf(file.value().data, ElfTarget{static_cast<ElfMachine>(arch::kUserElfMachine), kRootBootInfoAddress});
    if (!parsed) return kstd::fail(failure("'{}': {}", kRootTaskFileName, parsed.error()));
    const ElfImage& image = parsed.value();

    u64 image_pages = 0;
    u64 previous_end = 0;
    for (const ElfSegment& segment : image.segments) {
        // Each page gets the rights of one segment, so segments may not share a page.
        if (kstd::align_down(segment.virtual_address, kPage) < kstd::align_up(previous_end, kPage))
            return kstd::fail(failure("'{}': its segments share the page at {} (link with page-aligned segments)",
                                      kRootTaskFileName, kstd::Hex{kstd::align_down(segment.virtual_address, kPage)}));
        previous_end = segment.end();
        image_pages += pages_spanned(segment.virtual_address, segment.memory_size);
    }
    u64 device_tree_pages = pages_spanned(0, state.platform.device_tree.size());
    u64 boot_image_pages = pages_spanned(initrd.base, initrd.size());
    if (kRootDeviceTreeAddress + device_tree_pages * kPage > kRootBootImageAddress)
        return kstd::fail(failure("the device tree ({} bytes) does not fit its window", state.platform.device_tree.size()));
    // Page tables: a run of pages needs one table per 2 MiB it touches and one per 1 GiB,
    // plus one more of each where it crosses a boundary: four per run at most beyond
    // what its length needs. The runs: each segment, the boot window (BootInfo, IPC
    // buffer, stack), the device tree, the boot image.
    u64 runs = image.segments.size() + 3;
    u64 table_bound = 4 * runs + (image_pages + device_tree_pages + boot_image_pages + kRootStackPages) / 512 * 2;
    // The fixed objects: TCB, ASID pool, root table, BootInfo and IPC buffer take a page
    // each (the 1 KiB TCB leaves the rest of its page to alignment).
    constexpr u64 kFixedObjectPages = 5;
    u64 arena_bytes = (kRootCNodeSlots << kCNodeSlotSizeBits) +
                      kPage * (kFixedObjectPages + kRootStackPages + image_pages + device_tree_pages + table_bound);
    auto found = RootTaskArena::reserve(state.memory.free, arena_bytes, kRootCNodeRadix + kCNodeSlotSizeBits);
    if (!found) return kstd::fail(failure("no free RAM holds its {} KiB of objects", arena_bytes / 1024));
    RootTaskArena arena = *found;

    // The CNode first (it is the most strictly aligned), then the other fixed objects.
    u64 cnode_address = TRY(take_zeroed(arena, kRootCNodeRadix + kCNodeSlotSizeBits));
    Slot* slots = reinterpret_cast<Slot*>(cnode_address);
    RootTaskBuilder builder(arena, slots);
    Capability cnode = Capability::cnode(cnode_address, kRootCNodeRadix, kWordBits - kRootCNodeRadix, 0);
    place_original(cnode, builder.slot(RootSlot::CNode));

    u64 tcb_address = TRY(builder.take(kTcbSizeBits));
    place_original(Capability::tcb(tcb_address), builder.slot(RootSlot::Tcb));
    place_original(Capability::irq_control(), builder.slot(RootSlot::IrqControl));
    place_original(Capability::asid_control(), builder.slot(RootSlot::AsidControl));
    u64 pool_address = TRY(builder.take(kAsidPoolSizeBits));
    place_original(arch::boot_make_asid_pool(pool_address, 0), builder.slot(RootSlot::AsidPool));
    u64 root_table = TRY(builder.take(kPageTableSizeBits));
    place_original(Capability::page_table(root_table), builder.slot(RootSlot::VSpace));
    if (auto assigned = arch::boot_assign_asid(builder.slot(RootSlot::AsidPool), builder.slot(RootSlot::VSpace)); !assigned)
        return kstd::fail(failure("cannot assign its ASID: {}", error_code_name(assigned.error().code)));

    // Frames: the ELF image and the stack, the device tree, the boot image; then the page
    // tables the mappings needed.
    u64 next_slot = static_cast<u64>(RootSlot::FirstFree);
    builder.set_first_table_slot(next_slot + image_pages + kRootStackPages + device_tree_pages + boot_image_pages);
    TRY(builder.map_new_page(static_cast<u64>(RootSlot::BootInfoFrame), kRootBootInfoAddress, kstd::Bytes(),
                             VmRights::kReadOnly));
    TRY(builder.map_new_page(static_cast<u64>(RootSlot::IpcBufferFrame), kRootIpcBufferAddress, kstd::Bytes(),
                             VmRights::kReadWrite));
    // Filled in place: the kernel writes the page through the direct map.
    BootInfo& info = *reinterpret_cast<BootInfo*>(builder.slot(RootSlot::BootInfoFrame).cap.address());
    info.image_frames.start = next_slot;
    TRY(load_segments(builder, image, next_slot));
    u64 stack_base = kRootStackTop - kRootStackPages * kPage;
    for (u64 page = 0; page < kRootStackPages; ++page)
        TRY(builder.map_new_page(next_slot++, stack_base + page * kPage, kstd::Bytes(), VmRights::kReadWrite));
    info.image_frames.end = next_slot;

    info.device_tree_frames.start = next_slot;
    auto* device_tree = static_cast<const u8*>(arch::physical_to_virtual(PhysAddr{state.platform.device_tree.base}));
    for (u64 page = 0; page < device_tree_pages; ++page) {
        u64 offset = page * kPage;
        u64 bytes = kstd::min(kPage, state.platform.device_tree.size() - offset);
        TRY(builder.map_new_page(next_slot++, kRootDeviceTreeAddress + offset, kstd::Bytes(device_tree + offset, bytes),
                                 VmRights::kReadOnly));
    }
    info.device_tree_frames.end = next_slot;

    // The boot image stays where the firmware put it: its pages become frames in place.
    info.boot_image_frames.start = next_slot;
    u64 boot_image_first_page = kstd::align_down(initrd.base, kPage);
    for (u64 page = 0; page < boot_image_pages; ++page) {
        u64 index = next_slot++;
        place_original(Capability::frame(kernel_address(boot_image_first_page + page * kPage), kPageBits, false,
                                         Rights{Rights::kRead}),
                       builder.slot(index));
        TRY(builder.map_frame(index, kRootBootImageAddress + page * kPage, VmRights::kReadOnly));
    }
    info.boot_image_frames.end = next_slot;
    info.page_tables = builder.page_tables();
    next_slot = info.page_tables.end;

    // Everything the root task's objects occupy is reserved; what stays free becomes its
    // Untyped memory.
    if (!state.kernel_reservations.push_back({arena.used(), ReservedKind::RootTaskObjects, {}}))
        return kstd::fail(failure("too many kernel reservations (kernel bug)"));
    if (auto accounted = account_memory(state.platform, state.kernel_reservations.span(), state.memory); !accounted)
        return kstd::fail(failure("{}", accounted.error()));
    info.untyped.start = next_slot;
    u64 left_out_bytes = 0;
    auto add_untyped = [&](u64 physical, unsigned size_bits, bool device) {
        if (info.untyped_count >= kMaxBootUntypeds || next_slot >= kRootCNodeSlots) {
            left_out_bytes += kstd::bit(size_bits);
            return;
        }
        u64 address = device ? physical : kernel_address(physical);
        place_original(Capability::untyped(address, size_bits, device), builder.slot(next_slot++));
        UntypedDescriptor& descriptor = info.untyped_list[info.untyped_count++];
        descriptor.physical = physical;
        descriptor.size_bits = static_cast<u8>(size_bits);
        descriptor.is_device = device ? 1 : 0;
    };
    for (const PhysRange& range : state.memory.free)
        for_each_untyped_block(range, [&](UntypedBlock block) { add_untyped(block.base, block.size_bits, false); });
    for (const PhysRange& range : state.platform.device_regions)
        for_each_untyped_block(range, [&](UntypedBlock block) { add_untyped(block.base, block.size_bits, true); });
    info.untyped.end = next_slot;
    if (left_out_bytes != 0)
        kprintln("root task: {} KiB of memory left out: more Untyped blocks than BootInfo lists", left_out_bytes / 1024);

    info.magic = kBootInfoMagic;
    info.version = kBootInfoVersion;
    info.root_cnode_radix = kRootCNodeRadix;
    info.ipc_buffer = kRootIpcBufferAddress;
    info.empty = SlotRange{next_slot, kRootCNodeSlots};
    info.device_tree = kRootDeviceTreeAddress;
    info.device_tree_size = state.platform.device_tree.size();
    info.boot_image = kRootBootImageAddress + (initrd.base - boot_image_first_page);
    info.boot_image_size = initrd.size();
    info.stack_top = kRootStackTop;
    info.kernel_entry_cycle = arch::kernel_entry_cycle();

    start_root_thread(builder, tcb_address, image.entry);
    kprintln("root task: entry {}, {} image pages, {} untyped ({} device), slots {}..{} free", kstd::Hex{image.entry},
             image_pages, info.untyped_count, device_untypeds(info), info.empty.start, info.empty.end - 1);
    return {};
}

} // namespace tessera
