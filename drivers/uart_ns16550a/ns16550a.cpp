#include "ns16550a.hpp"

namespace tessera::drivers::uart {

void Ns16550a::start() {
    // LCR first: with DLAB set, offset 1 would be the divisor's high byte, not IER. Only
    // that bit is cleared; the data format stays the firmware's.
    u8 line_control = registers_.read(UartRegister::LineControl);
    if ((line_control & bits::kDivisorLatchAccess) != 0)
        registers_.write(UartRegister::LineControl, line_control & ~bits::kDivisorLatchAccess);

    registers_.write(UartRegister::InterruptEnable, 0);
    interrupt_enable_ = 0;
    // No clear bits: the firmware's last characters may still be in the transmit FIFO,
    // and what was typed before the driver ran is input like any other. (The chip flushes
    // both FIFOs itself if this turns them on.) A trigger of 8 leaves half the FIFO to
    // cover the time until the driver's thread runs.
    registers_.write(kFifoControl, bits::kFifoEnable | bits::kReceiveTrigger8);
    u8 identity = registers_.read(UartRegister::InterruptIdentity);
    bool fifo_works = (identity & bits::kFifosEnabledMask) == bits::kFifosEnabledMask;
    transmit_burst_ = fifo_works ? kHardwareFifoBytes : 1;

    u8 modem_control = registers_.read(UartRegister::ModemControl);
    registers_.write(UartRegister::ModemControl,
                     modem_control | bits::kDataTerminalReady | bits::kRequestToSend | bits::kOut2);
    service();
}

void Ns16550a::service() {
    // Reading IIR is what ends a transmitter-empty interrupt; the other causes end when
    // their condition is handled below (LSR read, FIFO drained below the trigger).
    (void)registers_.read(UartRegister::InterruptIdentity);
    for (;;) {
        u8 status = read_line_status();
        bool receivable = (status & bits::kDataReady) != 0 && !receive_.full();
        bool sendable = (status & bits::kTransmitHoldingEmpty) != 0 && !transmit_.empty();
        if (!receivable && !sendable) break;
        if (receivable) drain_receive_fifo(status);
        if (sendable) fill_transmit_fifo();
    }
    u8 wanted = bits::kLineStatusInterrupt;
    if (!receive_.full()) wanted |= bits::kReceiveDataInterrupt;
    if (!transmit_.empty()) wanted |= bits::kTransmitEmptyInterrupt;
    set_interrupt_enable(wanted);
}

bool Ns16550a::needs_service() {
    u8 status = read_line_status();
    return ((status & bits::kDataReady) != 0 && !receive_.full()) ||
           ((status & bits::kTransmitHoldingEmpty) != 0 && !transmit_.empty());
}

usize Ns16550a::translated_length(kstd::Bytes text) {
    usize length = text.size();
    for (u8 byte : text)
        if (byte == '\n') ++length;
    return length;
}

bool Ns16550a::queue_output(kstd::Bytes text) {
    if (translated_length(text) > transmit_.room()) return false;
    for (u8 byte : text) {
        if (byte == '\n') transmit_.push('\r');
        transmit_.push(byte);
    }
    return true;
}

u8 Ns16550a::read_line_status() {
    // Reading LSR clears its error bits, so each read is the only chance to count them.
    u8 status = registers_.read(UartRegister::LineStatus);
    if ((status & bits::kOverrunError) != 0) ++counters_.overruns;
    if ((status & bits::kParityError) != 0) ++counters_.parity_errors;
    if ((status & bits::kFramingError) != 0) ++counters_.framing_errors;
    if ((status & bits::kBreak) != 0) ++counters_.breaks;
    return status;
}

void Ns16550a::drain_receive_fifo(u8 line_status) {
    // A full ring leaves the rest in the FIFO: that is the backpressure.
    while ((line_status & bits::kDataReady) != 0 && !receive_.full()) {
        receive_.push(registers_.read(UartRegister::Data));
        ++counters_.received;
        line_status = read_line_status();
    }
}

void Ns16550a::fill_transmit_fifo() {
    // Called only when LSR said the whole FIFO is empty, so a burst never overruns it.
    for (usize i = 0; i < transmit_burst_ && !transmit_.empty(); ++i) {
        registers_.write(UartRegister::Data, transmit_.pop());
        ++counters_.transmitted;
    }
}

void Ns16550a::set_interrupt_enable(u8 wanted) {
    if (wanted == interrupt_enable_) return;
    registers_.write(UartRegister::InterruptEnable, wanted);
    interrupt_enable_ = wanted;
}

} // namespace tessera::drivers::uart
