// Boot self-tests of the architecture-independent kernel: per-CPU data, memory accounting
// against what discovery found, and the timer tick.
#include <arch/interface.hpp>
#include <boot/boot_state.hpp>
#include <boot/selftest.hpp>
#include <cpu/cpu.hpp>
#include <memory/untyped_blocks.hpp>

namespace tessera {

KERNEL_SELFTEST(CPU0001, "the boot CPU's per-CPU record is reachable and names the boot hart") {
    Cpu& cpu = this_cpu();
    t.expect(&cpu == &cpus[0], "this_cpu() is not cpus[0]");
    t.expect(cpu.index == 0, "boot CPU index is {}", cpu.index);
    t.expect(cpu.hardware_id == boot_state.boot_hardware_id, "hardware id {} != boot hart {}", cpu.hardware_id,
             boot_state.boot_hardware_id);
    t.expect(cpu.arch.self == &cpu, "the architecture's self pointer is wrong");
}

KERNEL_SELFTEST(MEM0001, "free, reserved and unusable memory add up to the RAM described") {
    const MemoryAccount& memory = boot_state.memory;
    u64 reserved_in_ram = 0;
    for (const PhysRange& range : memory.reserved) reserved_in_ram += range.size();
    u64 sum = memory.free.total_bytes() + reserved_in_ram + memory.unusable_bytes;
    t.expect(sum == memory.ram_bytes, "free {} + reserved {} + unusable {} != RAM {}", memory.free.total_bytes(),
             reserved_in_ram, memory.unusable_bytes, memory.ram_bytes);
}

KERNEL_SELFTEST(MEM0002, "no free page overlaps the kernel, the device tree or any reservation") {
    const MemoryAccount& memory = boot_state.memory;
    t.expect(!memory.free.intersects(arch::kernel_image()), "free memory overlaps the kernel image");
    t.expect(!memory.free.intersects(boot_state.platform.device_tree), "free memory overlaps the device tree");
    for (const ReservedRange& reserved : boot_state.platform.reserved)
        t.expect(!memory.free.intersects(reserved.range), "free memory overlaps reserved {}", reserved.range);
    for (const ReservedRange& reserved : boot_state.kernel_reservations)
        t.expect(!memory.free.intersects(reserved.range), "free memory overlaps kernel allocation {}", reserved.range);
}

KERNEL_SELFTEST(MEM0003, "free memory splits into aligned untyped blocks that cover it exactly") {
    u64 covered = 0;
    usize blocks = 0;
    for (const PhysRange& range : boot_state.memory.free) {
        for_each_untyped_block(range, [&](UntypedBlock block) {
            u64 size = kstd::bit(block.size_bits);
            t.expect(kstd::is_aligned(block.base, size), "block {} of 2^{} is misaligned", kstd::Hex{block.base},
                     block.size_bits);
            t.expect(range.contains(PhysRange::from_size(block.base, size)), "block {} leaves its range",
                     kstd::Hex{block.base});
            covered += size;
            ++blocks;
        });
    }
    t.expect(covered == boot_state.memory.free.total_bytes(), "blocks cover {} of {} free bytes", covered,
             boot_state.memory.free.total_bytes());
    t.expect(blocks == boot_state.memory.untyped_blocks, "{} blocks, the summary said {}", blocks,
             boot_state.memory.untyped_blocks);
}

KERNEL_SELFTEST(MEM0004, "free memory is readable and writable through the direct map") {
    for (const PhysRange& range : boot_state.memory.free) {
        const u64 probes[] = {range.base, range.end - sizeof(u64)};
        for (u64 address : probes) {
            auto* word = static_cast<volatile u64*>(arch::physical_to_virtual(PhysAddr{address}));
            u64 saved = *word;
            *word = 0x5445535345524121ull ^ address;
            t.expect(*word == (0x5445535345524121ull ^ address), "write at {} did not read back", kstd::Hex{address});
            *word = saved;
        }
    }
}

KERNEL_SELFTEST(TIME0001, "the timer ticks periodically, each deadline a whole period after the last") {
    Cpu& cpu = this_cpu();
    u64 start_ticks = cpu.clock.ticks();
    u64 start_time = arch::read_timer();
    u64 first_deadline = cpu.clock.next_deadline();
    // Bounded by the timer itself: if no tick arrives within 100 periods, the tick is broken.
    u64 give_up = start_time + 100 * cpu.clock.period();
    while (cpu.clock.ticks() < start_ticks + 5 && arch::read_timer() < give_up) arch::wait_for_interrupt();
    u64 ticks = cpu.clock.ticks() - start_ticks;
    u64 elapsed = arch::read_timer() - start_time;
    t.expect(ticks >= 5, "{} ticks in {} timebase units (period {})", ticks, elapsed, cpu.clock.period());
    // QEMU may deliver a timer interrupt late, after the test read the time, so the first
    // tick can belong to a period that ended before the start: allow one period of slack.
    t.expect(elapsed >= (ticks - 2) * cpu.clock.period(), "{} ticks arrived in only {} timebase units", ticks, elapsed);
    t.expect((cpu.clock.next_deadline() - first_deadline) % cpu.clock.period() == 0, "deadlines drifted off the period");
}

} // namespace tessera
