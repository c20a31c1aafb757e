// The clock service's logic (drivers/rtc_goldfish/clock_server.cpp) against the fake
// device: request validation, held callers and their Reply objects, the alarm always set
// for the earliest deadline, and the race of a deadline passing while the alarm is set.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "../../test_support.hpp"
#include "clock_server.hpp"
#include "fake_goldfish_rtc.hpp"

using namespace tessera_test;
using namespace tessera::rtc_goldfish;
using tessera::user::ClockRequest;
using tessera::user::IpcMessage;
using tessera::user::ServiceStatus;
using tessera::user::service_request;

namespace {

constexpr u64 kStart = 1'795'297'205'000'000'000; // 2026-11-21 21:40:05 UTC

struct Answer {
    u32 reply;
    ServiceStatus status;
    u64 length;
    u64 word0;
    bool operator==(const Answer&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Answer& answer) {
    return out << "{reply " << answer.reply << ", status " << static_cast<u64>(answer.status) << ", length "
               << answer.length << ", word0 " << answer.word0 << "}";
}

Answer answer_of(u32 reply, const IpcMessage& message) {
    return Answer{reply, static_cast<ServiceStatus>(message.label()), message.length(), message.words[0]};
}

class RecordingReplies final : public AnswerSink {
public:
    void answer(u32 reply, const IpcMessage& message) override { answers.push_back(answer_of(reply, message)); }
    std::vector<Answer> answers;
};

struct ClockFixture {
    FakeGoldfishRtc device{kStart};
    GoldfishRtc rtc{device};
    RecordingReplies replies;
    ClockServer server{rtc, replies};

    ClockFixture() { rtc.reset(); }

