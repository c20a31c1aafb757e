// The console service's client (userlib/services/console.hpp), and where user::print
// sends its lines once use_console() chose the console.
#include <userlib/ipc.hpp>
#include <userlib/print.hpp>
#include <userlib/services/console.hpp>
#include <userlib/syscalls.hpp>

namespace tessera::user {

namespace {

// The console chosen by use_console(); not present: the kernel's debug output.
ConsoleClient chosen_console;

kstd::Bytes bytes_of(kstd::StringView text) {
    return kstd::Bytes(reinterpret_cast<const u8*>(text.data()), text.size());
}

// Sends one piece of at most kConsoleMaxTransfer bytes. Busy means the driver holds as
// many requests as it can; the others are answered as the UART drains, so asking again
// after letting other threads run gets through.
Result<void> write_piece(const Endpoint& endpoint, kstd::Bytes piece) {
    for (;;) {
        IpcMessage request = service_request(static_cast<u64>(ConsoleRequest::Write),
                                             1 + words_for_bytes(piece.size()), piece.size());
        MessageWords(request, *current_ipc_buffer()).put_bytes(1, piece);
        IpcMessage answer = endpoint.call(request);
        if (answer.ok() && answer.label() == static_cast<u64>(ServiceStatus::Busy)) {
            yield();
            continue;
        }
        if (!answer.ok() || answer.label() != static_cast<u64>(ServiceStatus::Ok))
            return kstd::fail(service_error(answer));
        if (answer.length() < 1 || answer.words[0] != piece.size())
            return kstd::fail(Error::of(LibraryError::UnexpectedReply));
        return {};
    }
}

} // namespace

Result<void> ConsoleClient::write(kstd::StringView text) const {
    while (!text.empty()) {
        usize length = text.size() < kConsoleMaxTransfer ? text.size() : kConsoleMaxTransfer;
        TRY(write_piece(endpoint_, bytes_of(text.substr(0, length))));
        text = text.substr(length);
    }
    return {};
}

Result<u64> ConsoleClient::read(kstd::Span<u8> out) const {
    if (out.empty()) return u64{0};
    u64 wanted = out.size() < kConsoleMaxTransfer ? out.size() : kConsoleMaxTransfer;
    IpcMessage answer = endpoint_.call(service_request(static_cast<u64>(ConsoleRequest::Read), 1, wanted));
    if (!answer.ok() || answer.label() != static_cast<u64>(ServiceStatus::Ok)) return kstd::fail(service_error(answer));
    u64 count = answer.words[0];
    // A driver that says it sent more than was asked, or more than its message holds, is
    // not believed.
    if (answer.length() < 1 || count == 0 || count > wanted || answer.length() < 1 + words_for_bytes(count))
        return kstd::fail(Error::of(LibraryError::UnexpectedReply));
    MessageWords(answer, *current_ipc_buffer()).get_bytes(1, out.subspan(0, count));
    return count;
}

void use_console(ConsoleClient console) { chosen_console = console; }

void write_console(kstd::StringView text) {
    // A console that fails (its driver gone, say) must not swallow the line, least of all
    // an assertion's: the kernel's debug output takes it. A piece that got through before
    // the failure may then appear twice; losing the message would be worse.
    if (chosen_console.present() && chosen_console.write(text)) return;
    debug_put_string(text);
}

} // namespace tessera::user
