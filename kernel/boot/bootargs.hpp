#pragma once
// The kernel command line (/chosen/bootargs, QEMU's -append): words separated by spaces,
// each either a flag ("selftest") or a key=value pair ("panic-test=stack-overflow").
#include <kstd/optional.hpp>
#include <kstd/string_view.hpp>

namespace tessera {

class BootArgs {
public:
    explicit BootArgs(kstd::StringView text) : text_(text) {}

    bool has_flag(kstd::StringView name) const {
        bool found = false;
        for_each_word([&](kstd::StringView word) {
            if (word == name) found = true;
        });
        return found;
    }

    kstd::Optional<kstd::StringView> value(kstd::StringView key) const {
        kstd::Optional<kstd::StringView> found;
        for_each_word([&](kstd::StringView word) {
            usize equals = word.find('=');
            if (equals < word.size() && word.substr(0, equals) == key) found = word.substr(equals + 1);
        });
        return found;
    }

private:
    template <typename Visit> void for_each_word(Visit&& visit) const {
        usize start = 0;
        while (start < text_.size()) {
            while (start < text_.size() && text_[start] == ' ') ++start;
            usize end = start;
            while (end < text_.size() && text_[end] != ' ') ++end;
            if (end > start) visit(text_.substr(start, end - start));
            start = end;
        }
    }

    kstd::StringView text_;
};

} // namespace tessera
