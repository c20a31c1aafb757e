// The intrusive list and the scheduler's ready queues: FIFO per priority, the highest
// priority first in constant time, and a randomized run against a simple model.
#include <catch2/catch.hpp>

#include <kstd/intrusive_list.hpp>
#include <sched/ready_queues.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <vector>

#include "test_support.hpp"

using tessera::ReadyQueues;
using tessera::Schedulable;

namespace {

struct Item {
    explicit Item(int v) : value(v) {}
    int value;
    kstd::ListHook first;
    kstd::ListHook second;
};

using FirstList = kstd::IntrusiveList<Item, &Item::first>;
using SecondList = kstd::IntrusiveList<Item, &Item::second>;

std::vector<int> values(const FirstList& list) {
    std::vector<int> out;
    list.for_each([&](const Item& item) { out.push_back(item.value); });
    return out;
}

} // namespace

TEST_CASE("IntrusiveList keeps insertion order and removes from anywhere") {
    Item a{1}, b{2}, c{3};
    FirstList list;
    CHECK(list.empty());
    CHECK(list.front() == nullptr);
    list.push_back(b);
    list.push_front(a);
    list.push_back(c);
    CHECK(values(list) == std::vector<int>{1, 2, 3});
    CHECK(list.next(a) == &b);
    CHECK(list.next(c) == nullptr);
    list.remove(b);
    CHECK(!b.first.linked());
    CHECK(values(list) == std::vector<int>{1, 3});
    CHECK(list.pop_front() == &a);
    CHECK(list.back() == &c);
    CHECK(list.pop_front() == &c);
    CHECK(list.empty());
    CHECK(list.pop_front() == nullptr);
}

TEST_CASE("IntrusiveList: one object in two lists through two hooks") {
    Item a{1}, b{2};
    FirstList first;
    SecondList second;
    first.push_back(a);
    first.push_back(b);
    second.push_back(b);
    second.push_back(a);
    CHECK(first.front() == &a);
    CHECK(second.front() == &b);
    first.remove(a);
    CHECK(second.back() == &a);
    CHECK(a.second.linked());
    CHECK(!a.first.linked());
}

TEST_CASE("ReadyQueues: empty, then the highest priority first, FIFO within a level") {
    ReadyQueues queues;
    CHECK(queues.empty());
    CHECK(queues.highest() == nullptr);
    Schedulable low, mid1, mid2, high;
    low.priority = 0;
    mid1.priority = mid2.priority = 100;
    high.priority = 255;
    queues.enqueue_back(low);
    queues.enqueue_back(mid1);
    queues.enqueue_back(mid2);
    CHECK(queues.highest() == &mid1);
    CHECK(queues.highest_priority() == 100);
    queues.enqueue_back(high);
    CHECK(queues.highest() == &high);
    queues.remove(high);
    CHECK(!high.queued());
    queues.remove(mid1);
    queues.enqueue_back(mid1); // round robin: back of its level
    CHECK(queues.highest() == &mid2);
    queues.enqueue_front(high);
    CHECK(queues.highest_priority() == 255);
    queues.remove(high);
    queues.remove(mid2);
    queues.remove(mid1);
    CHECK(queues.highest() == &low);
    CHECK(queues.highest_priority() == 0);
    queues.remove(low);
    CHECK(queues.empty());
}

TEST_CASE("ReadyQueues: enqueue_front puts a preempted thread ahead of its equals") {
    ReadyQueues queues;
    Schedulable a, b;
    a.priority = b.priority = 7;
    queues.enqueue_back(a);
    queues.enqueue_front(b);
    CHECK(queues.highest() == &b);
}

TEST_CASE("ReadyQueues: every priority boundary of the two-level bitmap") {
    for (int p : {0, 1, 62, 63, 64, 65, 127, 128, 191, 192, 254, 255}) {
        ReadyQueues queues;
        Schedulable only;
        only.priority = static_cast<u8>(p);
        queues.enqueue_back(only);
        CAPTURE(p);
        CHECK(queues.highest_priority() == p);
        queues.remove(only);
        CHECK(queues.empty());
    }
}

TEST_CASE("ReadyQueues: random operations agree with a model of per-priority FIFOs") {
    INFO("seed " << tessera_test::test_seed());
    auto rng = tessera_test::make_rng(0x5eed'0001);
    constexpr size_t kThreads = 300;
    std::vector<Schedulable> threads(kThreads);
    std::map<int, std::deque<size_t>> model; // priority -> thread indices in queue order
    ReadyQueues queues;
    for (int step = 0; step < 50'000; ++step) {
        size_t index = rng() % kThreads;
        Schedulable& thread = threads[index];
        if (!thread.queued()) {
            thread.priority = static_cast<u8>(rng() % 256);
            if (rng() % 4 == 0) {
                model[thread.priority].push_front(index);
                queues.enqueue_front(thread);
            } else {
                model[thread.priority].push_back(index);
                queues.enqueue_back(thread);
            }
        } else {
            auto& level = model[thread.priority];
            level.erase(std::find(level.begin(), level.end(), index));
            if (level.empty()) model.erase(thread.priority);
            queues.remove(thread);
        }
        CAPTURE(step);
        if (model.empty()) {
            REQUIRE(queues.empty());
        } else {
            const auto& [priority, level] = *model.rbegin();
            REQUIRE(queues.highest_priority() == priority);
            REQUIRE(queues.highest() == &threads[level.front()]);
        }
    }
}
