#include "harness.hpp"

using namespace tessera;

ROOTTASK_TEST(OBJ0001, "a TCB retypes into an empty slot, and not into an occupied one") {
    user::CPtr tcb = REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb));
    const user::UntypedRegion& region = t.objects().regions()[0];
    auto again = user::Untyped(region.cap).retype(ObjectType::Tcb, 0, t.own_cnode(), 0, 0, tcb.value, 1);
    t.expect(!again.ok(), "a second retype into slot {} succeeded", tcb.value);
    if (!again.ok())
        t.expect(again.error().code == ErrorCode::DeleteFirst, "the second retype answered {}", again.error());
    auto name = user::Tcb(tcb).set_name("test-thread");
    t.expect(name.ok(), "SetName on the new TCB: {}", name.ok() ? user::Error{} : name.error());
}
