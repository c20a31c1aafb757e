// The register-level driver (drivers/uart_ns16550a/ns16550a.cpp) against the chip model.
#include <catch2/catch.hpp>

#include <string>

#include "fake_ns16550a.hpp"

using namespace tessera;
using namespace tessera::drivers::uart;
using tessera::drivers::uart::testing::FakeNs16550a;

namespace {

std::string take_all_input(Ns16550a& uart) {
    std::string text(uart.input_available(), '\0');
    usize taken = uart.take_input(kstd::Span<u8>(reinterpret_cast<u8*>(text.data()), text.size()));
    text.resize(taken);
    return text;
}

// What the kernel and the driver's loop do together until the line stays low: service
// on every interrupt, and after the Ack look again (the interrupt may not come back).
void run_interrupts(FakeNs16550a& chip, Ns16550a& uart) {
    for (int round = 0; round < 1000 && (chip.interrupt_asserted() || uart.needs_service()); ++round) {
        uart.service();
        REQUIRE_FALSE(chip.interrupt_asserted());
    }
}

// The far end drains the transmit FIFO and the driver refills it, until the ring is empty.
void send_everything(FakeNs16550a& chip, Ns16550a& uart) {
    for (int round = 0; round < 10000 && (uart.output_pending() || chip.transmit_fifo_level() > 0); ++round) {
        chip.transmit();
        run_interrupts(chip, uart);
    }
}

std::string pseudo_random_bytes(size_t length, unsigned seed) {
    std::string bytes(length, '\0');
    unsigned state = seed;
    for (char& c : bytes) {
        state = state * 1103515245u + 12345u;
        c = static_cast<char>(state >> 16);
    }
    return bytes;
}

} // namespace

TEST_CASE("start turns the FIFOs and receive interrupts on and keeps the firmware's line settings") {
    FakeNs16550a chip(FakeNs16550a::Options{.line_control = 0x1b, .divisor = 3});
    chip.preload_transmit_fifo("ok\r\n");
    Ns16550a uart(chip);
    uart.start();

    CHECK((chip.fifo_control() & bits::kFifoEnable) != 0);
    CHECK(chip.line_control() == 0x1b);
    CHECK(chip.line_control_writes() == 0);
    CHECK(chip.divisor() == 3);
    CHECK(chip.divisor_writes() == 0);
    CHECK(chip.interrupt_enable() == (bits::kReceiveDataInterrupt | bits::kLineStatusInterrupt));
    CHECK((chip.modem_control() & bits::kOut2) != 0);
    CHECK(uart.transmit_burst() == kHardwareFifoBytes);
    // The firmware's last characters still go out.
    chip.transmit();
    CHECK(chip.wire() == "ok\r\n");
    CHECK_FALSE(chip.interrupt_asserted());
}

TEST_CASE("start clears a divisor latch left switched in, and only that bit") {
    FakeNs16550a chip(FakeNs16550a::Options{.line_control = 0x83, .divisor = 0x0102});
    Ns16550a uart(chip);
    uart.start();
    CHECK(chip.line_control() == 0x03);
    CHECK(chip.divisor() == 0x0102);
    CHECK(chip.divisor_writes() == 0);
    CHECK(chip.interrupt_enable() == (bits::kReceiveDataInterrupt | bits::kLineStatusInterrupt));
}

TEST_CASE("received bytes reach the ring in order and untouched, and the line falls") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    const std::string input("a\r\nb\0\xff\x1b[A z", 11);
    chip.offer(input);
    chip.deliver();
    REQUIRE(chip.interrupt_asserted()); // 11 bytes pass the trigger of 8
    run_interrupts(chip, uart);
    CHECK(take_all_input(uart) == input);
    CHECK(uart.counters().received == input.size());
    CHECK(chip.receive_fifo_level() == 0);
}

TEST_CASE("a few bytes below the trigger arrive through the character timeout") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    chip.offer("hi");
    chip.deliver();
    CHECK_FALSE(chip.interrupt_asserted());
    chip.character_timeout();
    REQUIRE(chip.interrupt_asserted());
    run_interrupts(chip, uart);
    CHECK(take_all_input(uart) == "hi");
}

TEST_CASE("a full receive ring stops the receiver without losing a byte, and reading resumes it") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    const std::string input = pseudo_random_bytes(3 * kReceiveRingBytes + 123, 7);
    chip.offer(input);

    for (int round = 0; round < 10000 && chip.deliver() > 0; ++round) run_interrupts(chip, uart);
    CHECK(uart.input_available() == kReceiveRingBytes);
    CHECK((uart.interrupt_enable() & bits::kReceiveDataInterrupt) == 0);
    CHECK((chip.interrupt_enable() & bits::kReceiveDataInterrupt) == 0);
    CHECK(chip.receive_fifo_level() == chip.fifo_depth()); // the rest waits in the UART
    CHECK(chip.pending_input() == input.size() - kReceiveRingBytes - chip.fifo_depth()); // and at the sender
    CHECK_FALSE(chip.interrupt_asserted());
    CHECK_FALSE(uart.needs_service());

    std::string received;
    u8 chunk[1000];
    while (received.size() < input.size()) {
        usize taken = uart.take_input(kstd::Span<u8>(chunk, sizeof chunk));
        REQUIRE(taken > 0);
        received.append(reinterpret_cast<const char*>(chunk), taken);
        uart.service(); // what the console does after a reader made room
        CHECK((uart.interrupt_enable() & bits::kReceiveDataInterrupt) != 0);
        for (int round = 0; round < 10000 && chip.deliver() > 0; ++round) run_interrupts(chip, uart);
        chip.character_timeout();
        run_interrupts(chip, uart);
    }
    CHECK(received == input);
    CHECK(uart.counters().overruns == 0);
}