    // What main.cpp does with a request: the answer, or none when the caller was held.
    // `reply` says which Reply object the request came with.
    kstd::Optional<IpcMessage> request(u64 label, u64 length, u64 word0, u32* reply = nullptr) {
        if (reply != nullptr) *reply = server.receiving_reply();
        return server.handle_request(service_request(label, length, word0));
    }
    kstd::Optional<IpcMessage> get_time() { return request(static_cast<u64>(ClockRequest::GetTime), 0, 0); }
    kstd::Optional<IpcMessage> sleep_until(u64 deadline, u32* reply = nullptr) {
        return request(static_cast<u64>(ClockRequest::SleepUntil), 1, deadline, reply);
    }
    // The kernel delivers the alarm only while the device raises its line.
    bool deliver_interrupt() {
        if (!device.line()) return false;
        server.handle_alarm_interrupt();
        return true;
    }
};

Answer now_answer(const kstd::Optional<IpcMessage>& answer) {
    REQUIRE(answer.has_value());
    return answer_of(~u32{0}, *answer);
}

Answer immediate(ServiceStatus status, u64 length = 0, u64 word0 = 0) { return Answer{~u32{0}, status, length, word0}; }

} // namespace

TEST_CASE("clock server: GetTime answers the time now at once") {
    ClockFixture f;
    u32 before = f.server.receiving_reply();
    CHECK(now_answer(f.get_time()) == immediate(ServiceStatus::Ok, 1, kStart));
    f.device.advance(1'500);
    CHECK(now_answer(f.get_time()) == immediate(ServiceStatus::Ok, 1, kStart + 1'500));
    CHECK(f.server.receiving_reply() == before);
    CHECK(f.replies.answers.empty());
}

TEST_CASE("clock server: requests of the wrong length or an unknown label are refused") {
    ClockFixture f;
    u64 get_time = static_cast<u64>(ClockRequest::GetTime);
    u64 sleep_until = static_cast<u64>(ClockRequest::SleepUntil);
    // Word 0 of the refusal names the first word that is missing or too many.
    CHECK(now_answer(f.request(get_time, 1, 0)) == immediate(ServiceStatus::InvalidArgument, 1, 0));
    CHECK(now_answer(f.request(get_time, 4, 0)) == immediate(ServiceStatus::InvalidArgument, 1, 0));
    CHECK(now_answer(f.request(sleep_until, 0, kStart + 10)) == immediate(ServiceStatus::InvalidArgument, 1, 0));
    CHECK(now_answer(f.request(sleep_until, 2, kStart + 10)) == immediate(ServiceStatus::InvalidArgument, 1, 1));
    CHECK(now_answer(f.request(sleep_until, 120, kStart + 10)) == immediate(ServiceStatus::InvalidArgument, 1, 1));
    for (u64 label : {u64{0}, u64{3}, u64{0xffff}, (u64{1} << 52) - 1})
        CHECK(now_answer(f.request(label, 1, 0)) == immediate(ServiceStatus::UnknownRequest));
    CHECK(f.server.sleepers().empty());
    CHECK_FALSE(f.device.alarm_armed());
}

TEST_CASE("clock server: a deadline now or past is answered at once, the alarm untouched") {
    ClockFixture f;
    f.device.forget_accesses();
    CHECK(now_answer(f.sleep_until(kStart)) == immediate(ServiceStatus::Ok, 1, kStart));
    CHECK(now_answer(f.sleep_until(kStart - 1)) == immediate(ServiceStatus::Ok, 1, kStart));
    CHECK(now_answer(f.sleep_until(0)) == immediate(ServiceStatus::Ok, 1, kStart));
    CHECK(f.device.writes().empty());
    CHECK(f.server.sleepers().empty());
}

TEST_CASE("clock server: a sleeper is held until its alarm, then answered with the time") {
    ClockFixture f;
    u32 reply = 0;
    CHECK_FALSE(f.sleep_until(kStart + 1'000, &reply).has_value());
    CHECK(f.server.receiving_reply() != reply);
    CHECK(f.server.sleepers().size() == 1);
    CHECK(f.device.alarm_armed());
    CHECK(f.device.alarm() == kStart + 1'000);

    f.device.advance(999);
    CHECK_FALSE(f.deliver_interrupt());
    f.device.advance(1);
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers == std::vector<Answer>{{reply, ServiceStatus::Ok, 1, kStart + 1'000}});
    CHECK_FALSE(f.device.line());
    CHECK_FALSE(f.device.alarm_armed());
    CHECK(f.server.sleepers().empty());
}

TEST_CASE("clock server: sleepers wake in deadline order, the alarm set for the earliest each time") {
    ClockFixture f;
    u32 late = 0, early = 0, middle = 0;
    REQUIRE_FALSE(f.sleep_until(kStart + 300, &late).has_value());
    CHECK(f.device.alarm() == kStart + 300);
    REQUIRE_FALSE(f.sleep_until(kStart + 100, &early).has_value());
    CHECK(f.device.alarm() == kStart + 100);
    f.device.forget_accesses();
    REQUIRE_FALSE(f.sleep_until(kStart + 200, &middle).has_value());
    CHECK(f.device.writes().empty()); // a later deadline leaves the alarm as it is
    CHECK(std::vector<u32>{late, early, middle} == std::vector<u32>{0, 1, 2});
    CHECK(f.server.receiving_reply() == 3);

    f.device.advance_to(kStart + 100);
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers == std::vector<Answer>{{early, ServiceStatus::Ok, 1, kStart + 100}});
    CHECK(f.device.alarm() == kStart + 200);
    CHECK(f.device.alarm_armed());

    f.device.advance_to(kStart + 250);
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers.back() == Answer{middle, ServiceStatus::Ok, 1, kStart + 250});
    CHECK(f.device.alarm() == kStart + 300);

    f.device.advance_to(kStart + 300);
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers.back() == Answer{late, ServiceStatus::Ok, 1, kStart + 300});
    CHECK(f.replies.answers.size() == 3);
    CHECK_FALSE(f.device.alarm_armed());
}

TEST_CASE("clock server: one interrupt answers every sleeper that is due, equal deadlines in arrival order") {
    ClockFixture f;
    u32 first = 0, second = 0, third = 0;
    REQUIRE_FALSE(f.sleep_until(kStart + 50, &first).has_value());
    REQUIRE_FALSE(f.sleep_until(kStart + 50, &second).has_value());
    REQUIRE_FALSE(f.sleep_until(kStart + 40, &third).has_value());
    f.device.advance(60);
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers == std::vector<Answer>{{third, ServiceStatus::Ok, 1, kStart + 60},
                                                   {first, ServiceStatus::Ok, 1, kStart + 60},
                                                   {second, ServiceStatus::Ok, 1, kStart + 60}});
    CHECK(f.server.sleepers().empty());
    CHECK_FALSE(f.device.alarm_armed());
}

TEST_CASE("clock server: beyond kClockMaxSleepers a sleeper is Busy, through the free Reply object") {
    ClockFixture f;
    for (u64 i = 0; i < kMaxSleepers; ++i) REQUIRE_FALSE(f.sleep_until(kStart + 100 + i).has_value());
    u32 spare = f.server.receiving_reply();
    CHECK_FALSE(f.server.sleepers().holds_reply(spare));
    CHECK(now_answer(f.sleep_until(kStart + 10)) == immediate(ServiceStatus::Busy));
    CHECK(f.server.receiving_reply() == spare);
    // A deadline already past needs no slot, and a GetTime none either.
    CHECK(now_answer(f.sleep_until(kStart)) == immediate(ServiceStatus::Ok, 1, kStart));
    CHECK(now_answer(f.get_time()) == immediate(ServiceStatus::Ok, 1, kStart));
    // Once one wakes, its Reply object is free again and a new sleeper is taken.
    f.device.advance(100);
    REQUIRE(f.deliver_interrupt());
    REQUIRE(f.replies.answers.size() == 1);
    CHECK_FALSE(f.sleep_until(kStart + 500).has_value());
    CHECK(f.server.sleepers().size() == kMaxSleepers);
}

TEST_CASE("clock server: an interrupt with nobody due only clears it and keeps the alarm") {
    ClockFixture f;
    REQUIRE_FALSE(f.sleep_until(kStart + 1'000).has_value());
    f.server.handle_alarm_interrupt();
    CHECK(f.replies.answers.empty());
    CHECK(f.device.alarm_armed());
    CHECK(f.device.alarm() == kStart + 1'000);

    ClockFixture idle;
    idle.server.handle_alarm_interrupt();
    CHECK(idle.replies.answers.empty());
    CHECK_FALSE(idle.device.alarm_armed());
}

TEST_CASE("clock server: a deadline that passes while the alarm is set is answered without an interrupt") {
    ClockFixture f;
    // A device that ignores an alarm set in the past, and the time passing the deadline
    // right as the alarm is written: only a second look at the time can see it.
    f.device.raises_past_alarms = false;
    f.device.after_access = [&](const RtcAccess& access) {
        if (access.write && access.which == RtcRegister::AlarmHigh) f.device.advance_to(kStart + 20);
    };
    u32 reply = 0;
    CHECK_FALSE(f.sleep_until(kStart + 10, &reply).has_value());
    CHECK(f.replies.answers == std::vector<Answer>{{reply, ServiceStatus::Ok, 1, kStart + 20}});
    CHECK(f.server.sleepers().empty());
    CHECK_FALSE(f.device.alarm_armed());
    CHECK_FALSE(f.device.line());
}

TEST_CASE("clock server: QEMU's immediate alarm for a passed deadline is a harmless extra interrupt") {
    ClockFixture f;
    f.device.after_access = [&](const RtcAccess& access) {
        if (access.write && access.which == RtcRegister::AlarmHigh) f.device.advance_to(kStart + 20);
    };
    u32 reply = 0;
    CHECK_FALSE(f.sleep_until(kStart + 10, &reply).has_value());
    CHECK(f.replies.answers.size() == 1);
    f.device.after_access = nullptr;
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers.size() == 1);
    CHECK_FALSE(f.device.line());
}

TEST_CASE("clock server: the next deadline passing while the alarm is set again is answered in the same pass") {
    ClockFixture f;
    f.device.raises_past_alarms = false;
    u32 first = 0, second = 0;
    REQUIRE_FALSE(f.sleep_until(kStart + 100, &first).has_value());
    REQUIRE_FALSE(f.sleep_until(kStart + 105, &second).has_value());
    f.device.advance_to(kStart + 100);
    f.device.after_access = [&](const RtcAccess& access) {
        if (access.write && access.which == RtcRegister::AlarmLow) f.device.advance_to(kStart + 110);
    };
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers == std::vector<Answer>{{first, ServiceStatus::Ok, 1, kStart + 100},
                                                   {second, ServiceStatus::Ok, 1, kStart + 110}});
    CHECK_FALSE(f.device.alarm_armed());
}

TEST_CASE("clock server: an earlier sleeper moves the alarm forward; the later one still wakes") {
    ClockFixture f;
    u32 later = 0, sooner = 0;
    REQUIRE_FALSE(f.sleep_until(kStart + 5'000, &later).has_value());
    REQUIRE_FALSE(f.sleep_until(kStart + 1'000, &sooner).has_value());
    CHECK(f.device.alarm() == kStart + 1'000);
    f.device.advance_to(kStart + 10'000);
    REQUIRE(f.deliver_interrupt());
    CHECK(f.replies.answers == std::vector<Answer>{{sooner, ServiceStatus::Ok, 1, kStart + 10'000},
                                                   {later, ServiceStatus::Ok, 1, kStart + 10'000}});
}

TEST_CASE("clock server: UTC times print zero-padded") {
    StringSink sink;
    kstd::format_to(sink, "{}", UtcTime{tessera::user::civil_from_unix_nanoseconds(kStart)});
    CHECK(sink.text == "2026-11-21 21:40:05 UTC");
    StringSink epoch;
    kstd::format_to(epoch, "{}", UtcTime{tessera::user::civil_from_unix_nanoseconds(0)});
    CHECK(epoch.text == "1970-01-01 00:00:00 UTC");
}

TEST_CASE("clock server: random requests, time and interrupts keep every rule") {
    std::uint64_t seed = test_seed();
    INFO("TESSERA_TEST_SEED=" << seed);
    auto rng = make_rng(0x7c10c);
    for (int round = 0; round < 50; ++round) {
        ClockFixture f;
        f.device.raises_past_alarms = rng() % 2 == 0;
        // Now and then the time jumps during a register access: the worst moments included.
        f.device.after_access = [&](const RtcAccess&) {
            if (rng() % 8 == 0) f.device.advance(rng() % 40);
        };
        std::map<u32, u64> held; // Reply object -> deadline, as the server should hold them
        usize answered = 0;

        auto check_answers = [&] {
            for (; answered < f.replies.answers.size(); ++answered) {
                const Answer& answer = f.replies.answers[answered];
                auto found = held.find(answer.reply);
                REQUIRE(found != held.end()); // answered once, and only a held caller
                CHECK(answer.status == ServiceStatus::Ok);
                CHECK(answer.word0 >= found->second);
                CHECK(answer.word0 <= f.device.time());
                held.erase(found);
            }
        };
        auto settle = [&] {
            for (int i = 0; i < 1'000 && f.deliver_interrupt(); ++i) check_answers();
            check_answers();
            REQUIRE_FALSE(f.device.line());
        };

        for (int step = 0; step < 400; ++step) {
            switch (rng() % 4) {
            case 0: {
                auto answer = f.get_time();
                REQUIRE(answer.has_value());
                CHECK(answer->words[0] <= f.device.time());
                break;
            }
            case 1:
            case 2: {
                u64 deadline = f.device.time() + rng() % 600 - 100;
                u32 reply = 0;
                REQUIRE_FALSE(held.count(f.server.receiving_reply()));
                usize before = held.size();
                auto answer = f.sleep_until(deadline, &reply);
                if (!answer) {
                    held[reply] = deadline;
                } else if (answer->label() == static_cast<u64>(ServiceStatus::Busy)) {
                    CHECK(before == kMaxSleepers);
                } else {
                    CHECK(answer->label() == static_cast<u64>(ServiceStatus::Ok));
                    CHECK(answer->words[0] >= deadline);
                }
                break;
            }
            default:
                f.device.advance(rng() % 300);
                if (rng() % 10 == 0) f.server.handle_alarm_interrupt(); // spurious
                break;
            }
            check_answers();
            settle();

            // Nobody overslept; the alarm is set for the earliest; the receiving Reply
            // object is nobody's.
            REQUIRE(f.server.sleepers().size() == held.size());
            CHECK_FALSE(held.count(f.server.receiving_reply()));
            for (const auto& [reply, deadline] : held) CHECK(deadline > f.device.time());
            if (held.empty()) {
                CHECK_FALSE(f.device.alarm_armed());
            } else {
                u64 earliest = std::min_element(held.begin(), held.end(), [](const auto& a, const auto& b) {
                                   return a.second < b.second;
                               })->second;
                CHECK(f.device.alarm_armed());
                CHECK(f.device.alarm() == earliest);
            }
        }
        // Everyone held wakes in the end.
        f.device.advance(1'000);
        settle();
        CHECK(held.empty());
    }
}
