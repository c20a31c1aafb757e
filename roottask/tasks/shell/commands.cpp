// The commands that ask a service: ps, irq and caps (the root task's system service),
// date and sleep (the clock), blk (the disk).
#include <abi/introspection.hpp>

#include "shell.hpp"

namespace tessera::shell {

using user::LibraryError;
using user::ServiceStatus;

namespace {

// A list ends when its service answers OutOfRange; this bounds a service that never
// does, so the shell cannot loop forever on a broken server.
constexpr u64 kMaxListEntries = 4096;

bool is_end_of_list(const Error& error) {
    return error.library == LibraryError::ServiceRefused &&
           error.detail == static_cast<u64>(ServiceStatus::OutOfRange);
}

bool is_refusal(const Error& error, ServiceStatus status) {
    return error.library == LibraryError::ServiceRefused && error.detail == static_cast<u64>(status);
}

const char* yes_no(bool value) { return value ? "yes" : "no"; }

// A name the service sent NUL-padded; "-" for none, so columns stay readable.
kstd::StringView name_or_dash(const char* name) { return name[0] == '\0' ? "-" : kstd::StringView(name); }

// "0x..." padded to `width`: kstd::Hex has no width of its own.
struct HexCell {
    u64 value;
    usize width;
};

template <kstd::CharSink S> void format_value(S& sink, HexCell cell) {
    char text[2 + 16 + 1];
    kstd::BufferSink hex(text, sizeof(text));
    kstd::format_to(hex, "{}", kstd::Hex{cell.value});
    format_value(sink, LeftAligned{hex.view(), cell.width});
}

// The rights word of a capability as "rwgG" letters, '-' for a right it lacks.
struct RightsCell {
    u64 rights;
};

template <kstd::CharSink S> void format_value(S& sink, RightsCell cell) {
    constexpr char kLetters[] = "rwgG";
    for (unsigned bit = 0; bit < 4; ++bit) sink.put((cell.rights >> bit) & 1 ? kLetters[bit] : '-');
}

constexpr u64 kNanosecondsPerMillisecond = 1'000'000;
constexpr u64 kBytesPerKibibyte = 1024;

} // namespace

void Shell::ps(const CommandLine& line) {
    if (!expect_words(line, 1, "ps", "ps")) return;
    bool header_printed = false;
    for (u64 index = 0; index < kMaxListEntries; ++index) {
        Result<user::ThreadEntry> entry = services_.system_thread(index);
        if (!entry.ok()) {
            if (is_end_of_list(entry.error())) break;
            // A thread that went away between two requests leaves a gap, not an end.
            if (is_refusal(entry.error(), ServiceStatus::NotPresent)) continue;
            report("ps", entry.error(), "no system service");
            return;
        }
        if (!header_printed) {
            out_.println("{}{}{} {}{}", LeftAligned{"TASK", 17}, LeftAligned{"THREAD", 17}, LeftAligned{"PRIO", 4},
                         LeftAligned{"STATE", 12}, "RESTARTS");
            header_printed = true;
        }
        const user::ThreadEntry& thread = entry.value();
        out_.println("{} {} {} {} {}", LeftAligned{name_or_dash(thread.task), 16},
                     LeftAligned{name_or_dash(thread.thread), 16}, RightAligned{thread.priority, 4},
                     LeftAligned{thread_status_name(static_cast<ThreadStatus>(thread.state)), 11},
                     RightAligned{thread.restarts, 8});
    }
    if (!header_printed) out_.println("ps: the system service lists no threads");
}

void Shell::irq(const CommandLine& line) {
    if (!expect_words(line, 1, "irq", "irq")) return;
    bool header_printed = false;
    for (u64 index = 0; index < kMaxListEntries; ++index) {
        Result<user::IrqEntry> entry = services_.system_irq(index);
        if (!entry.ok()) {
            if (is_end_of_list(entry.error())) break;
            if (is_refusal(entry.error(), ServiceStatus::NotPresent)) continue;
            report("irq", entry.error(), "no system service");
            return;
        }
        if (!header_printed) {
            out_.println("{}{}{}{}{}{}", LeftAligned{"LINE", 5}, LeftAligned{"OWNER", 17}, LeftAligned{"     COUNT", 11},
                         LeftAligned{"MASKED", 7}, LeftAligned{"SHARED", 7}, "AWAITING-ACK");
            header_printed = true;
        }
        const user::IrqEntry& handler = entry.value();
        out_.println("{} {} {} {} {} {}", RightAligned{handler.line, 4}, LeftAligned{name_or_dash(handler.owner), 16},
                     RightAligned{handler.delivered, 10}, LeftAligned{yes_no(handler.masked), 6},
                     LeftAligned{yes_no(handler.shared), 6}, yes_no(handler.awaiting_ack));
    }
    if (!header_printed) out_.println("no interrupt handlers given out");
}

void Shell::caps(const CommandLine& line) {
    if (!expect_words(line, 2, "caps", "caps <task>")) return;
    kstd::StringView task = line.word(1);
    if (task.size() > user::kServiceNameBytes) {
        out_.println("caps: task names have at most {} bytes", user::kServiceNameBytes);
        return;
    }
    u64 first_slot = 0;
    u64 listed = 0;
    for (; listed < kMaxListEntries; ++listed) {
        Result<user::CapEntry> entry = services_.system_capability(task, first_slot);
        if (!entry.ok()) {
            if (is_end_of_list(entry.error())) break;
            if (is_refusal(entry.error(), ServiceStatus::NotPresent)) out_.println("caps: no task named {}", task);
            else report("caps", entry.error(), "no system service");
            return;
        }
        const user::CapEntry& cap = entry.value();
        // Each answer must move on, or a confused server would keep the shell listing.
        if (cap.slot < first_slot) {
            out_.println("caps: the system service answered slot {} when asked from slot {}", cap.slot, first_slot);
            return;
        }
        if (listed == 0)
            out_.println("{}{}{}{}{}{}", LeftAligned{"SLOT", 5}, LeftAligned{"KIND", 14}, LeftAligned{"RIGHTS", 7},
                         LeftAligned{"DATA", 19}, LeftAligned{"OBJECT", 19}, "BITS");
        out_.println("{} {} {}   {} {} {}", RightAligned{cap.slot, 4},
                     LeftAligned{capability_kind_name(static_cast<CapabilityKind>(cap.kind)), 13},
                     RightsCell{cap.rights}, HexCell{cap.data, 18}, HexCell{cap.object, 18}, cap.size_bits);
        first_slot = cap.slot + 1;
        if (first_slot == 0) break; // the last slot a u64 can name
    }
    if (listed == 0) out_.println("caps: {} has no capabilities", task);
}

// The root task restarts the driver when the fault reaches it; `ps` then counts it.
void Shell::fault(const CommandLine& line) {
    if (!expect_words(line, 2, "fault", "fault <task>")) return;
    kstd::StringView task = line.word(1);
    if (task.size() > user::kServiceNameBytes) {
        out_.println("fault: task names have at most {} bytes", user::kServiceNameBytes);
        return;
    }
    Result<void> result = services_.system_fault(task);
    if (result.ok()) {
        out_.println("fault: {} executed an illegal instruction", task);
        return;
    }
    if (is_refusal(result.error(), ServiceStatus::NotPresent))
        out_.println("fault: {} is not a supervised task (only drivers are)", task);
    else report("fault", result.error(), "no system service");
}

void Shell::date(const CommandLine& line) {
    if (!expect_words(line, 1, "date", "date")) return;
    Result<u64> now = services_.clock_now();
    if (!now.ok()) {
        report("date", now.error(), "no clock");
        return;
    }
    user::CivilTime time = user::civil_from_unix_nanoseconds(now.value());
    out_.println("{}-{}-{} {}:{}:{} UTC", ZeroPadded{static_cast<u64>(time.year), 4}, ZeroPadded{time.month, 2},
                 ZeroPadded{time.day, 2}, ZeroPadded{time.hour, 2}, ZeroPadded{time.minute, 2},
                 ZeroPadded{time.second, 2});
}

void Shell::sleep(const CommandLine& line) {
    if (!expect_words(line, 2, "sleep", "sleep <seconds>")) return;
    u64 seconds = 0;
    if (!number_argument("sleep", line.word(1), "seconds", seconds)) return;
    Result<u64> start = services_.clock_now();
    if (!start.ok()) {
        report("sleep", start.error(), "no clock");
        return;
    }
    if (seconds > (~u64{0} - start.value()) / user::kNanosecondsPerSecond) {
        out_.println("sleep: {} seconds is past the end of the clock's range", seconds);
        return;
    }
    Result<u64> woke = services_.clock_sleep_until(start.value() + seconds * user::kNanosecondsPerSecond);
    if (!woke.ok()) {
        report("sleep", woke.error(), "no clock");
        return;
    }
    u64 slept = woke.value() > start.value() ? woke.value() - start.value() : 0;
    out_.println("slept {} ms", slept / kNanosecondsPerMillisecond);
}

void Shell::blk(const CommandLine& line) {
    kstd::StringView operation = line.word(1);
    if (operation == "info") blk_info(line);
    else if (operation == "read") blk_read(line);
    else if (operation == "write") blk_write(line);
    else {
        if (operation.empty()) out_.println("blk: missing operation");
        else out_.println("blk: unknown operation {}", operation);
        out_.println("usage: blk info | blk read <sector> | blk write <sector> <text>");
    }
}

bool Shell::disk_info(kstd::StringView command, user::BlockInfo& info) {
    Result<user::BlockInfo> answer = services_.block_info();
    if (!answer.ok()) {
        report(is_absent_service(answer.error()) ? "blk" : command, answer.error(), "no disk");
        return false;
    }
    info = answer.value();
    return true;
}

bool Shell::sector_in_range(kstd::StringView command, u64 sector, const user::BlockInfo& info) {
    if (sector < info.sectors) return true;
    out_.println("{}: sector {} is past the end of the disk ({} sectors)", command, sector, info.sectors);
    return false;
}

void Shell::blk_info(const CommandLine& line) {
    if (!expect_words(line, 2, "blk info", "blk info")) return;
    user::BlockInfo info;
    if (!disk_info("blk info", info)) return;
    // In KiB without forming sectors * sector_bytes, which a huge disk would overflow.
    u64 kibibytes = info.sectors / kBytesPerKibibyte * info.sector_bytes +
                    info.sectors % kBytesPerKibibyte * info.sector_bytes / kBytesPerKibibyte;
    out_.println("disk: {} sectors of {} bytes ({} KiB), {}", info.sectors, info.sector_bytes, kibibytes,
                 info.read_only ? "read-only" : "read-write");
}

void Shell::blk_read(const CommandLine& line) {
    if (!expect_words(line, 3, "blk read", "blk read <sector>")) return;
    u64 sector = 0;
    if (!number_argument("blk read", line.word(2), "sector", sector)) return;
    user::BlockInfo info;
    if (!disk_info("blk read", info) || !sector_in_range("blk read", sector, info)) return;
    u8 data[user::kSectorBytes] = {};
    Result<void> result = services_.block_read(sector, kstd::Span<u8>(data));
    if (!result.ok()) {
        report("blk read", result.error(), "no disk");
        return;
    }
    hex_dump(out_, kstd::Bytes(data));
}

void Shell::blk_write(const CommandLine& line) {
    if (line.count() < 4) {
        expect_words(line, 4, "blk write", "blk write <sector> <text>");
        return;
    }
    u64 sector = 0;
    if (!number_argument("blk write", line.word(2), "sector", sector)) return;
    kstd::StringView text = line.rest(3);
    if (text.size() > user::kSectorBytes) {
        out_.println("blk write: the text is longer than a sector ({} bytes)", user::kSectorBytes);
        return;
    }
    user::BlockInfo info;
    if (!disk_info("blk write", info) || !sector_in_range("blk write", sector, info)) return;
    if (info.read_only) {
        out_.println("blk write: the disk is read-only");
        return;
    }
    u8 data[user::kSectorBytes] = {};
    for (usize i = 0; i < text.size(); ++i) data[i] = static_cast<u8>(text[i]);
    Result<void> result = services_.block_write(sector, kstd::Bytes(data));
    if (!result.ok()) {
        report("blk write", result.error(), "no disk");
        return;
    }
    out_.println("wrote {} bytes to sector {} (zero-padded to {})", text.size(), sector, user::kSectorBytes);
}

} // namespace tessera::shell
