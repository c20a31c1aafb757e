// The kernel's final address space: the image in the top 2 GiB with W^X per section and
// guard pages under the kernel stacks, all RAM in the direct map (never executable, and
// read-only where it aliases the kernel's text and read-only data), and the registers of
// the devices the kernel touches in a window of their own.
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <arch/kernel_space.hpp>
#include <kstd/bit.hpp>
#include <memory/boot_page_allocator.hpp>
#include <memory/region_set.hpp>
#include <platform/platform_info.hpp>

extern "C" {
extern u8 __text_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[], __kernel_end[];
extern u8 kernel_stacks[], emergency_stacks[];
extern arch::sv39::Pte boot_root_table[512];
}

namespace arch {

namespace {

using sv39::kExecute;
using sv39::kGlobal;
using sv39::kRead;
using sv39::kWrite;

u64 kernel_root_physical = 0;
tessera::RegionSet mapped_devices; // page-rounded physical ranges, in the device window

u64 allocate_from_boot_allocator(void* context) {
    auto page = static_cast<tessera::BootPageAllocator*>(context)->allocate_page();
    return page ? page->value : 0;
}

sv39::Pte* table_in_direct_map(void*, u64 physical) {
    return static_cast<sv39::Pte*>(physical_to_virtual(tessera::PhysAddr{physical}));
}

u64 to_physical(const u8* kernel_address) { return reinterpret_cast<u64>(kernel_address) - KERNEL_VIRT_OFFSET; }

kstd::Result<void, kstd::StringView> map_image_part(sv39::PageTable& table, const u8* start, const u8* end,
                                                    sv39::Pte permissions) {
    u64 virt = reinterpret_cast<u64>(start);
    return table.map(virt, to_physical(start), reinterpret_cast<u64>(end) - virt, permissions);
}

kstd::Result<void, kstd::StringView> map_kernel_image(sv39::PageTable& table) {
    TRY(map_image_part(table, __text_start, __text_end, kRead | kExecute | kGlobal));
    TRY(map_image_part(table, __rodata_start, __rodata_end, kRead | kGlobal));
    TRY(map_image_part(table, __data_start, kernel_stacks, kRead | kWrite | kGlobal));
    constexpr u64 slot = PAGE_SIZE + KERNEL_STACK_SIZE;
    for (u64 cpu = 0; cpu < TESSERA_MAX_CPUS; ++cpu) {
        const u8* stack = kernel_stacks + cpu * slot + PAGE_SIZE; // the page below stays unmapped
        TRY(map_image_part(table, stack, stack + KERNEL_STACK_SIZE, kRead | kWrite | kGlobal));
    }
    return map_image_part(table, emergency_stacks, __kernel_end, kRead | kWrite | kGlobal);
}

kstd::Result<void, kstd::StringView> map_direct(sv39::PageTable& table, tessera::PhysRange range,
                                                sv39::Pte permissions) {
    if (range.empty()) return {};
    if (range.end > DIRECT_MAP_SIZE) return kstd::fail(kstd::StringView("RAM beyond the 128 GiB direct map"));
    return table.map(DIRECT_MAP_BASE + range.base, range.base, range.size(), permissions);
}

kstd::Result<void, kstd::StringView> map_ram(sv39::PageTable& table, const tessera::PlatformInfo& platform) {
    tessera::PhysRange read_only{to_physical(__text_start), to_physical(__rodata_end)};
    for (const tessera::PhysRange& described : platform.memory) {
        tessera::PhysRange ram{kstd::align_up(described.base, PAGE_SIZE), kstd::align_down(described.end, PAGE_SIZE)};
        if (ram.empty()) continue;
        if (!ram.overlaps(read_only)) {
            TRY(map_direct(table, ram, kRead | kWrite | kGlobal));
            continue;
        }
        TRY(map_direct(table, {ram.base, kstd::max(ram.base, read_only.base)}, kRead | kWrite | kGlobal));
        TRY(map_direct(table, {kstd::max(ram.base, read_only.base), kstd::min(ram.end, read_only.end)},
                       kRead | kGlobal));
        TRY(map_direct(table, {kstd::min(ram.end, read_only.end), ram.end}, kRead | kWrite | kGlobal));
    }
    // Discovery's strings point into the device tree, so it must stay readable even when
    // the firmware put it outside the RAM the tree describes.
    tessera::PhysRange tree{kstd::align_down(platform.device_tree.base, PAGE_SIZE),
                            kstd::align_up(platform.device_tree.end, PAGE_SIZE)};
    bool tree_in_ram = false;
    for (const tessera::PhysRange& described : platform.memory) tree_in_ram |= described.contains(tree);
    if (!tree_in_ram) TRY(map_direct(table, tree, kRead | kGlobal));
    return {};
}

// The devices the kernel touches itself: the interrupt controller, and the console UART,
// which the interrupt self-test makes raise an interrupt (console output goes through the
// firmware). Each is mapped at KERNEL_DEVICE_BASE + its physical address, so large aligned
// windows (the PLIC's) get large pages; a device beyond the window stays unmapped, and
// whoever looks for it is told so by kernel_device_registers().
kstd::Result<void, kstd::StringView> map_kernel_devices(sv39::PageTable& table,
                                                        const tessera::PlatformInfo& platform) {
    mapped_devices = tessera::RegionSet{};
    auto add = [](tessera::PhysRange registers) {
        tessera::PhysRange pages{kstd::align_down(registers.base, PAGE_SIZE),
                                 kstd::align_up(registers.end, PAGE_SIZE)};
        if (pages.empty() || pages.end > KERNEL_DEVICE_WINDOW_SIZE) return true;
        return mapped_devices.add(pages);
    };
    bool recorded = true;
    if (platform.interrupt_controller == tessera::InterruptControllerKind::Plic)
        recorded &= add(platform.plic.registers);
    if (platform.console) recorded &= add(platform.console->registers);
    if (!recorded) return kstd::fail(kstd::StringView("too many kernel device ranges"));
    for (const tessera::PhysRange& pages : mapped_devices)
        TRY(table.map(KERNEL_DEVICE_BASE + pages.base, pages.base, pages.size(), kRead | kWrite | kGlobal));
    return {};
}

// boot_entry.S mapped only the gigapages holding the kernel and the device tree. Page-table
// pages come from the top of RAM, so before building the final tables every gigapage of
// RAM joins the boot table's direct map, coarsely and only until the switch below.
void map_ram_in_boot_table(const tessera::PlatformInfo& platform) {
    constexpr u64 gigapage = sv39::page_size_at_level(2);
    for (const tessera::PhysRange& range : platform.memory) {
        u64 end = kstd::min(range.end, u64{DIRECT_MAP_SIZE});
        for (u64 base = kstd::align_down(range.base, gigapage); base < end; base += gigapage) {
            sv39::Pte& entry = boot_root_table[sv39::index_at_level(DIRECT_MAP_BASE + base, 2)];
            if ((entry & sv39::kValid) == 0)
                entry = sv39::make_pte(base, sv39::kValid | kRead | kWrite | kGlobal | sv39::kAccessed | sv39::kDirty);
        }
    }
    asm volatile("sfence.vma" ::: "memory");
}

} // namespace

kstd::Result<void, kstd::StringView> build_kernel_address_space(const tessera::PlatformInfo& platform,
                                                                tessera::BootPageAllocator& allocator) {
    map_ram_in_boot_table(platform);
    sv39::Memory memory{allocate_from_boot_allocator, table_in_direct_map, &allocator};
    u64 root = allocate_from_boot_allocator(&allocator);
    if (root == 0) return kstd::fail(kstd::StringView("no free page for the root page table"));
    sv39::PageTable table(root, memory);
    TRY(map_kernel_image(table));
    TRY(map_ram(table, platform));
    TRY(map_kernel_devices(table, platform));

    write_csr<Csr::satp>(SATP_MODE_SV39 | (root >> 12));
    asm volatile("sfence.vma" ::: "memory");
    kernel_root_physical = root;
    return {};
}

sv39::PageTable active_kernel_page_table() {
    sv39::Memory memory{[](void*) -> u64 { return 0; }, table_in_direct_map, nullptr};
    return sv39::PageTable((read_csr<Csr::satp>() & ((u64{1} << 44) - 1)) << 12, memory);
}

u64 kernel_root_table() { return kernel_root_physical; }

volatile void* kernel_device_registers(tessera::PhysRange registers) {
    if (registers.empty()) return nullptr;
    for (const tessera::PhysRange& pages : mapped_devices)
        if (pages.contains(registers)) return reinterpret_cast<volatile void*>(KERNEL_DEVICE_BASE + registers.base);
    return nullptr;
}

} // namespace arch
