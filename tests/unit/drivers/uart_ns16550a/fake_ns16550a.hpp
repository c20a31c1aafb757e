#pragma once
// A model of the 16550A's register file, as the driver's tests need it: the receive and
// transmit FIFOs (16 bytes, or 1 with the FIFOs off or absent), LSR with its sticky error
// bits, IIR with the chip's priorities and side effects, IER's transmitter-empty rising
// edge (which raises the interrupt when the FIFO is already empty, as QEMU and real
// chips do), the divisor latch behind LCR's DLAB bit, and the interrupt output.
//
// The far end of the line is explicit: offer() queues what a terminal sends, deliver()
// moves it into the receive FIFO only while there is room (QEMU's flow control: a full
// FIFO holds the sender back), and transmit() lets the shift register send the transmit
// FIFO. A byte written into a full transmit FIFO is lost and noted, so tests can assert
// the driver never does it.
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "ns16550a.hpp"

namespace tessera::drivers::uart::testing {

class FakeNs16550a final : public UartRegisterAccess {
public:
    struct Options {
        bool has_fifo = true;
        // Every byte written leaves at once (QEMU with a fast backend): THRE comes back
        // set right after the write.
        bool instant_transmit = false;
        u8 line_control = 0x03; // 8N1, as OpenSBI leaves it
        u16 divisor = 1;
        u8 fifo_control = bits::kFifoEnable; // OpenSBI turns the FIFOs on, trigger 1
    };

    FakeNs16550a() : FakeNs16550a(Options{}) {}
    explicit FakeNs16550a(Options options);

    u8 read(UartRegister reg) override;
    void write(UartRegister reg, u8 value) override;

    // The terminal's side.
    void offer(std::string_view bytes) { pending_input_.insert(pending_input_.end(), bytes.begin(), bytes.end()); }
    // Moves offered bytes into the receive FIFO while it has room; returns how many.
    size_t deliver();
    // A byte arrives at a full FIFO anyway (a sender without flow control): overrun.
    void deliver_overrunning(u8 byte);
    // Four character times passed with bytes in the FIFO below the trigger level.
    void character_timeout();
    // The shift register sends everything in the transmit FIFO.
    void transmit();
    void inject_line_errors(u8 errors) { line_errors_ |= errors; }

    // The interrupt output (level: asserted while any enabled condition holds).
    bool interrupt_asserted() const { return current_interrupt() != bits::kNoInterruptPending; }
    // IIR's interrupt field, without IIR's side effect of reading.
    u8 current_interrupt() const;

    const std::string& wire() const { return wire_; }
    size_t pending_input() const { return pending_input_.size(); }
    size_t receive_fifo_level() const { return receive_fifo_.size(); }
    size_t transmit_fifo_level() const { return transmit_fifo_.size(); }
    size_t fifo_depth() const { return fifo_enabled() ? kHardwareFifoBytes : 1; }
    bool fifo_enabled() const { return has_fifo_ && (fifo_control_ & bits::kFifoEnable) != 0; }
    bool transmit_overflowed() const { return transmit_overflowed_; }

    u8 interrupt_enable() const { return interrupt_enable_; }
    u8 fifo_control() const { return fifo_control_; }
    u8 line_control() const { return line_control_; }
    u8 modem_control() const { return modem_control_; }
    u16 divisor() const { return divisor_; }
    int line_control_writes() const { return line_control_writes_; }
    int divisor_writes() const { return divisor_writes_; }
    int interrupt_enable_writes() const { return interrupt_enable_writes_; }
    // Bytes in the transmit FIFO before the driver ran (the firmware's last characters).
    void preload_transmit_fifo(std::string_view bytes);

private:
    bool divisor_latch() const { return (line_control_ & bits::kDivisorLatchAccess) != 0; }
    size_t receive_trigger() const;
    u8 line_status() const;
    void write_fifo_control(u8 value);
    void write_interrupt_enable(u8 value);
    void write_transmit(u8 value);

    bool has_fifo_;
    bool instant_transmit_;
    u8 interrupt_enable_ = 0;
    u8 fifo_control_;
    u8 line_control_;
    u8 modem_control_ = 0;
    u8 scratch_ = 0;
    u16 divisor_;
    u8 line_errors_ = 0;
    bool transmit_interrupt_ = false; // the chip's "THR empty" interrupt latch
    bool timeout_interrupt_ = false;
    bool transmit_overflowed_ = false;
    std::deque<u8> receive_fifo_;
    std::deque<u8> transmit_fifo_;
    std::deque<u8> pending_input_;
    std::string wire_;
    int line_control_writes_ = 0;
    int divisor_writes_ = 0;
    int interrupt_enable_writes_ = 0;
};

} // namespace tessera::drivers::uart::testing
