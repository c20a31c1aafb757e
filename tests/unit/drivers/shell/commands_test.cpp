// The shell's commands against fake services: what each prints, how it checks its
// arguments, and what it says when a service is missing or refuses.
#include <catch2/catch.hpp>

#include "fake_services.hpp"

using namespace tessera_test;
using tessera::CapabilityKind;
using tessera::ThreadStatus;
using tessera::user::CapEntry;
using tessera::user::IrqEntry;

namespace {

constexpr u64 kNanosecondsPerSecond = 1'000'000'000;

CapEntry cap_entry(u64 slot, CapabilityKind kind, u64 rights, u64 data, u64 object, u64 size_bits) {
    CapEntry entry;
    entry.slot = slot;
    entry.kind = static_cast<u64>(kind);
    entry.rights = rights;
    entry.data = data;
    entry.object = object;
    entry.size_bits = size_bits;
    return entry;
}

IrqEntry irq_entry(u64 line, const char* owner, u64 delivered, bool masked, bool shared, bool awaiting_ack) {
    IrqEntry entry;
    entry.line = line;
    entry.delivered = delivered;
    entry.masked = masked;
    entry.shared = shared;
    entry.awaiting_ack = awaiting_ack;
    entry.bound = true;
    std::strncpy(entry.owner, owner, sizeof(entry.owner) - 1);
    return entry;
}

} // namespace

TEST_CASE("shell: unknown commands and empty lines", "[shell]") {
    FakeServices services;
    CHECK(run_command(services, "foo bar") == "unknown command: foo (try help)\n");
    CHECK(run_command(services, "") == "");
    CHECK(run_command(services, "    ") == "");
    CHECK(run_command(services, "HELP") == "unknown command: HELP (try help)\n");
}

TEST_CASE("shell: help has one line per command", "[shell]") {
    FakeServices services;
    std::string text = run_command(services, "help");
    for (const char* command : {"help", "echo <text>", "ps", "irq", "caps <task>", "date", "sleep <seconds>",
                                "blk info", "blk read <sector>", "blk write <sector> <text>", "cat", "fault <task>", "halt"})
        CHECK(("\n" + text).find(std::string("\n") + command + " ") != std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 13);
    CHECK(run_command(services, "help me") == "help: unexpected argument me\nusage: help\n");
}

TEST_CASE("shell: echo prints its text as typed", "[shell]") {
    FakeServices services;
    CHECK(run_command(services, "echo hello   world") == "hello   world\n");
    CHECK(run_command(services, "  echo  x ") == "x\n");
    CHECK(run_command(services, "echo") == "\n");
}

TEST_CASE("shell: ps lists every thread until OutOfRange", "[shell]") {
    FakeServices services;
    services.threads = {
        thread_entry("roottask", "main", 255, ThreadStatus::BlockedOnReceive, 0),
        thread_entry("uart", "irq", 200, ThreadStatus::BlockedOnNotification, 2),
        thread_entry("shell", "", 100, ThreadStatus::Running, 0),
    };
    CHECK(run_command(services, "ps") ==
          "TASK             THREAD           PRIO STATE       RESTARTS\n"
          "roottask         main              255 receive            0\n"
          "uart             irq               200 wait               2\n"
          "shell            -                 100 running            0\n");
}

TEST_CASE("shell: ps without the system service", "[shell]") {
    FakeServices services;
    services.system_present = false;
    CHECK(run_command(services, "ps") == "ps: no system service\n");
}

TEST_CASE("shell: irq lists the handlers", "[shell]") {
    FakeServices services;
    services.irqs = {irq_entry(10, "uart", 42, false, false, false), irq_entry(8, "virtio-blk", 7, true, true, true)};
    CHECK(run_command(services, "irq") ==
          "LINE OWNER                 COUNT MASKED SHARED AWAITING-ACK\n"
          "  10 uart                     42 no     no     no\n"
          "   8 virtio-blk                7 yes    yes    yes\n");
    services.irqs.clear();
    CHECK(run_command(services, "irq") == "no interrupt handlers given out\n");
    services.system_present = false;
    CHECK(run_command(services, "irq") == "irq: no system service\n");
}

