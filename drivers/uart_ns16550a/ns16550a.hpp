#pragma once
// The register-level logic of an ns16550a UART (the 16550A's register set as QEMU's virt
// machine has it): interrupt-driven receive into one ring and transmit from another.
// Portable: it reaches the device only through UartRegisterAccess, which the driver task
// implements over its mapped register page and the host tests over a model of the chip.
//
// How it stays correct with a level-triggered line and clients that read slowly:
// - service() moves everything the device offers and leaves the device with no interrupt
//   condition it could still act on, so the line falls before the driver acknowledges it;
// - receive interrupts are on only while the receive ring has room. When it is full the
//   bytes stay in the UART's FIFO, which then stops taking more (the sender is held back,
//   nothing is dropped); take_input() makes room and the next service() resumes;
// - the transmitter-empty interrupt is on only while the transmit ring holds bytes, since
//   the 16550 raises it whenever its transmit FIFO is empty;
// - the line settings (LCR, divisor) are the firmware's: the firmware and the kernel keep
//   printing through this UART by polling, at the speed they set.
#include <kstd/span.hpp>
#include <kstd/string_view.hpp>

#include "byte_ring.hpp"

namespace tessera::drivers::uart {

// The registers, in units of the register stride. Offset 0 and 1 are the divisor latch
// while LCR's DLAB bit is set; the driver never sets it.
enum class UartRegister : u8 {
    Data = 0,              // read: receive buffer (RBR); write: transmit holding (THR)
    InterruptEnable = 1,   // IER
    InterruptIdentity = 2, // read: IIR; write: FIFO control (FCR)
    LineControl = 3,       // LCR
    ModemControl = 4,      // MCR
    LineStatus = 5,        // LSR
    ModemStatus = 6,       // MSR
    Scratch = 7,
};
inline constexpr UartRegister kFifoControl = UartRegister::InterruptIdentity;

namespace bits {
// IER
inline constexpr u8 kReceiveDataInterrupt = 0x01; // also enables the character timeout
inline constexpr u8 kTransmitEmptyInterrupt = 0x02;
inline constexpr u8 kLineStatusInterrupt = 0x04;
// IIR
inline constexpr u8 kNoInterruptPending = 0x01;
inline constexpr u8 kInterruptIdMask = 0x0e;
inline constexpr u8 kFifosEnabledMask = 0xc0; // both bits set: a working 16-byte FIFO
// FCR
inline constexpr u8 kFifoEnable = 0x01;
inline constexpr u8 kFifoClearReceive = 0x02;
inline constexpr u8 kFifoClearTransmit = 0x04;
inline constexpr u8 kReceiveTriggerMask = 0xc0;
inline constexpr u8 kReceiveTrigger8 = 0x80;
// LCR
inline constexpr u8 kDivisorLatchAccess = 0x80;
// MCR
inline constexpr u8 kDataTerminalReady = 0x01;
inline constexpr u8 kRequestToSend = 0x02;
inline constexpr u8 kOut2 = 0x08; // gates the interrupt output on PC-style boards
// LSR
inline constexpr u8 kDataReady = 0x01;
inline constexpr u8 kOverrunError = 0x02;
inline constexpr u8 kParityError = 0x04;
inline constexpr u8 kFramingError = 0x08;
inline constexpr u8 kBreak = 0x10;
inline constexpr u8 kTransmitHoldingEmpty = 0x20; // the whole transmit FIFO is empty
inline constexpr u8 kTransmitterEmpty = 0x40;
} // namespace bits

inline constexpr usize kHardwareFifoBytes = 16;

class UartRegisterAccess {
public:
    virtual u8 read(UartRegister reg) = 0;
    virtual void write(UartRegister reg, u8 value) = 0;

protected:
    ~UartRegisterAccess() = default;
};

// What the line reported, for diagnostics (the receive errors are sticky in LSR until it
// is read, so every read of LSR counts them).
struct UartCounters {
    u64 received = 0;
    u64 transmitted = 0;
    u64 overruns = 0; // bytes the UART dropped because its FIFO was full
    u64 parity_errors = 0;
    u64 framing_errors = 0;
    u64 breaks = 0;
};

inline constexpr usize kReceiveRingBytes = 4096;
inline constexpr usize kTransmitRingBytes = 4096;

class Ns16550a {
public:
    explicit Ns16550a(UartRegisterAccess& registers) : registers_(registers) {}
    Ns16550a(const Ns16550a&) = delete;
    Ns16550a& operator=(const Ns16550a&) = delete;

    // Takes the UART over from the firmware: FIFOs on (what the firmware left in them
    // stays), modem-control outputs on, receive and line-status interrupts on. The data
    // format and the divisor stay as found.
    void start();

    // Moves received bytes into the receive ring while it has room, refills the transmit
    // FIFO from the transmit ring while the device has room, and sets the interrupt enable
    // for what is left. Call on every interrupt, and after changing either ring.
    void service();
    // Whether the device holds work service() would do now: received bytes with room for
    // them, or room in the transmit FIFO with bytes waiting. Checked after the interrupt
    // Ack, because a line that stayed asserted across the Ack may never interrupt again.
    bool needs_service();

    // Output: queues all of `text` with each "\n" sent as "\r\n", or nothing when it does
    // not fit. service() then starts sending it.
    bool queue_output(kstd::Bytes text);
    bool queue_output(kstd::StringView text) {
        return queue_output(kstd::Bytes(reinterpret_cast<const u8*>(text.data()), text.size()));
    }
    // The ring space `text` takes once its newlines are translated.
    static usize translated_length(kstd::Bytes text);
    bool output_pending() const { return !transmit_.empty(); }
    usize output_room() const { return transmit_.room(); }

    // Input, byte for byte as received.
    usize input_available() const { return receive_.size(); }
    // Takes up to out.size() of the oldest received bytes. service() then resumes a
    // receiver that had stopped for lack of room.
    usize take_input(kstd::Span<u8> out) { return receive_.pop_into(out); }

    const UartCounters& counters() const { return counters_; }
    u8 interrupt_enable() const { return interrupt_enable_; }
    // Bytes written per transmitter-empty: the FIFO's size, or 1 without a working FIFO.
    usize transmit_burst() const { return transmit_burst_; }

private:
    u8 read_line_status();
    void drain_receive_fifo(u8 line_status);
    void fill_transmit_fifo();
    void set_interrupt_enable(u8 wanted);

    UartRegisterAccess& registers_;
    ByteRing<kReceiveRingBytes> receive_;
    ByteRing<kTransmitRingBytes> transmit_;
    UartCounters counters_;
    u8 interrupt_enable_ = 0; // what IER holds: written only on change
    usize transmit_burst_ = 1;
};

} // namespace tessera::drivers::uart
