#include <kstd/bit.hpp>

#include "harness.hpp"

namespace tessera::roottask {

namespace {

RootTaskTest* g_tests = nullptr;

// Each test's memory: one Untyped split off at the start, revoked after every test.
constexpr unsigned kTestUntypedBits = 22; // 4 MiB
constexpr u64 kTestSlots = 512;

bool id_before(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return static_cast<unsigned char>(*a) < static_cast<unsigned char>(*b);
}

// Inserts into the list sorted by ID, so the order does not depend on link order.
void insert_sorted(RootTaskTest* test) {
    RootTaskTest** link = &g_tests;
    while (*link != nullptr && !id_before(test->id, (*link)->id)) link = &(*link)->next;
    test->next = *link;
    *link = test;
}

} // namespace

RootTaskTest::RootTaskTest(const char* test_id, const char* test_description, TestFunction function)
    : id(test_id), description(test_description), run(function) {
    insert_sorted(this);
}

user::Result<u64> TestContext::new_mapped_page(user::Frame* frame_out) {
    u64 address = TRY(root_.addresses.reserve(1));
    user::Frame frame =
        TRY(user::map_new_frame(objects_, root_.objects, own_vspace(), address, VmRights::kReadWrite));
    if (frame_out != nullptr) *frame_out = frame;
    return address;
}

unsigned run_roottask_tests(RootEnvironment& root) {
    unsigned count = 0;
    for (RootTaskTest* test = g_tests; test != nullptr; test = test->next) ++count;
    user::println("TAP version 13");
    user::println("1..{}", count);

    auto untyped = root.objects.allocate_untyped(kTestUntypedBits);
    auto slots = root.slots.allocate_run(kTestSlots);
    if (!untyped || !slots) {
        user::println("roottask: tests: no memory or slots for the tests");
        return count == 0 ? 1 : count;
    }
    user::CNode cnode = root.own_caps().cnode;
    unsigned failed = 0, number = 0;
    for (RootTaskTest* test = g_tests; test != nullptr; test = test->next) {
        user::SlotAllocator test_slots(SlotRange{slots.value().value, slots.value().value + kTestSlots});
        user::ObjectAllocator test_objects(cnode, test_slots);
        bool ready = test_objects.add_untyped(untyped.value(), 0, kTestUntypedBits, false).ok();
        TestContext context(test->id, root, test_objects);
        if (ready) test->run(context);
        else context.note("cannot set up the test's memory");
        // Take back everything the test made; the next test starts from the base again.
        if (auto revoked = cnode.revoke(user::SlotPath::at(untyped.value())); !revoked)
            context.fail_with("revoking the test's Untyped", revoked.error());
        // Capabilities not derived from the Untyped (copies of the root task's own) go too.
        for (u64 slot = slots.value().value; slot < slots.value().value + kTestSlots; ++slot)
            if (auto deleted = cnode.delete_(user::SlotPath{slot, 64}); !deleted)
                context.fail_with("emptying the test's slots", deleted.error());
        bool ok = ready && context.failures() == 0;
        failed += ok ? 0 : 1;
        user::println("{}ok {} - {} {}", ok ? "" : "not ", ++number, test->id, test->description);
    }
    user::println("roottask: tests finished, {} failed", failed);
    return failed;
}

} // namespace tessera::roottask
