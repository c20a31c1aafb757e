// The boot summary: one fact per line, in a stable "key: value" form that people read and
// the system suite parses ("harts: 4", "memory: 2048 MiB").
#include <boot/boot_state.hpp>
#include <console/console.hpp>
#include <memory/address.hpp>

namespace tessera {

namespace {

void print_harts(const PlatformInfo& platform) {
    kprintln("harts: {}", platform.harts.size());
    ConsoleSink sink;
    kstd::format_to(sink, "hart ids:");
    for (const HartInfo& hart : platform.harts) kstd::format_to(sink, " {}", hart.hart_id);
    sink.put('\n');
    if (platform.disabled_harts != 0) kprintln("disabled harts: {}", platform.disabled_harts);
}

void print_interrupt_controller(const PlatformInfo& platform) {
    switch (platform.interrupt_controller) {
    case InterruptControllerKind::Plic:
        kprintln("interrupt controller: plic at {}, {} sources, {} contexts", kstd::Hex{platform.plic.registers.base},
                 platform.plic.source_count, platform.plic.context_count);
        for (const HartInfo& hart : platform.harts) {
            if (hart.plic_supervisor_context)
                kprintln("plic supervisor context: hart {} -> context {}", hart.hart_id, *hart.plic_supervisor_context);
            else
                kprintln("plic supervisor context: hart {} -> none", hart.hart_id);
        }
        return;
    case InterruptControllerKind::Aplic:
        kprintln("interrupt controller: aplic found, not supported yet (no device interrupts)");
        return;
    case InterruptControllerKind::None:
        kprintln("interrupt controller: none found (no device interrupts)");
        return;
    }
}

void print_reserved(const BootState& state) {
    auto print_one = [](const ReservedRange& reserved) {
        if (reserved.name.empty())
            kprintln("reserved: {} {}", reserved.range, reserved_kind_name(reserved.kind));
        else
            kprintln("reserved: {} {} {}", reserved.range, reserved_kind_name(reserved.kind), reserved.name);
    };
    for (const ReservedRange& reserved : state.platform.reserved) print_one(reserved);
    for (const ReservedRange& reserved : state.kernel_reservations) print_one(reserved);
}

} // namespace

void print_boot_summary(const BootState& state) {
    const PlatformInfo& platform = state.platform;
    const MemoryAccount& memory = state.memory;
    kprintln("model: {}", platform.model);
    kprintln("boot hart: {}", state.boot_hardware_id);
    print_harts(platform);
    kprintln("timebase: {} Hz", platform.timebase_hz);
    kprintln("memory: {} MiB", memory.ram_bytes / MiB);
    for (const PhysRange& range : platform.memory) kprintln("memory range: {}", range);
    print_reserved(state);
    print_interrupt_controller(platform);
    if (platform.console) {
        const ConsoleInfo& console = *platform.console;
        if (console.interrupt)
            kprintln("console: {} at {}, irq {} ({})", console.compatible, kstd::Hex{console.registers.base},
                     *console.interrupt, console.path);
        else
            kprintln("console: {} at {}, no irq ({})", console.compatible, kstd::Hex{console.registers.base},
                     console.path);
    } else {
        kprintln("console: none in /chosen/stdout-path");
    }
    if (platform.initrd)
        kprintln("initrd: {} ({} KiB)", *platform.initrd, platform.initrd->size() / KiB);
    else
        kprintln("initrd: none");
    kprintln("bootargs: {}", platform.bootargs.empty() ? kstd::StringView("(none)") : platform.bootargs);
    kprintln("reserved memory: {} KiB", memory.reserved.total_bytes() / KiB);
    if (memory.unusable_bytes != 0) kprintln("unusable memory: {} bytes (partial pages)", memory.unusable_bytes);
    kprintln("free memory: {} KiB in {} ranges, {} untyped blocks", memory.free.total_bytes() / KiB,
             memory.free.size(), memory.untyped_blocks);
    for (const PhysRange& range : memory.free) kprintln("free range: {}", range);
}

} // namespace tessera
