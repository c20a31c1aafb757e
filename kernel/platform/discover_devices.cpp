// The interrupt controller, the console UART, and the device lines that lead to the controller.
#include <libfdt.h>
#include <platform/discover_parts.hpp>

namespace tessera {

namespace {

constexpr u32 kSupervisorExternalInterrupt = 9; // the cause number of the S-mode external interrupt

kstd::Result<void, DiscoveryError> discover_plic(const FdtReader& reader, int node, PlatformInfo& out) {
    const void* blob = reader.blob();
    RegEntry reg[1];
    if (TRY(reader.reg(node, kstd::Span<RegEntry>(reg))) != 1)
        return kstd::fail(reader.error_at(node, "expected exactly one register range"));
    auto sources = TRY(reader.u32_property(node, "riscv,ndev"));
    if (!sources) return kstd::fail(reader.error_at(node, "property 'riscv,ndev' is missing"));
    if (*sources == 0 || *sources > 1023)
        return kstd::fail(reader.error_at(node, "riscv,ndev is {}, expected 1..1023", *sources));

    auto contexts = reader.property(node, "interrupts-extended");
    if (!contexts || contexts->empty() || contexts->size() % 8 != 0)
        return kstd::fail(reader.error_at(node, "property 'interrupts-extended' is {} bytes long, expected "
                                                "a non-empty list of (phandle, cause) pairs",
                                          contexts ? contexts->size() : 0));
    out.interrupt_controller = InterruptControllerKind::Plic;
    out.plic.registers = PhysRange::from_size(reg[0].address, reg[0].size);
    out.plic.source_count = *sources;
    out.plic.phandle = fdt_get_phandle(blob, node);
    out.plic.context_count = static_cast<u32>(contexts->size() / 8);
    // Context n of the PLIC is the n-th (interrupt controller, cause) pair; each hart's
    // supervisor context is the pair naming its controller with cause 9.
    for (u32 context = 0; context < out.plic.context_count; ++context) {
        u32 phandle = static_cast<u32>(FdtReader::read_cells(contexts->data() + 8 * context, 1));
        u32 cause = static_cast<u32>(FdtReader::read_cells(contexts->data() + 8 * context + 4, 1));
        if (cause != kSupervisorExternalInterrupt) continue;
        for (HartInfo& hart : out.harts)
            if (hart.intc_phandle != 0 && hart.intc_phandle == phandle) hart.plic_supervisor_context = context;
    }
    return {};
}

} // namespace

kstd::Result<void, DiscoveryError> discover_interrupt_controller(const FdtReader& reader, PlatformInfo& out) {
    const void* blob = reader.blob();
    const char* const plic_compatibles[] = {"riscv,plic0", "sifive,plic-1.0.0"};
    for (const char* compatible : plic_compatibles) {
        for (int node = fdt_node_offset_by_compatible(blob, -1, compatible); node >= 0;
             node = fdt_node_offset_by_compatible(blob, node, compatible)) {
            if (!reader.is_disabled(node)) return discover_plic(reader, node, out);
        }
    }
    // The AIA (APLIC and IMSIC) is recognised so the summary can say why no controller is in use.
    if (fdt_node_offset_by_compatible(blob, -1, "riscv,aplic") >= 0)
        out.interrupt_controller = InterruptControllerKind::Aplic;
    return {};
}

kstd::Result<void, DiscoveryError> discover_console(const FdtReader& reader, PlatformInfo& out) {
    const void* blob = reader.blob();
    int chosen = fdt_path_offset(blob, "/chosen");
    if (chosen < 0) return {};
    auto stdout_path = TRY(reader.string_property(chosen, "stdout-path"));
    if (!stdout_path) return {};
    // "path-or-alias[:options]", e.g. "/soc/serial@10000000:115200n8".
    kstd::StringView path = stdout_path->substr(0, stdout_path->find(':'));
    // libfdt resolves an alias by looking its value up as a path again, so an alias whose
    // value is not absolute (say, itself) would recurse until the stack overflows.
    if (!path.starts_with("/")) {
        const char* target = fdt_get_alias_namelen(blob, path.data(), static_cast<int>(path.find('/')));
        if (target == nullptr || target[0] != '/')
            return kstd::fail(reader.error_at(chosen, "stdout-path names '{}', which is no alias of an absolute path",
                                              path));
    }
    int node = fdt_path_offset_namelen(blob, path.data(), static_cast<int>(path.size()));
    if (node < 0)
        return kstd::fail(reader.error_at(chosen, "stdout-path names '{}', which is not in the tree", path));

    ConsoleInfo console;
    console.path = path;
    auto compatible = TRY(reader.string_property(node, "compatible"));
    console.compatible = compatible.value_or(kstd::StringView("unknown"));
    RegEntry reg[4];
    if (TRY(reader.reg(node, kstd::Span<RegEntry>(reg))) < 1)
        return kstd::fail(reader.error_at(node, "console has no register range"));
    console.registers = PhysRange::from_size(reg[0].address, reg[0].size);

    auto interrupts = reader.property(node, "interrupts");
    auto parent = reader.interrupt_parent(node);
    if (interrupts && parent && out.interrupt_controller == InterruptControllerKind::Plic &&
        *parent == out.plic.phandle) {
        if (interrupts->size() != 4)
            return kstd::fail(reader.error_at(node, "property 'interrupts' is {} bytes long, expected 4",
                                              interrupts->size()));
        u32 line = static_cast<u32>(FdtReader::read_cells(interrupts->data(), 1));
        if (line == 0 || line > out.plic.source_count)
            return kstd::fail(reader.error_at(node, "interrupt {} is not a PLIC source (1..{})", line,
                                              out.plic.source_count));
        console.interrupt = line;
    }
    out.console = console;
    return {};
}

kstd::Result<void, DiscoveryError> discover_device_interrupts(const FdtReader& reader, PlatformInfo& out) {
    if (out.interrupt_controller != InterruptControllerKind::Plic || out.plic.phandle == 0) return {};
    const void* blob = reader.blob();
    // The PLIC's binding says one cell per interrupt, the line; a tree that gives another
    // count is read with it, the line being each entry's first cell.
    int plic = fdt_node_offset_by_phandle(blob, out.plic.phandle);
    if (plic < 0) return {};
    auto declared = TRY(reader.u32_property(plic, "#interrupt-cells"));
    u32 cells = declared.value_or(1);
    if (cells == 0 || cells > 4)
        return kstd::fail(reader.error_at(plic, "#interrupt-cells is {}, expected 1..4", cells));
    for (int node = fdt_next_node(blob, 0, nullptr); node >= 0; node = fdt_next_node(blob, node, nullptr)) {
        if (reader.is_disabled(node)) continue;
        auto interrupts = reader.property(node, "interrupts");
        auto parent = reader.interrupt_parent(node);
        if (!interrupts || !parent || *parent != out.plic.phandle) continue;
        // A device whose property does not decode is left out, as its registers would be:
        // the kernel does not need it, and IrqControl.Get then refuses its line.
        if (interrupts->empty() || interrupts->size() % (4 * cells) != 0) continue;
        for (usize offset = 0; offset < interrupts->size(); offset += 4 * cells) {
            u32 line = static_cast<u32>(FdtReader::read_cells(interrupts->data() + offset, 1));
            if (line >= 1 && line <= out.plic.source_count) (void)out.plic.device_lines.add(line);
        }
    }
    return {};
}

} // namespace tessera
