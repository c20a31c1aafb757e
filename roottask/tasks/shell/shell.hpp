#pragma once
// The shell: reads lines from the console service, runs the commands, and prints their
// output through the console service. It reaches the services only through ShellServices,
// so the host tests run it against fakes and main.cpp against the real clients. Portable.
#include "command_line.hpp"
#include "line_editor.hpp"
#include "output.hpp"

#include <userlib/error.hpp>
#include <userlib/services/block.hpp>
#include <userlib/services/clock.hpp>
#include <userlib/services/system.hpp>

namespace tessera::shell {

using user::Error;
using user::Result;

// One function per service request the shell makes; each answers as the userlib client of
// <userlib/services/...> does. A service the machine lacks answers IpcFailed
// (InvalidCapability), as a call through an empty slot does.
class ShellServices : public TextWriter {
public:
    // Blocks until at least one byte arrived.
    virtual Result<u64> console_read(kstd::Span<u8> out) = 0;

    virtual Result<u64> clock_now() = 0;
    virtual Result<u64> clock_sleep_until(u64 deadline) = 0;

    virtual Result<user::BlockInfo> block_info() = 0;
    virtual Result<void> block_read(u64 sector, kstd::Span<u8> out) = 0;
    virtual Result<void> block_write(u64 sector, kstd::Bytes data) = 0;

    virtual Result<user::ThreadEntry> system_thread(u64 index) = 0;
    virtual Result<user::IrqEntry> system_irq(u64 index) = 0;
    virtual Result<user::CapEntry> system_capability(kstd::StringView task, u64 first_slot) = 0;
    virtual Result<void> system_halt() = 0;
    virtual Result<void> system_fault(kstd::StringView task) = 0;

protected:
    ~ShellServices() = default;
};

inline constexpr kstd::StringView kGreeting = "Tessera shell; type help for the commands";
inline constexpr kstd::StringView kPrompt = "tessera> ";

class Shell {
public:
    explicit Shell(ShellServices& services) : services_(services), out_(services) {}
    Shell(const Shell&) = delete;
    Shell& operator=(const Shell&) = delete;

    // Greets, then serves command lines until `halt` succeeds (returns success) or the
    // console cannot be read (returns that error).
    Result<void> run();

    // Runs one command line as typed (without its Enter) and flushes its output.
    void execute(kstd::StringView line);

private:
    using Handler = void (Shell::*)(const CommandLine&);
    struct Command {
        const char* name;
        Handler handler;
    };
    static const Command kCommands[];

    // The next input byte, reading the console when none is left; false when it failed.
    bool next_input_byte(u8& byte);
    bool fill_input();

    void help(const CommandLine& line);
    void echo(const CommandLine& line);
    void ps(const CommandLine& line);
    void irq(const CommandLine& line);
    void caps(const CommandLine& line);
    void date(const CommandLine& line);
    void sleep(const CommandLine& line);
    void blk(const CommandLine& line);
    void blk_info(const CommandLine& line);
    void blk_read(const CommandLine& line);
    void blk_write(const CommandLine& line);
    void cat(const CommandLine& line);
    void halt(const CommandLine& line);
    void fault(const CommandLine& line);

    // Argument checks: each prints what is wrong (prefixed with `command`) and returns false.
    bool expect_words(const CommandLine& line, usize count, kstd::StringView command, kstd::StringView usage);
    bool number_argument(kstd::StringView command, kstd::StringView text, kstd::StringView what, u64& value);
    // The disk's size for a sector command; prints why there is none and returns false.
    bool disk_info(kstd::StringView command, user::BlockInfo& info);
    bool sector_in_range(kstd::StringView command, u64 sector, const user::BlockInfo& info);
    // Prints "<command>: <what went wrong>", or "<command>: <absent>" for a missing service.
    void report(kstd::StringView command, const Error& error, kstd::StringView absent);

    ShellServices& services_;
    Output out_;
    LineEditor editor_;
    u8 input_[user::kConsoleMaxTransfer] = {};
    usize input_next_ = 0;
    usize input_end_ = 0;
    bool console_failed_ = false;
    Error console_error_;
    bool halted_ = false;
};

// Whether `error` is what a call through an empty slot gives: the service is not there.
bool is_absent_service(const Error& error);

} // namespace tessera::shell
