// The console protocol's bookkeeping (drivers/uart_ns16550a/console_service.cpp) over the
// register-level driver and the chip model: what is answered at once, what is held in
// which Reply object, and that nothing typed or written is lost or reordered.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "../../test_support.hpp"
#include "console_service.hpp"
#include "fake_ns16550a.hpp"

using namespace tessera;
using namespace tessera::drivers::uart;
using tessera::drivers::uart::testing::FakeNs16550a;
using user::ConsoleRequest;
using user::IpcMessage;
using user::kConsoleMaxTransfer;
using user::MessageWords;
using user::ServiceStatus;

namespace {

// The words of a message: 0..3 from the registers, the rest from the IPC buffer.
std::vector<u64> words_of(IpcMessage message, IpcBuffer& buffer) {
    std::vector<u64> words;
    MessageWords view(message, buffer);
    for (u64 i = 0; i < message.length(); ++i) words.push_back(view.get(i));
    return words;
}

// A read answer's bytes: the count in word 0, the bytes from word 1.
std::string bytes_of(const std::vector<u64>& words) {
    REQUIRE(!words.empty());
    u64 count = words[0];
    REQUIRE(words.size() == 1 + user::words_for_bytes(count));
    std::string bytes;
    for (u64 i = 0; i < count; ++i) bytes.push_back(static_cast<char>(words[1 + i / 8] >> (8 * (i % 8))));
    return bytes;
}

struct RecordedAnswer {
    u32 reply_object;
    u64 status;
    std::vector<u64> words;
};

class RecordingSink final : public AnswerSink {
public:
    explicit RecordingSink(IpcBuffer& buffer) : buffer_(buffer) {}
    void answer(u32 reply_object, const IpcMessage& message) override {
        answers.push_back(RecordedAnswer{reply_object, message.label(), words_of(message, buffer_)});
    }
    std::vector<RecordedAnswer> answers;

private:
    IpcBuffer& buffer_;
};

struct Outcome {
    u32 reply_object;              // the object the request came through
    bool answered;                 // at once
    u64 status = 0;                // the answer's label
    std::vector<u64> words;        // the answer's words, read before anything else ran
};

// The driver with a console service on the chip model; requests are handed over as the
// kernel delivers them (words 4.. in the driver's IPC buffer).
struct Console {
    FakeNs16550a chip;
    Ns16550a uart{chip};
    IpcBuffer buffer{};
    RecordingSink sink{buffer};
    ConsoleService service{uart, buffer, sink};

    explicit Console(FakeNs16550a::Options options = {}) : chip(options) {
        uart.start();
        service.pump();
    }

    Outcome request(const IpcMessage& message) {
        Outcome outcome{service.receiving_reply_object(), false, 0, {}};
        auto answer = service.handle(message);
        if (answer) {
            outcome.answered = true;
            outcome.status = answer->label();
            outcome.words = words_of(*answer, buffer);
        }
        return outcome;
    }
    Outcome write(std::string_view text) {
        IpcMessage message = user::service_request(static_cast<u64>(ConsoleRequest::Write),
                                                   1 + user::words_for_bytes(text.size()), text.size());
        MessageWords(message, buffer).put_bytes(1, kstd::Bytes(reinterpret_cast<const u8*>(text.data()), text.size()));
        return request(message);
    }
    Outcome read(u64 wanted) {
        return request(user::service_request(static_cast<u64>(ConsoleRequest::Read), 1, wanted));
    }

    // The interrupt path of main.cpp: pump, Ack, and again while the device has work.
    void interrupts() {
        for (int round = 0; round < 1000 && (chip.interrupt_asserted() || uart.needs_service()); ++round) {
            service.pump();
            REQUIRE_FALSE(chip.interrupt_asserted());
        }
    }
    void type(std::string_view text) {
        chip.offer(text);
        for (int round = 0; round < 1000 && chip.deliver() > 0; ++round) interrupts();
        chip.character_timeout();
        interrupts();
    }
    void drain_wire() {
        for (int round = 0; round < 100000 && (uart.output_pending() || chip.transmit_fifo_level() > 0); ++round) {
            chip.transmit();
            interrupts();
        }
    }
};

void check_refused(const Outcome& outcome, ServiceStatus status) {
    CHECK(outcome.answered);
    CHECK(outcome.status == static_cast<u64>(status));
}

void check_invalid_count(const Outcome& outcome) {
    check_refused(outcome, ServiceStatus::InvalidArgument);
    REQUIRE(outcome.words.size() == 1);
    CHECK(outcome.words[0] == 0);
}

std::string translated(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out.push_back('\r');
        out.push_back(c);
    }
    return out;
}

} // namespace

