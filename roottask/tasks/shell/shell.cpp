// The shell's input loop, command dispatch, argument checks and error reports, and the
// commands that need no service but the console (help, echo, cat, halt). The others are
// in commands.cpp.
#include "shell.hpp"

namespace tessera::shell {

using user::LibraryError;
using user::ServiceStatus;

const Shell::Command Shell::kCommands[] = {
    {"help", &Shell::help}, {"echo", &Shell::echo},   {"ps", &Shell::ps},       {"irq", &Shell::irq},
    {"caps", &Shell::caps}, {"date", &Shell::date},   {"sleep", &Shell::sleep}, {"blk", &Shell::blk},
    {"cat", &Shell::cat},   {"halt", &Shell::halt},   {"fault", &Shell::fault},
};

namespace {

struct HelpLine {
    const char* usage;
    const char* summary;
};

constexpr HelpLine kHelp[] = {
    {"help", "list the commands"},
    {"echo <text>", "print the text"},
    {"ps", "list the threads: task, name, priority, state, restarts"},
    {"irq", "list the interrupt handlers the root task gave out"},
    {"caps <task>", "list the capabilities in a task's CNode"},
    {"date", "print the date and time (UTC) from the clock"},
    {"sleep <seconds>", "wait for the clock's alarm"},
    {"blk info", "print the disk's size"},
    {"blk read <sector>", "hex dump of one sector"},
    {"blk write <sector> <text>", "write the text, zero-padded, to one sector"},
    {"cat", "copy input to output until Ctrl-D"},
    {"fault <task>", "make a driver execute an illegal instruction"},
    {"halt", "power the machine off"},
};
constexpr usize kHelpUsageWidth = 27;

const char* status_description(ServiceStatus status) {
    switch (status) {
    case ServiceStatus::Ok: return "no error";
    case ServiceStatus::UnknownRequest: return "the service does not know this request";
    case ServiceStatus::InvalidArgument: return "the service refused an argument";
    case ServiceStatus::Busy: return "the service is busy; try again";
    case ServiceStatus::DeviceError: return "the device reported an error";
    case ServiceStatus::OutOfRange: return "out of range";
    case ServiceStatus::NotPresent: return "not present";
    case ServiceStatus::Cancelled: return "the request was cancelled";
    }
    return "unknown service status";
}

} // namespace

bool is_absent_service(const Error& error) {
    return error.library == LibraryError::IpcFailed &&
           error.detail == static_cast<u64>(IpcStatus::InvalidCapability);
}

Result<void> Shell::run() {
    out_.println("{}", kGreeting);
    out_.print("{}", kPrompt);
    while (!halted_) {
        u8 byte = 0;
        if (!next_input_byte(byte)) return kstd::fail(console_error_);
        LineEvent event = editor_.feed(byte, out_);
        if (event == LineEvent::Entered) execute(editor_.line());
        if (event != LineEvent::None && !halted_ && !console_failed_) out_.print("{}", kPrompt);
        if (console_failed_) return kstd::fail(console_error_);
    }
    out_.flush();
    return {};
}

bool Shell::fill_input() {
    // The echo of what was typed so far must show before the shell blocks for more.
    out_.flush();
    Result<u64> count = services_.console_read(kstd::Span<u8>(input_));
    if (!count.ok() || count.value() == 0 || count.value() > sizeof(input_)) {
        console_failed_ = true;
        console_error_ = count.ok() ? Error::of(LibraryError::UnexpectedReply, count.value()) : count.error();
        return false;
    }
    input_next_ = 0;
    input_end_ = count.value();
    return true;
}

bool Shell::next_input_byte(u8& byte) {
    if (input_next_ == input_end_ && !fill_input()) return false;
    byte = input_[input_next_++];
    return true;
}

void Shell::execute(kstd::StringView text) {
    // Show the Enter's echo before a command that may block (sleep, cat).
    out_.flush();
    CommandLine line(text);
    if (line.count() == 0) return;
    kstd::StringView name = line.word(0);
    bool found = false;
    for (const Command& command : kCommands) {
        if (name == command.name) {
            (this->*command.handler)(line);
            found = true;
            break;
        }
    }
    if (!found) out_.println("unknown command: {} (try help)", name);
    out_.flush();
}

bool Shell::expect_words(const CommandLine& line, usize count, kstd::StringView command, kstd::StringView usage) {
    if (line.count() == count) return true;
    if (line.count() > count) out_.println("{}: unexpected argument {}", command, line.word(count));
    else out_.println("{}: missing argument", command);
    out_.println("usage: {}", usage);
    return false;
}

bool Shell::number_argument(kstd::StringView command, kstd::StringView text, kstd::StringView what, u64& value) {
    kstd::Result<u64, NumberError> number = parse_number(text);
    if (number.ok()) {
        value = number.value();
        return true;
    }
    if (number.error() == NumberError::TooLarge)
        out_.println("{}: {} {} is too large (the most is {})", command, what, text, ~u64{0});
    else out_.println("{}: {} {} is not a number (decimal, or hexadecimal with 0x)", command, what, text);
    return false;
}

void Shell::report(kstd::StringView command, const Error& error, kstd::StringView absent) {
    out_.print("{}: ", command);
    if (is_absent_service(error)) out_.println("{}", absent);
    else if (error.library == LibraryError::IpcFailed)
        out_.println("the service did not answer ({})", ipc_status_name(static_cast<IpcStatus>(error.detail)));
    else if (error.library == LibraryError::ServiceRefused)
        out_.println("{} ({})", status_description(static_cast<ServiceStatus>(error.detail)),
                     service_status_name(static_cast<ServiceStatus>(error.detail)));
    else out_.println("{}", error);
}

void Shell::help(const CommandLine& line) {
    if (!expect_words(line, 1, "help", "help")) return;
    for (const HelpLine& entry : kHelp)
        out_.println("{}{}", LeftAligned{entry.usage, kHelpUsageWidth}, entry.summary);
}

void Shell::echo(const CommandLine& line) { out_.println("{}", line.rest(1)); }

void Shell::cat(const CommandLine& line) {
    if (!expect_words(line, 1, "cat", "cat")) return;
    out_.flush();
    bool first_byte = true;
    bool at_line_start = true;
    for (;;) {
        if (input_next_ == input_end_ && !fill_input()) return;
        if (first_byte) {
            first_byte = false;
            if (editor_.is_rest_of_enter(input_[input_next_])) ++input_next_;
        }
        // Everything already received up to Ctrl-D goes back in one write, so the copy
        // keeps pace with input that arrives in bursts.
        usize end = input_next_;
        while (end < input_end_ && input_[end] != kCtrlD) ++end;
        if (end > input_next_) {
            services_.write_text(
                kstd::StringView(reinterpret_cast<const char*>(input_ + input_next_), end - input_next_));
            at_line_start = input_[end - 1] == '\n';
        }
        input_next_ = end;
        if (end < input_end_) {
            ++input_next_; // the Ctrl-D
            break;
        }
    }
    // The prompt goes on a line of its own even when the copied text did not end one.
    if (!at_line_start) out_.put('\n');
}

void Shell::halt(const CommandLine& line) {
    if (!expect_words(line, 1, "halt", "halt")) return;
    out_.println("powering off");
    out_.flush();
    Result<void> result = services_.system_halt();
    if (!result.ok()) {
        report("halt", result.error(), "no system service");
        return;
    }
    halted_ = true;
}

} // namespace tessera::shell
