// The shell's input loop as a terminal drives it: the greeting and prompt, echo, Enter in
// its forms, Ctrl-C, cat's raw copy, and halt.
#include <catch2/catch.hpp>

#include "fake_services.hpp"

using namespace tessera_test;
using tessera::shell::Shell;

namespace {

constexpr const char* kGreeting = "Tessera shell; type help for the commands\n";

// Runs a shell over `chunks` (each one console read's worth) until input runs out.
std::string session(FakeServices& services, std::initializer_list<std::string> chunks) {
    for (const std::string& chunk : chunks) services.input.push_back(chunk);
    Shell shell(services);
    Result<void> result = shell.run();
    CHECK_FALSE(result.ok()); // only halt ends a run successfully
    return services.output;
}

} // namespace

TEST_CASE("session: greeting, prompt, echo and output", "[shell]") {
    FakeServices services;
    CHECK(session(services, {"echo hi\r"}) == std::string(kGreeting) + "tessera> echo hi\nhi\ntessera> ");
}

TEST_CASE("session: the greeting shows before the first read", "[shell]") {
    FakeServices services;
    Shell shell(services);
    CHECK_FALSE(shell.run().ok());
    CHECK(services.output == std::string(kGreeting) + "tessera> ");
    CHECK(services.read_sizes.size() == 1);
}

TEST_CASE("session: input split anywhere gives the same lines", "[shell]") {
    FakeServices whole;
    std::string expected = session(whole, {"echo one\r\necho two\necho three\r"});
    FakeServices split;
    CHECK(session(split, {"ec", "ho one\r", "\n", "echo t", "wo\n", "echo three", "\r"}) == expected);
    CHECK(expected == std::string(kGreeting) +
                          "tessera> echo one\none\ntessera> echo two\ntwo\ntessera> echo three\nthree\ntessera> ");
}

TEST_CASE("session: Ctrl-C abandons the line and prompts again", "[shell]") {
    FakeServices services;
    CHECK(session(services, {"halt\x03" "echo ok\r"}) ==
          std::string(kGreeting) + "tessera> halt^C\ntessera> echo ok\nok\ntessera> ");
    CHECK(services.halts == 0);
}

TEST_CASE("session: editing keys reach the command as the final line", "[shell]") {
    FakeServices services;
    std::string output = session(services, {"ecxx\x7f\x08ho  a\x15" "echo b\r"});
    CHECK(output.find("\nb\ntessera> ") != std::string::npos);
}

TEST_CASE("session: cat copies raw bytes back until Ctrl-D", "[shell]") {
    FakeServices services;
    std::string data = std::string("abc\x01\x7f\b\r\x03\x15\xff", 11) + std::string(1, '\0') + "xyz\n";
    std::string output = session(services, {"cat\r", data, "\x04" "echo after\r"});
    CHECK(output == std::string(kGreeting) + "tessera> cat\n" + data + "tessera> echo after\nafter\ntessera> ");
    // Each chunk that came in went back out in one write, untouched.
    CHECK(std::find(services.writes.begin(), services.writes.end(), data) != services.writes.end());
}

TEST_CASE("session: cat reads with the largest buffer the console takes", "[shell]") {
    FakeServices services;
    std::string big(3000, 'q');
    session(services, {"cat\r", big, "\x04"});
    for (size_t size : services.read_sizes) CHECK(size == tessera::user::kConsoleMaxTransfer);
    CHECK(services.output.find(big) != std::string::npos);
}

TEST_CASE("session: cat takes the bytes that came with its command line", "[shell]") {
    FakeServices services;
    std::string output = session(services, {"cat\rhello\x04" "echo x\r"});
    CHECK(output == std::string(kGreeting) + "tessera> cat\nhello\ntessera> echo x\nx\ntessera> ");
}

TEST_CASE("session: cat ends the last line before the prompt only when needed", "[shell]") {
    FakeServices services;
    std::string output = session(services, {"cat\n", "line\n\x04"});
    CHECK(output == std::string(kGreeting) + "tessera> cat\nline\ntessera> ");
}

TEST_CASE("session: the \\n of a \\r\\n Enter does not reach cat", "[shell]") {
    FakeServices together;
    CHECK(session(together, {"cat\r\nabc\x04"}) == std::string(kGreeting) + "tessera> cat\nabc\ntessera> ");
    FakeServices apart;
    CHECK(session(apart, {"cat\r", "\nabc\x04"}) == std::string(kGreeting) + "tessera> cat\nabc\ntessera> ");
    FakeServices after_newline;
    CHECK(session(after_newline, {"cat\n", "\nabc\x04"}) == std::string(kGreeting) + "tessera> cat\n\nabc\ntessera> ");
}

TEST_CASE("session: a console failure during cat ends the run", "[shell]") {
    FakeServices services;
    std::string output = session(services, {"cat\r", "partial"});
    CHECK(output == std::string(kGreeting) + "tessera> cat\npartial");
}

TEST_CASE("session: halt powers off and ends the shell", "[shell]") {
    FakeServices services;
    services.input.push_back("halt\r");
    services.input.push_back("echo never\r");
    Shell shell(services);
    CHECK(shell.run().ok());
    CHECK(services.halts == 1);
    CHECK(services.output == std::string(kGreeting) + "tessera> halt\npowering off\n");
}

TEST_CASE("session: halt without the system service says so and goes on", "[shell]") {
    FakeServices services;
    services.system_present = false;
    CHECK(session(services, {"halt\r"}) ==
          std::string(kGreeting) + "tessera> halt\npowering off\nhalt: no system service\ntessera> ");
}

TEST_CASE("session: a line of 200 bytes runs, longer input is cut", "[shell]") {
    FakeServices services;
    std::string text = "echo " + std::string(195, 'x');
    std::string output = session(services, {text + "yyy\r"});
    CHECK(output.find("\n" + std::string(195, 'x') + "\ntessera> ") != std::string::npos);
    CHECK(output.find("xy") == std::string::npos);
}
