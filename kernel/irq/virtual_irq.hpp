#pragma once
// Architecture-independent interrupt numbers. Each architecture maps its own causes and
// vectors onto these through a table in kernel/arch/<arch>/; the core never sees a raw
// scause code or x86 vector.
#include <kstd/assert.hpp>
#include <kstd/format.hpp>
#include <kstd/types.hpp>

namespace tessera {

enum class IrqCategory : u8 { Exception, WiredLine, Msi, Software, Platform, User, Invalid };

struct VirtualIrq {
    u16 value;

    static constexpr u16 kExceptionBase = 0x0000; // synchronous exceptions
    static constexpr u16 kWiredLineBase = 0x0100; // interrupt-controller lines (PLIC, IOAPIC)
    static constexpr u16 kMsiBase = 0x1000;       // message-signalled interrupts
    static constexpr u16 kSoftwareBase = 0x2000;  // inter-processor and software interrupts
    static constexpr u16 kPlatformBase = 0x3000;  // per-CPU timer, controller entry, ...
    static constexpr u16 kUserBase = 0x8000;      // defined by user-level policy

    // The highest controller line the wired-line range can name (0xeff; a PLIC has at most 1023).
    static constexpr u16 kMaxWiredLine = kMsiBase - kWiredLineBase - 1;

    static constexpr VirtualIrq wired_line(u16 line) {
        KASSERT(line <= kMaxWiredLine);
        return {static_cast<u16>(kWiredLineBase + line)};
    }

    constexpr IrqCategory category() const {
        if (value < kWiredLineBase) return IrqCategory::Exception;
        if (value < kMsiBase) return IrqCategory::WiredLine;
        if (value < kSoftwareBase) return IrqCategory::Msi;
        if (value < kSoftwareBase + 0x100) return IrqCategory::Software;
        if (value >= kPlatformBase && value < kPlatformBase + 0x100) return IrqCategory::Platform;
        if (value >= kUserBase) return IrqCategory::User;
        return IrqCategory::Invalid;
    }

    constexpr bool operator==(const VirtualIrq&) const = default;
};

// The interrupts every architecture delivers to the core.
inline constexpr VirtualIrq kIrqLocalTimer{VirtualIrq::kPlatformBase + 0};
inline constexpr VirtualIrq kIrqControllerExternal{VirtualIrq::kPlatformBase + 1};
inline constexpr VirtualIrq kIrqInterProcessor{VirtualIrq::kSoftwareBase + 0};

template <kstd::CharSink S> constexpr void format_value(S& sink, VirtualIrq irq) {
    kstd::format_value(sink, kstd::Hex{irq.value, 4});
}

} // namespace tessera
