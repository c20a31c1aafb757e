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

user::Result<u64> start_boot_tasks(RootEnvironment& root) {
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
        auto file = cpio_find(image, entry.file);
        if (!file) {
            user::println("roottask: task {}: {}", entry.file, file.error());
            continue;
        }
        user::TaskSpec spec;
        spec.name = entry.file;
        spec.elf = file.value().data;
        spec.priority = entry.priority;
        spec.stack_pages = entry.stack_pages;
        user::StarterResources starter = root.starter();
        auto task = user::start_task(starter, spec);
        if (!task) {
            user::println("roottask: task {}: cannot start: {}", entry.file, task.error());
            continue;
        }
        user::println("roottask: started {} (priority {}, entry {}, {} pages)", entry.file, entry.priority,
                      kstd::Hex{task.value().entry}, task.value().pages);
        ++started;
    }
}

} // namespace tessera::roottask
