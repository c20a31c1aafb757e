#include "fake_ns16550a.hpp"

namespace tessera::drivers::uart::testing {

FakeNs16550a::FakeNs16550a(Options options)
    : has_fifo_(options.has_fifo), instant_transmit_(options.instant_transmit),
      fifo_control_(options.has_fifo ? options.fifo_control : 0), line_control_(options.line_control),
      divisor_(options.divisor) {}

u8 FakeNs16550a::read(UartRegister reg) {
    switch (reg) {
    case UartRegister::Data: {
        if (divisor_latch()) return static_cast<u8>(divisor_);
        if (receive_fifo_.empty()) return 0;
        u8 byte = receive_fifo_.front();
        receive_fifo_.pop_front();
        timeout_interrupt_ = false;
        return byte;
    }
    case UartRegister::InterruptEnable: return divisor_latch() ? static_cast<u8>(divisor_ >> 8) : interrupt_enable_;
    case UartRegister::InterruptIdentity: {
        u8 identity = current_interrupt();
        // Reporting the transmitter-empty interrupt is what clears it.
        if (identity == 0x02) transmit_interrupt_ = false;
        return static_cast<u8>(identity | (fifo_enabled() ? bits::kFifosEnabledMask : 0));
    }
    case UartRegister::LineControl: return line_control_;
    case UartRegister::ModemControl: return modem_control_;
    case UartRegister::LineStatus: {
        u8 status = line_status();
        line_errors_ = 0;
        return status;
    }
    case UartRegister::ModemStatus: return 0;
    case UartRegister::Scratch: return scratch_;
    }
    return 0xff;
}

void FakeNs16550a::write(UartRegister reg, u8 value) {
    switch (reg) {
    case UartRegister::Data:
        if (divisor_latch()) {
            divisor_ = static_cast<u16>((divisor_ & 0xff00) | value);
            ++divisor_writes_;
        } else {
            write_transmit(value);
        }
        return;
    case UartRegister::InterruptEnable:
        if (divisor_latch()) {
            divisor_ = static_cast<u16>((divisor_ & 0x00ff) | (value << 8));
            ++divisor_writes_;
        } else {
            write_interrupt_enable(value);
        }
        return;
    case UartRegister::InterruptIdentity: write_fifo_control(value); return;
    case UartRegister::LineControl:
        line_control_ = value;
        ++line_control_writes_;
        return;
    case UartRegister::ModemControl: modem_control_ = value & 0x1f; return;
    case UartRegister::LineStatus:
    case UartRegister::ModemStatus: return; // read-only
    case UartRegister::Scratch: scratch_ = value; return;
    }
}

size_t FakeNs16550a::deliver() {
    size_t moved = 0;
    while (!pending_input_.empty() && receive_fifo_.size() < fifo_depth()) {
        receive_fifo_.push_back(pending_input_.front());
        pending_input_.pop_front();
        ++moved;
    }
    return moved;
}

void FakeNs16550a::deliver_overrunning(u8 byte) {
    if (receive_fifo_.size() < fifo_depth()) receive_fifo_.push_back(byte);
    else line_errors_ |= bits::kOverrunError;
}

void FakeNs16550a::character_timeout() {
    if (!receive_fifo_.empty()) timeout_interrupt_ = true;
}

void FakeNs16550a::transmit() {
    if (transmit_fifo_.empty()) return;
    wire_.append(transmit_fifo_.begin(), transmit_fifo_.end());
    transmit_fifo_.clear();
    transmit_interrupt_ = true;
}

void FakeNs16550a::preload_transmit_fifo(std::string_view bytes) {
    transmit_fifo_.insert(transmit_fifo_.end(), bytes.begin(), bytes.end());
}

u8 FakeNs16550a::current_interrupt() const {
    if ((interrupt_enable_ & bits::kLineStatusInterrupt) != 0 && line_errors_ != 0) return 0x06;
    if ((interrupt_enable_ & bits::kReceiveDataInterrupt) != 0) {
        if (!receive_fifo_.empty() && receive_fifo_.size() >= receive_trigger()) return 0x04;
        if (timeout_interrupt_) return 0x0c;
    }
    if ((interrupt_enable_ & bits::kTransmitEmptyInterrupt) != 0 && transmit_interrupt_) return 0x02;
    return bits::kNoInterruptPending;
}

size_t FakeNs16550a::receive_trigger() const {
    if (!fifo_enabled()) return 1;
    switch (fifo_control_ & bits::kReceiveTriggerMask) {
    case 0x00: return 1;
    case 0x40: return 4;
    case 0x80: return 8;
    default: return 14;
    }
}

u8 FakeNs16550a::line_status() const {
    u8 status = line_errors_;
    if (!receive_fifo_.empty()) status |= bits::kDataReady;
    if (transmit_fifo_.empty()) status |= bits::kTransmitHoldingEmpty | bits::kTransmitterEmpty;
    return status;
}

void FakeNs16550a::write_fifo_control(u8 value) {
    if (!has_fifo_) return; // a 16450: no FIFO control register
    // The chip flushes both FIFOs when the enable bit changes.
    if (((value ^ fifo_control_) & bits::kFifoEnable) != 0) value |= bits::kFifoClearReceive | bits::kFifoClearTransmit;
    if ((value & bits::kFifoClearReceive) != 0) {
        receive_fifo_.clear();
        timeout_interrupt_ = false;
    }
    if ((value & bits::kFifoClearTransmit) != 0) transmit_fifo_.clear();
    fifo_control_ = value & (bits::kFifoEnable | bits::kReceiveTriggerMask);
}

void FakeNs16550a::write_interrupt_enable(u8 value) {
    u8 changed = (interrupt_enable_ ^ value) & 0x0f;
    interrupt_enable_ = value & 0x0f;
    ++interrupt_enable_writes_;
    if ((changed & bits::kTransmitEmptyInterrupt) != 0)
        transmit_interrupt_ = (value & bits::kTransmitEmptyInterrupt) != 0 && transmit_fifo_.empty();
}

void FakeNs16550a::write_transmit(u8 value) {
    if (transmit_fifo_.size() >= fifo_depth()) {
        transmit_overflowed_ = true;
        transmit_fifo_.pop_front();
    }
    transmit_fifo_.push_back(value);
    transmit_interrupt_ = false;
    if (instant_transmit_) transmit();
}

} // namespace tessera::drivers::uart::testing
