#include "service_directory.hpp"

namespace tessera::roottask {

user::Result<user::CPtr> client_endpoint(RootEnvironment& root, user::CPtr service, u64 badge) {
    if (service.is_null()) return user::CPtr{};
    user::CNode own = RootEnvironment::own_caps().cnode;
    user::CPtr copy = TRY(root.slots.allocate());
    constexpr user::CapRights kCallOnly{user::CapRights::kWrite | user::CapRights::kGrantReply};
    TRY(own.mint(user::SlotPath::at(copy), own, user::SlotPath::at(service), kCallOnly, badge));
    return copy;
}

user::Result<ClientCaps> client_caps(RootEnvironment& root, const ServiceDirectory& services, u64 badge) {
    ClientCaps given;
    const user::CPtr in_slot_order[kClientServiceCount] = {services.console, services.clock, services.block,
                                                           services.system};
    for (usize i = 0; i < kClientServiceCount; ++i)
        given.caps[i] = user::GivenCap{TRY(client_endpoint(root, in_slot_order[i], badge))};
    return given;
}

} // namespace tessera::roottask