TEST_CASE("unknown requests are refused and nothing is held") {
    Console console;
    for (u64 label : {u64{0}, u64{3}, u64{1000}, ~u64{0}}) {
        Outcome outcome = console.request(user::service_request(label, 1, 5));
        check_refused(outcome, ServiceStatus::UnknownRequest);
        CHECK(console.service.receiving_reply_object() == outcome.reply_object);
    }
    CHECK(console.service.held_reads() == 0);
    CHECK(console.service.held_writes() == 0);
}

TEST_CASE("every request word is checked") {
    Console console;
    check_invalid_count(console.write(""));
    check_invalid_count(console.write(std::string(kConsoleMaxTransfer + 1, 'x')));
    // A count beyond the words that came (a sender without an IPC buffer gets 4).
    check_invalid_count(console.request(user::service_request(static_cast<u64>(ConsoleRequest::Write), 4, 40)));
    check_invalid_count(console.request(user::service_request(static_cast<u64>(ConsoleRequest::Write), 0, 1)));
    check_invalid_count(console.read(0));
    check_invalid_count(console.read(kConsoleMaxTransfer + 1));
    check_invalid_count(console.request(user::service_request(static_cast<u64>(ConsoleRequest::Read), 0, 10)));
    console.drain_wire();
    CHECK(console.chip.wire().empty());
    CHECK(console.service.held_reads() == 0);
    CHECK(console.sink.answers.empty());
}

TEST_CASE("a write is answered once its bytes are queued and goes out with CR LF") {
    Console console;
    Outcome outcome = console.write("hello\nworld");
    check_refused(outcome, ServiceStatus::Ok);
    REQUIRE(outcome.words.size() == 1);
    CHECK(outcome.words[0] == 11);
    std::string longest(kConsoleMaxTransfer, '\n');
    CHECK(console.write(longest).words.at(0) == kConsoleMaxTransfer);
    console.drain_wire();
    CHECK(console.chip.wire() == "hello\r\nworld" + translated(longest));
    CHECK_FALSE(console.chip.transmit_overflowed());
}

TEST_CASE("a read with bytes waiting is answered at once with at most what it asked for") {
    Console console;
    console.type("abcdef");
    Outcome first = console.read(4);
    check_refused(first, ServiceStatus::Ok);
    CHECK(bytes_of(first.words) == "abcd");
    Outcome second = console.read(kConsoleMaxTransfer);
    CHECK(bytes_of(second.words) == "ef");
}

TEST_CASE("a read finds bytes still in the FIFO that no interrupt announced yet") {
    Console console;
    console.chip.offer("q");
    console.chip.deliver(); // below the trigger, and no timeout yet
    Outcome outcome = console.read(10);
    REQUIRE(outcome.answered);
    CHECK(bytes_of(outcome.words) == "q");
}

TEST_CASE("reads with nothing to read are held and answered oldest first as bytes arrive") {
    Console console;
    Outcome first = console.read(3);
    CHECK_FALSE(first.answered);
    Outcome second = console.read(100);
    CHECK_FALSE(second.answered);
    CHECK(console.service.held_reads() == 2);
    std::set<u32> objects{first.reply_object, second.reply_object, console.service.receiving_reply_object()};
    CHECK(objects.size() == 3); // each held in its own object, and a free one to receive with

    check_refused(console.read(1), ServiceStatus::Busy); // more than kConsoleMaxHeldReads
    CHECK(console.sink.answers.empty());

    console.type("hello world");
    REQUIRE(console.sink.answers.size() == 2);
    CHECK(console.sink.answers[0].reply_object == first.reply_object);
    CHECK(bytes_of(console.sink.answers[0].words) == "hel");
    CHECK(console.sink.answers[1].reply_object == second.reply_object);
    CHECK(bytes_of(console.sink.answers[1].words) == "lo world");
    CHECK(console.service.held_reads() == 0);
}

