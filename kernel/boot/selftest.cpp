#include <boot/selftest.hpp>

extern "C" const tessera::SelfTestCase __start_kernel_selftests[];
extern "C" const tessera::SelfTestCase __stop_kernel_selftests[];

namespace tessera {

unsigned run_selftests() {
    usize count = static_cast<usize>(__stop_kernel_selftests - __start_kernel_selftests);
    kprintln("TAP version 13");
    kprintln("1..{}", count);
    unsigned failed = 0;
    for (usize i = 0; i < count; ++i) {
        const SelfTestCase& test = __start_kernel_selftests[i];
        SelfTestContext context(test.id);
        test.run(context);
        bool ok = context.failures() == 0;
        if (!ok) ++failed;
        kprintln("{}ok {} - {} {}", ok ? "" : "not ", i + 1, test.id, test.description);
    }
    return failed;
}

} // namespace tessera
