// Messages longer than the four register words: words 4..119 travel from IPC buffer to IPC
// buffer, in a Call and in its answer; a length above 120 arrives as 120, and nothing past
// the message array of the receiver's buffer is written.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kMax = MessageInfo::kMaxMessageLength;
constexpr u64 kRequestSeed = 0x51;
constexpr u64 kAnswerSeed = 0x52;
constexpr u64 kUserDataSentinel = 0x5e27'1ae1;
// The info word's length field holds up to 127.
constexpr u64 kOverlong = 127;

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_server;
volatile u64 g_mismatches[2];
volatile u64 g_user_data;

// Receives two Calls: checks the buffer words of each and answers the first with 100
// words, the second with an overlong length.
void server(u64) {
    IpcBuffer& buffer = *user::current_ipc_buffer();
    buffer.user_data = kUserDataSentinel;
    user::IpcMessage first = g_endpoint.recv(g_reply);
    g_server.add(first);
    g_mismatches[0] = buffer_word_mismatches(buffer, first.length(), kRequestSeed);
    fill_buffer_words(buffer, 100, kAnswerSeed);
    user::IpcMessage second = g_endpoint.reply_recv(g_reply, pattern_message(0x2, 100, kAnswerSeed));
    g_server.add(second);
    g_mismatches[1] = buffer_word_mismatches(buffer, second.length(), kRequestSeed);
    g_user_data = buffer.user_data;
    fill_buffer_words(buffer, kMax, kAnswerSeed);
    g_server.add(status_result(g_reply.reply(pattern_message(0x3, kOverlong, kAnswerSeed))));
}

} // namespace

ROOTTASK_TEST(IPC0002, "long messages: words 4..119 through the IPC buffers both ways; a longer length arrives as 120") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_server.clear();
    g_mismatches[0] = ~u64{0};
    g_mismatches[1] = ~u64{0};
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "ipc-long", server, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());
    IpcBuffer& buffer = *user::current_ipc_buffer();

    // 120 words each way.
    fill_buffer_words(buffer, kMax, kRequestSeed);
    user::IpcMessage answer = g_endpoint.call(pattern_message(0x1, kMax, kRequestSeed));
    expect_message(t, "the server received", g_server.at(0), as_received(pattern_message(0x1, kMax, kRequestSeed), 0));
    t.expect(g_mismatches[0] == 0, "{} of the server's buffer words 4..119 differ from the request's", g_mismatches[0]);
    expect_message(t, "the 100-word answer", answer, as_received(pattern_message(0x2, 100, kAnswerSeed), 0));
    u64 answer_mismatches = buffer_word_mismatches(buffer, 100, kAnswerSeed);
    t.expect(answer_mismatches == 0, "{} of the answer's buffer words 4..99 differ", answer_mismatches);
    // Words the answer did not cover keep what the request put there.
    t.expect(buffer.message[100] == pattern_word(kRequestSeed, 100) && buffer.message[119] == pattern_word(kRequestSeed, 119),
             "the answer of 100 words wrote beyond them: word 100 {}, word 119 {}", kstd::Hex{buffer.message[100]},
             kstd::Hex{buffer.message[119]});

    // A length of 127 in the info word: 120 words arrive, and the info word says so.
    fill_buffer_words(buffer, kMax, kRequestSeed);
    buffer.user_data = kUserDataSentinel;
    answer = g_endpoint.call(pattern_message(0x4, kOverlong, kRequestSeed));
    expect_message(t, "the server received the overlong request", g_server.at(1),
                   as_received(pattern_message(0x4, kMax, kRequestSeed), 0));
    t.expect(g_mismatches[1] == 0, "{} of the overlong request's buffer words differ", g_mismatches[1]);
    t.expect(g_user_data == kUserDataSentinel, "the server's user_data (after message[119]) became {}",
             kstd::Hex{g_user_data});
    expect_message(t, "the overlong answer", answer, as_received(pattern_message(0x3, kMax, kAnswerSeed), 0));
    answer_mismatches = buffer_word_mismatches(buffer, kMax, kAnswerSeed);
    t.expect(answer_mismatches == 0, "{} of the overlong answer's buffer words differ", answer_mismatches);
    t.expect(buffer.user_data == kUserDataSentinel, "the root task's user_data became {}", kstd::Hex{buffer.user_data});
    expect_status(t, "the server's last Reply", g_server.at(2), IpcStatus::Ok);
}
