#pragma once
// The boot image's task list: the file "manifest" in the CPIO archive, one task per line.
//   # comment
//   <file in the boot image> [priority=<0..255>] [stack=<pages>]
// Pure text handling, host-tested (tests/unit/userlib/manifest_test.cpp).
#include <kstd/optional.hpp>
#include <kstd/string_view.hpp>
#include <userlib/error.hpp>
#include <userlib/task_layout.hpp>

namespace tessera::roottask {

inline constexpr kstd::StringView kManifestFileName = "manifest";
inline constexpr u64 kDefaultTaskPriority = 100;
inline constexpr u64 kMaxTaskStackPages = 256;

struct ManifestEntry {
    kstd::StringView file;
    u64 priority = kDefaultTaskPriority;
    u64 stack_pages = user::kTaskDefaultStackPages;
};

class ManifestReader {
public:
    explicit ManifestReader(kstd::StringView text) : rest_(text) {}

    // The next task; none at the end. A malformed line is BadManifest with its line
    // number (from 1) as the detail.
    user::Result<kstd::Optional<ManifestEntry>> next();

private:
    kstd::StringView rest_;
    u64 line_ = 0;
};

} // namespace tessera::roottask
