// Harts under /cpus: their ids, timer capabilities and local interrupt controllers.
#include <libfdt.h>
#include <platform/discover_parts.hpp>

namespace tessera {

namespace {

// True when the ISA string "rv64imac_zicsr_sstc" (or the riscv,isa-extensions list) names
// the multi-letter extension `extension`.
bool has_isa_extension(const FdtReader& reader, int cpu, kstd::StringView extension) {
    // `extension` is always a NUL-terminated literal, so data() is a C string here.
    if (fdt_stringlist_search(reader.blob(), cpu, "riscv,isa-extensions", extension.data()) >= 0) return true;
    auto isa = reader.property(cpu, "riscv,isa");
    if (!isa || isa->empty() || (*isa)[isa->size() - 1] != 0) return false;
    kstd::StringView rest(reinterpret_cast<const char*>(isa->data()));
    usize underscore = rest.find('_');
    while (underscore < rest.size()) {
        rest = rest.substr(underscore + 1);
        usize next = rest.find('_');
        if (rest.substr(0, next) == extension) return true;
        underscore = next;
    }
    return false;
}

kstd::Result<u32, DiscoveryError> local_interrupt_controller(const FdtReader& reader, int cpu) {
    int child = 0;
    fdt_for_each_subnode(child, reader.blob(), cpu) {
        if (!reader.is_compatible(child, "riscv,cpu-intc")) continue;
        u32 phandle = fdt_get_phandle(reader.blob(), child);
        if (phandle == 0) return kstd::fail(reader.error_at(child, "interrupt controller has no phandle"));
        return phandle;
    }
    return 0u; // a hart without one takes no external interrupts; the PLIC will not name it
}

} // namespace

kstd::Result<void, DiscoveryError> discover_harts(const FdtReader& reader, PlatformInfo& out) {
    const void* blob = reader.blob();
    int cpus = fdt_path_offset(blob, "/cpus");
    if (cpus < 0) return kstd::fail(reader.error_at(-1, "node /cpus is missing"));
    u32 address_cells = 0, size_cells = 0;
    TRY(reader.cell_counts(cpus, address_cells, size_cells));

    auto shared_timebase = TRY(reader.number_property(cpus, "timebase-frequency"));
    int cpu = 0;
    fdt_for_each_subnode(cpu, blob, cpus) {
        auto device_type = TRY(reader.string_property(cpu, "device_type"));
        if (!device_type || !(*device_type == "cpu")) continue;
        if (reader.is_disabled(cpu)) {
            ++out.disabled_harts;
            continue;
        }
        auto reg = reader.property(cpu, "reg");
        if (!reg || reg->size() != 4 * address_cells)
            return kstd::fail(reader.error_at(cpu, "property 'reg' is {} bytes long, expected {} (the hart id)",
                                              reg ? reg->size() : 0, 4 * address_cells));
        HartInfo hart;
        hart.hart_id = FdtReader::read_cells(reg->data(), address_cells);
        hart.has_sstc = has_isa_extension(reader, cpu, "sstc");
        hart.intc_phandle = TRY(local_interrupt_controller(reader, cpu));
        if (out.find_hart(hart.hart_id))
            return kstd::fail(reader.error_at(cpu, "hart id {} appears twice", hart.hart_id));
        if (!out.harts.push_back(hart))
            return kstd::fail(reader.error_at(cpu, "more than {} harts", kMaxDiscoveredHarts));

        if (!shared_timebase) {
            auto own = TRY(reader.number_property(cpu, "timebase-frequency"));
            if (own && out.timebase_hz != 0 && *own != out.timebase_hz)
                return kstd::fail(reader.error_at(cpu, "timebase-frequency differs from the other harts'"));
            if (own) out.timebase_hz = *own;
        }
    }
    if (out.harts.empty()) return kstd::fail(reader.error_at(cpus, "no usable hart (no cpu node with status okay)"));
    if (shared_timebase) out.timebase_hz = *shared_timebase;
    if (out.timebase_hz == 0)
        return kstd::fail(reader.error_at(cpus, "timebase-frequency is missing or 0; the timer cannot be set up"));
    return {};
}

} // namespace tessera
