#include <bootimage/cpio.hpp>
#include <userlib/print.hpp>

#include "boot_tasks.hpp"
#include "manifest.hpp"

namespace tessera::roottask {

namespace {

user::Error archive_error(const CpioError& error) {
    return user::Error::of(user::LibraryError::BadArchive, static_cast<u64>(error.kind));
}

} // namespace

user::Result<usize> start_client_task(RootEnvironment& root, TaskRegistry& registry, const ServiceDirectory& services,
                                      kstd::StringView file, u64 priority, u64 stack_pages) {
    auto elf = cpio_find(root.boot_info.boot_image(), file);
    if (!elf) return kstd::fail(archive_error(elf.error()));
    // The badge a server sees: the task's place in the registry, from 1 (0 is unbadged).
    ClientCaps caps = TRY(client_caps(root, services, registry.tasks().size() + 1));
    user::TaskSpec spec;
    spec.name = file;
    spec.elf = elf.value().data;
    spec.priority = priority;
    spec.stack_pages = stack_pages;
    spec.caps = caps.span();
    user::StarterResources starter = root.starter();
    user::StartedTask task = TRY(user::start_task(starter, spec));
    auto index = registry.add_task(file, task.cnode, user::kTaskCNodeRadix, u64{1} << user::kTaskCNodeRadix, task.tcb);
    if (!index) user::println("roottask: {}: the task table is full; ps will not show it", file);
    user::println("roottask: started {} (priority {}, entry {}, {} pages)", file, priority, kstd::Hex{task.entry},
                  task.pages);
    return index ? *index : registry.tasks().size();
}

user::Result<u64> start_boot_tasks(RootEnvironment& root, TaskRegistry& registry, const ServiceDirectory& services) {
    kstd::Bytes image = root.boot_info.boot_image();
    auto manifest = cpio_find(image, kManifestFileName);
    if (!manifest) {
        user::println("roottask: boot image: {}", manifest.error());
        return kstd::fail(archive_error(manifest.error()));
    }
    kstd::Bytes text = manifest.value().data;
    ManifestReader reader(kstd::StringView(reinterpret_cast<const char*>(text.data()), text.size()));
    u64 started = 0;
    for (;;) {
        auto next = reader.next();
        if (!next) {
            user::println("roottask: manifest: line {} is malformed", next.error().detail);
            return kstd::fail(next.error());
        }
        if (!next.value()) return started;
        const ManifestEntry& entry = *next.value();
        auto task = start_client_task(root, registry, services, entry.file, entry.priority, entry.stack_pages);
        if (!task) {
            user::println("roottask: task {}: cannot start: {}", entry.file, task.error());
            continue;
        }
        ++started;
    }
}

} // namespace tessera::roottask