TEST_CASE("writes that do not fit are held until they do, in order, and one object stays free") {
    Console console;
    // The far end sends nothing for now: fill the transmit ring.
    std::vector<std::string> accepted;
    Outcome held_first{0, false, 0, {}};
    for (int i = 0; i < 100; ++i) {
        std::string text(kConsoleMaxTransfer, static_cast<char>('a' + i % 26));
        Outcome outcome = console.write(text);
        accepted.push_back(text);
        if (!outcome.answered) {
            held_first = outcome;
            break;
        }
    }
    REQUIRE(console.service.held_writes() == 1);
    // A short write would fit, but must not overtake the held one.
    Outcome held_second = console.write("tail\n");
    CHECK_FALSE(held_second.answered);
    accepted.push_back("tail\n");
    CHECK(console.service.held_writes() == 2);
    // One held read more takes the last spare object; after that, Busy.
    Outcome reader = console.read(10);
    CHECK_FALSE(reader.answered);
    check_refused(console.write("x"), ServiceStatus::Busy);
    check_refused(console.read(10), ServiceStatus::Busy);
    std::set<u32> objects{held_first.reply_object, held_second.reply_object, reader.reply_object,
                          console.service.receiving_reply_object()};
    CHECK(objects.size() == kReplyObjects);
    CHECK(console.sink.answers.empty());

    console.drain_wire();
    REQUIRE(console.sink.answers.size() == 2);
    CHECK(console.sink.answers[0].reply_object == held_first.reply_object);
    CHECK(console.sink.answers[0].status == static_cast<u64>(ServiceStatus::Ok));
    CHECK(console.sink.answers[0].words == std::vector<u64>{kConsoleMaxTransfer});
    CHECK(console.sink.answers[1].reply_object == held_second.reply_object);
    CHECK(console.sink.answers[1].words == std::vector<u64>{5});
    std::string expected;
    for (const std::string& text : accepted) expected += translated(text);
    CHECK(console.chip.wire() == expected);
    CHECK_FALSE(console.chip.transmit_overflowed());
    CHECK(console.service.held_writes() == 0);
}

TEST_CASE("a reader making room restarts a receiver stopped by a full ring") {
    Console console;
    std::string input(kReceiveRingBytes + 100, 'r');
    console.chip.offer(input);
    for (int round = 0; round < 10000 && console.chip.deliver() > 0; ++round) console.interrupts();
    REQUIRE(console.uart.input_available() == kReceiveRingBytes);
    REQUIRE((console.chip.interrupt_enable() & bits::kReceiveDataInterrupt) == 0);

    std::string received;
    while (received.size() < input.size()) {
        Outcome outcome = console.read(kConsoleMaxTransfer);
        REQUIRE(outcome.answered);
        received += bytes_of(outcome.words);
        CHECK((console.chip.interrupt_enable() & bits::kReceiveDataInterrupt) != 0);
        for (int round = 0; round < 10000 && console.chip.deliver() > 0; ++round) console.interrupts();
        console.chip.character_timeout();
        console.interrupts();
    }
    CHECK(received == input);
    CHECK(console.uart.counters().overruns == 0);
}

TEST_CASE("an echoing client under a blast of input loses and reorders nothing") {
    auto rng = tessera_test::make_rng(0x0a27);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    Console console;
    std::string input(40 * 1024, '\0');
    for (char& c : input) c = static_cast<char>(rng() % 4 == 0 ? '\n' : 32 + rng() % 95);
    console.chip.offer(input);

    std::string read_back;
    std::string to_echo;
    bool waiting = false;
    u32 waiting_object = 0;
    size_t answers_seen = 0;
    for (int step = 0; step < 1'000'000 && (read_back.size() < input.size() || waiting || !to_echo.empty()); ++step) {
        console.chip.deliver();
        if (rng() % 3 == 0) console.chip.character_timeout();
        if (rng() % 2 == 0) console.chip.transmit();
        console.interrupts();

        for (; answers_seen < console.sink.answers.size(); ++answers_seen) {
            const RecordedAnswer& answer = console.sink.answers[answers_seen];
            REQUIRE(waiting);
            REQUIRE(answer.reply_object == waiting_object);
            REQUIRE(answer.status == static_cast<u64>(ServiceStatus::Ok));
            waiting = false;
            if (to_echo.empty()) { // a held read
                to_echo = bytes_of(answer.words);
                read_back += to_echo;
            } else {                // a held write
                REQUIRE(answer.words.at(0) == to_echo.size());
                to_echo.clear();
            }
        }
        if (waiting) continue;
        if (to_echo.empty()) {
            Outcome outcome = console.read(1 + rng() % kConsoleMaxTransfer);
            if (!outcome.answered) {
                waiting = true;
                waiting_object = outcome.reply_object;
                continue;
            }
            REQUIRE(outcome.status == static_cast<u64>(ServiceStatus::Ok));
            to_echo = bytes_of(outcome.words);
            read_back += to_echo;
        }
        Outcome outcome = console.write(to_echo);
        if (!outcome.answered) {
            waiting = true;
            waiting_object = outcome.reply_object;
            continue;
        }
        REQUIRE(outcome.status == static_cast<u64>(ServiceStatus::Ok));
        to_echo.clear();
    }
    console.drain_wire();
    CHECK(read_back.size() == input.size());
    CHECK(read_back == input);
    CHECK(console.chip.wire() == translated(input));
    CHECK(console.uart.counters().overruns == 0);
    CHECK_FALSE(console.chip.transmit_overflowed());
}
