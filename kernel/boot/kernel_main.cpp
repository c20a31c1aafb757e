#include <arch/interface.hpp>
#include <boot/boot_state.hpp>
#include <boot/bootargs.hpp>
#include <boot/kernel_main.hpp>
#include <boot/root_task.hpp>
#include <boot/selftest.hpp>
#include <console/console.hpp>
#include <console/panic.hpp>
#include <ipc/ipc.hpp>
#include <cpu/cpu.hpp>
#include <arch/address_space.hpp>
#include <irq/controller_setup.hpp>
#include <irq/dispatcher.hpp>
#include <irq/irq_handlers.hpp>
#include <memory/boot_page_allocator.hpp>
#include <platform/device_tree.hpp>
#include <object/thread_control.hpp>
#include <ipc/fastpath.hpp>
#include <sched/faults.hpp>
#include <sched/ipc_syscalls.hpp>
#include <sched/kernel_entry.hpp>

namespace tessera {

BootState boot_state;

namespace {

[[noreturn]] void stop_boot(kstd::StringView reason) {
    kprintln("{}", reason);
    kprintln("boot stopped: the kernel cannot continue; powering off");
    arch::power_off(true);
}

void zero_page(PhysAddr page) {
    auto* words = static_cast<u64*>(arch::physical_to_virtual(page));
    for (u64 i = 0; i < kPageSize / sizeof(u64); ++i) words[i] = 0;
}

IrqHandled on_timer_tick(VirtualIrq, void*) {
    Cpu& cpu = this_cpu();
    u64 now = arch::read_timer();
    arch::set_timer_deadline(cpu.clock.on_timer_interrupt(now));
    charge_current_thread(now);
    return IrqHandled::Yes;
}

void set_up_memory(BootState& state) {
    state.kernel_reservations.clear();
    (void)state.kernel_reservations.push_back({arch::kernel_image(), ReservedKind::KernelImage, {}});
    auto accounted = account_memory(state.platform, state.kernel_reservations.span(), state.memory);
    if (!accounted) stop_boot(accounted.error());

    BootPageAllocator allocator(state.memory.free, zero_page);
    auto built = arch::build_kernel_address_space(state.platform, allocator);
    if (!built) panic("building the kernel address space failed: {}", built.error());

    for (const PhysRange& pages : allocator.allocated())
        if (!state.kernel_reservations.push_back({pages, ReservedKind::KernelAllocation, {}}))
            panic("boot allocations are scattered over more ranges than can be recorded");
    accounted = account_memory(state.platform, state.kernel_reservations.span(), state.memory);
    if (!accounted) stop_boot(accounted.error());
}

void start_timer(const BootState& state, const BootArgs& args) {
    arch::init_timer(state.platform, args.has_flag("timer=sbi"));
    auto registered = kernel_irq_dispatcher().register_handler(kIrqLocalTimer, on_timer_tick, nullptr, 255,
                                                               HandlerFlags::None);
    if (!registered) panic("cannot register the timer handler");
    Cpu& cpu = this_cpu();
    cpu.clock.start(state.platform.timebase_hz, TESSERA_TICK_HZ, arch::read_timer());
    cpu.scheduler.set_time_slice(cpu.clock.period() * kTimeSliceTicks);
    arch::set_timer_deadline(cpu.clock.next_deadline());
    arch::enable_interrupts();
}

} // namespace

void kernel_main(const BootHandoff& handoff) {
    kprintln("");
    kprintln("Tessera {} ({}), booting on hart {}", TESSERA_VERSION, TESSERA_ARCH, handoff.hardware_id);
    boot_state.boot_hardware_id = handoff.hardware_id;
    if (handoff.device_tree_view == nullptr)
        stop_boot("device tree: no blob at the address the firmware passed (outside the direct map)");
    auto discovered = discover_platform(handoff.device_tree_view, handoff.device_tree.value,
                                        handoff.device_tree_window, boot_state.platform);
    if (!discovered) stop_boot(discovered.error().text());
    if (boot_state.platform.find_hart(handoff.hardware_id) == nullptr)
        stop_boot("device tree: the boot hart is not among the usable cpu nodes");

    set_up_memory(boot_state);
    install_thread_finaliser();
    install_ipc_finalisers();
    install_irq_finalisers();
    install_ipc_thread_access();
    install_fault_delivery();
    install_thread_control();
    arch::install_address_space_objects();
    print_boot_summary(boot_state);
    arch::report_secondary_cpus(boot_state.platform, this_cpu());

    BootArgs args(boot_state.platform.bootargs);
    if (auto fastpath = args.value("fastpath")) set_ipc_fastpath_enabled(!(*fastpath == "off"));
    kprintln("ipc fastpath: {}", ipc_fastpath_enabled() ? "on" : "off");
    start_interrupt_controller(boot_state.platform, CpuHardwareId{this_cpu().hardware_id});
    start_timer(boot_state, args);
    kprintln("timer: {} at {} Hz", arch::timer_mechanism(), TESSERA_TICK_HZ);

    if (auto kind = args.value("panic-test")) {
        if (!run_panic_test(*kind)) kprintln("panic-test: unknown kind '{}'", *kind);
    }
    if (args.has_flag("selftest")) {
        unsigned failed = run_selftests();
        kprintln("selftest: finished, {} failed; powering off", failed);
        arch::power_off(failed != 0);
    }
    if (args.has_flag("halt")) {
        kprintln("halt requested on the command line; powering off");
        arch::power_off(false);
    }

    if (!boot_state.platform.initrd) {
        kprintln("boot complete; no boot image (-initrd), so no root task: the boot CPU idles "
                 "(quit QEMU with Ctrl-A X)");
        for (;;) arch::wait_for_interrupt();
    }
    auto built = build_root_task(boot_state);
    if (!built) stop_boot(built.error().text());
    run_next_thread();
}

} // namespace tessera