TEST_CASE("output goes out with newlines as CR LF, sixteen bytes per transmitter-empty") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    REQUIRE(uart.queue_output(kstd::StringView("first line\nsecond line, somewhat longer\n\nend")));
    CHECK((uart.interrupt_enable() & bits::kTransmitEmptyInterrupt) == 0); // nothing happened yet
    uart.service();
    CHECK(chip.transmit_fifo_level() == kHardwareFifoBytes);
    CHECK((chip.interrupt_enable() & bits::kTransmitEmptyInterrupt) != 0);
    CHECK_FALSE(chip.interrupt_asserted());

    chip.transmit();
    REQUIRE(chip.interrupt_asserted()); // the FIFO ran empty
    uart.service();
    CHECK(chip.transmit_fifo_level() == kHardwareFifoBytes);
    CHECK_FALSE(chip.interrupt_asserted());

    send_everything(chip, uart);
    CHECK(chip.wire() == "first line\r\nsecond line, somewhat longer\r\n\r\nend");
    CHECK_FALSE(chip.transmit_overflowed());
    // Nothing left to send: the transmitter-empty interrupt is off again.
    CHECK((chip.interrupt_enable() & bits::kTransmitEmptyInterrupt) == 0);
    CHECK_FALSE(chip.interrupt_asserted());
    CHECK_FALSE(uart.needs_service());
}

TEST_CASE("output is queued whole or not at all") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    std::string filler(kTransmitRingBytes - 3, 'x');
    REQUIRE(uart.queue_output(kstd::StringView(filler.data(), filler.size())));
    CHECK(uart.output_room() == 3);
    CHECK_FALSE(uart.queue_output(kstd::StringView("a\nb"))); // 4 bytes once translated
    CHECK(uart.output_room() == 3);
    CHECK(uart.queue_output(kstd::StringView("a\n")));
    CHECK(uart.output_room() == 0);
    CHECK(Ns16550a::translated_length(kstd::Bytes(reinterpret_cast<const u8*>("\n\nab\n"), 5)) == 8);
}

TEST_CASE("a transmitter that sends at once is kept busy without waiting for interrupts") {
    FakeNs16550a chip(FakeNs16550a::Options{.instant_transmit = true});
    Ns16550a uart(chip);
    uart.start();
    std::string text = pseudo_random_bytes(1000, 3);
    REQUIRE(uart.queue_output(kstd::Bytes(reinterpret_cast<const u8*>(text.data()), text.size())));
    uart.service();
    CHECK_FALSE(uart.output_pending());
    CHECK(chip.wire().size() == Ns16550a::translated_length(
                                    kstd::Bytes(reinterpret_cast<const u8*>(text.data()), text.size())));
    CHECK((chip.interrupt_enable() & bits::kTransmitEmptyInterrupt) == 0);
    CHECK_FALSE(chip.interrupt_asserted());
}

TEST_CASE("without a working FIFO one byte goes per transmitter-empty") {
    FakeNs16550a chip(FakeNs16550a::Options{.has_fifo = false});
    Ns16550a uart(chip);
    uart.start();
    CHECK(uart.transmit_burst() == 1);
    REQUIRE(uart.queue_output(kstd::StringView("hello\n")));
    uart.service();
    CHECK(chip.transmit_fifo_level() == 1);
    send_everything(chip, uart);
    CHECK(chip.wire() == "hello\r\n");
    CHECK_FALSE(chip.transmit_overflowed());

    chip.offer("typed");
    for (int round = 0; round < 100 && chip.deliver() > 0; ++round) run_interrupts(chip, uart);
    CHECK(take_all_input(uart) == "typed");
}

TEST_CASE("bytes that arrive after service are found by needs_service, not lost to a quiet line") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    chip.offer("12345678");
    chip.deliver();
    uart.service();
    // More arrives while the line is masked; the controller may never take it again.
    chip.offer("9");
    chip.deliver();
    CHECK(uart.needs_service());
    uart.service();
    CHECK_FALSE(uart.needs_service());
    CHECK(take_all_input(uart) == "123456789");
}

TEST_CASE("line errors are counted and their interrupt ends with the LSR read") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    for (size_t i = 0; i < chip.fifo_depth(); ++i) chip.deliver_overrunning('x');
    chip.deliver_overrunning('y');
    chip.inject_line_errors(bits::kFramingError | bits::kBreak);
    REQUIRE(chip.current_interrupt() == 0x06);
    run_interrupts(chip, uart);
    CHECK(uart.counters().overruns == 1);
    CHECK(uart.counters().framing_errors == 1);
    CHECK(uart.counters().breaks == 1);
    CHECK(uart.counters().parity_errors == 0);
    CHECK(take_all_input(uart) == std::string(chip.fifo_depth(), 'x'));
}

TEST_CASE("the interrupt enable register is written only when it changes") {
    FakeNs16550a chip;
    Ns16550a uart(chip);
    uart.start();
    int writes = chip.interrupt_enable_writes();
    for (int i = 0; i < 10; ++i) uart.service();
    CHECK(chip.interrupt_enable_writes() == writes);
}
