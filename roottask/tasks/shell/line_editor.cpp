#include "line_editor.hpp"

namespace tessera::shell {

bool LineEditor::is_rest_of_enter(u8 byte) {
    bool rest = carriage_return_ended_line_ && byte == '\n';
    carriage_return_ended_line_ = false;
    return rest;
}

void LineEditor::erase_last(Output& echo) {
    if (length_ == 0) return;
    --length_;
    echo.print("\b \b");
}

LineEvent LineEditor::feed(u8 byte, Output& echo) {
    if (line_finished_) {
        length_ = 0;
        line_finished_ = false;
    }
    if (is_rest_of_enter(byte)) return LineEvent::None;

    switch (byte) {
    case '\r':
    case '\n':
        carriage_return_ended_line_ = byte == '\r';
        line_finished_ = true;
        echo.put('\n');
        return LineEvent::Entered;
    case kCtrlC:
        length_ = 0;
        echo.print("^C\n");
        return LineEvent::Abandoned;
    case kBackspace:
    case kDelete: erase_last(echo); return LineEvent::None;
    case kCtrlU:
        while (length_ > 0) erase_last(echo);
        return LineEvent::None;
    default: break;
    }
    bool printable = byte >= 0x20 && byte < 0x7f;
    if (printable && length_ < kMaxLineBytes) {
        text_[length_++] = static_cast<char>(byte);
        echo.put(static_cast<char>(byte));
    }
    return LineEvent::None;
}

} // namespace tessera::shell