TEST_CASE("shell: caps lists every occupied slot of the task", "[shell]") {
    FakeServices services;
    services.caps["shell"] = {
        cap_entry(1, CapabilityKind::CNode, 0xf, 0x38, 0x80400000, 13),
        cap_entry(5, CapabilityKind::Endpoint, 0x3 | 0x8, 0x2, 0x80401230, 4),
        cap_entry(9, CapabilityKind::Frame, 0x1, 0, 0x80500000, 12),
    };
    CHECK(run_command(services, "caps shell") ==
          "SLOT KIND          RIGHTS DATA               OBJECT             BITS\n"
          "   1 CNode         rwgG   0x38               0x80400000         13\n"
          "   5 Endpoint      rw-G   0x2                0x80401230         4\n"
          "   9 Frame         r---   0x0                0x80500000         12\n");
}

TEST_CASE("shell: caps names what is wrong", "[shell]") {
    FakeServices services;
    services.caps["empty"] = {};
    CHECK(run_command(services, "caps nobody") == "caps: no task named nobody\n");
    CHECK(run_command(services, "caps empty") == "caps: empty has no capabilities\n");
    CHECK(run_command(services, "caps") == "caps: missing argument\nusage: caps <task>\n");
    CHECK(run_command(services, "caps a b") == "caps: unexpected argument b\nusage: caps <task>\n");
    CHECK(run_command(services, "caps 0123456789abcdef0123456789abcdef0") == "caps: task names have at most 32 bytes\n");
    services.system_present = false;
    CHECK(run_command(services, "caps shell") == "caps: no system service\n");
}

TEST_CASE("shell: date prints UTC from the clock", "[shell]") {
    FakeServices services;
    services.clock_time = 1795297205 * kNanosecondsPerSecond + 999'999'999;
    CHECK(run_command(services, "date") == "2026-11-21 21:40:05 UTC\n");
    services.clock_time = 951868799 * kNanosecondsPerSecond;
    CHECK(run_command(services, "date") == "2000-02-29 23:59:59 UTC\n");
    services.clock_time = 0;
    CHECK(run_command(services, "date") == "1970-01-01 00:00:00 UTC\n");
    services.clock_present = false;
    CHECK(run_command(services, "date") == "date: no clock\n");
}

TEST_CASE("shell: sleep waits until now plus the seconds and prints how long it took", "[shell]") {
    FakeServices services;
    services.clock_time = 1000 * kNanosecondsPerSecond;
    services.sleep_overshoot = 3'500'000;
    CHECK(run_command(services, "sleep 2") == "slept 2003 ms\n");
    CHECK(services.deadlines == std::vector<u64>{1002 * kNanosecondsPerSecond});
    CHECK(run_command(services, "sleep 0x10") == "slept 16003 ms\n");
    services.sleep_overshoot = 0;
    CHECK(run_command(services, "sleep 0") == "slept 0 ms\n");
}

TEST_CASE("shell: sleep checks its argument and the clock", "[shell]") {
    FakeServices services;
    services.clock_time = 5;
    CHECK(run_command(services, "sleep") == "sleep: missing argument\nusage: sleep <seconds>\n");
    CHECK(run_command(services, "sleep 1s") ==
          "sleep: seconds 1s is not a number (decimal, or hexadecimal with 0x)\n");
    CHECK(run_command(services, "sleep 18446744073709551616") ==
          "sleep: seconds 18446744073709551616 is too large (the most is 18446744073709551615)\n");
    CHECK(run_command(services, "sleep 18446744074") == "sleep: 18446744074 seconds is past the end of the clock's range\n");
    CHECK(services.deadlines.empty());
    services.clock_busy = true;
    CHECK(run_command(services, "sleep 1") == "sleep: the service is busy; try again (Busy)\n");
    services.clock_present = false;
    CHECK(run_command(services, "sleep 1") == "sleep: no clock\n");
}

TEST_CASE("shell: blk info", "[shell]") {
    FakeServices services;
    CHECK(run_command(services, "blk info") == "disk: 16 sectors of 512 bytes (8 KiB), read-write\n");
    services.disk_read_only = true;
    CHECK(run_command(services, "blk info") == "disk: 16 sectors of 512 bytes (8 KiB), read-only\n");
    services.disk_present = false;
    CHECK(run_command(services, "blk info") == "blk: no disk\n");
}

