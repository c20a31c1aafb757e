#pragma once
// How Catch prints kernel types in failure messages (the same text the kernel would print).
#include <catch2/catch.hpp>

#include <string>

#include <kstd/format.hpp>
#include <memory/phys_range.hpp>

#include "test_support.hpp"

namespace Catch {
template <> struct StringMaker<tessera::PhysRange> {
    static std::string convert(const tessera::PhysRange& range) {
        tessera_test::StringSink sink;
        kstd::format_to(sink, "{}", range);
        return sink.text;
    }
};
} // namespace Catch