TEST_CASE("shell: blk read dumps one sector", "[shell]") {
    FakeServices services;
    std::memcpy(services.disk.data() + 3 * 512, "Tessera!", 8);
    services.disk[3 * 512 + 511] = 0xaa;
    std::string text = run_command(services, "blk read 3");
    CHECK(std::count(text.begin(), text.end(), '\n') == 32);
    CHECK(text.rfind("0000  54 65 73 73 65 72 61 21  00 00 00 00 00 00 00 00  |Tessera!........|\n", 0) == 0);
    CHECK(text.find("01f0  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 aa  |................|\n") != std::string::npos);
    // 32 lines do not fit in one console write: the output goes in full pieces.
    CHECK(services.writes.size() > 1);
    for (const std::string& piece : services.writes) CHECK(piece.size() <= tessera::user::kConsoleMaxTransfer);
}

TEST_CASE("shell: blk read names what is wrong", "[shell]") {
    FakeServices services;
    CHECK(run_command(services, "blk read 99999999") ==
          "blk read: sector 99999999 is past the end of the disk (16 sectors)\n");
    CHECK(run_command(services, "blk read 16") == "blk read: sector 16 is past the end of the disk (16 sectors)\n");
    CHECK(run_command(services, "blk read x") ==
          "blk read: sector x is not a number (decimal, or hexadecimal with 0x)\n");
    CHECK(run_command(services, "blk read") == "blk read: missing argument\nusage: blk read <sector>\n");
    CHECK(run_command(services, "blk read 1 2") == "blk read: unexpected argument 2\nusage: blk read <sector>\n");
    services.disk_fails = true;
    CHECK(run_command(services, "blk read 1") == "blk read: the device reported an error (DeviceError)\n");
    services.disk_present = false;
    CHECK(run_command(services, "blk read 1") == "blk: no disk\n");
}

TEST_CASE("shell: blk write pads the text with zeros to a sector", "[shell]") {
    FakeServices services;
    std::fill(services.disk.begin(), services.disk.end(), 0xee);
    CHECK(run_command(services, "blk write 0x2 hello   world") == "wrote 13 bytes to sector 2 (zero-padded to 512)\n");
    CHECK(std::memcmp(services.disk.data() + 2 * 512, "hello   world", 13) == 0);
    for (int i = 13; i < 512; ++i) CHECK(services.disk[2 * 512 + i] == 0);
    CHECK(services.disk[2 * 512 - 1] == 0xee);
    CHECK(services.disk[3 * 512] == 0xee);
}

TEST_CASE("shell: blk write names what is wrong", "[shell]") {
    FakeServices services;
    CHECK(run_command(services, "blk write 1") == "blk write: missing argument\nusage: blk write <sector> <text>\n");
    CHECK(run_command(services, "blk write 16 x") ==
          "blk write: sector 16 is past the end of the disk (16 sectors)\n");
    CHECK(run_command(services, "blk write 0x x") ==
          "blk write: sector 0x is not a number (decimal, or hexadecimal with 0x)\n");
    std::string too_long = "blk write 1 " + std::string(513, 'a');
    CHECK(run_command(services, too_long.c_str()) == "blk write: the text is longer than a sector (512 bytes)\n");
    services.disk_read_only = true;
    CHECK(run_command(services, "blk write 1 x") == "blk write: the disk is read-only\n");
    services.disk_present = false;
    CHECK(run_command(services, "blk write 1 x") == "blk: no disk\n");
}

TEST_CASE("shell: blk without an operation", "[shell]") {
    FakeServices services;
    const char* usage = "usage: blk info | blk read <sector> | blk write <sector> <text>\n";
    CHECK(run_command(services, "blk") == std::string("blk: missing operation\n") + usage);
    CHECK(run_command(services, "blk erase 1") == std::string("blk: unknown operation erase\n") + usage);
}

TEST_CASE("shell: fault asks the system service to make a driver fault", "[shell]") {
    FakeServices services;
    CHECK(run_command(services, "fault uart") == "fault: uart executed an illegal instruction\n");
    CHECK(services.faulted == std::vector<std::string>{"uart"});
    CHECK(run_command(services, "fault shell") == "fault: shell is not a supervised task (only drivers are)\n");
    CHECK(run_command(services, "fault") == "fault: missing argument\nusage: fault <task>\n");
    CHECK(services.faulted.size() == 1);
    services.system_present = false;
    CHECK(run_command(services, "fault rtc") == "fault: no system service\n");
}
