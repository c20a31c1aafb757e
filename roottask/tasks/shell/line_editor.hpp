#pragma once
// The shell's line editor: turns the console's bytes into command lines and echoes what a
// terminal should show, since the console service echoes nothing itself. Portable.
//   printable ASCII     appended and echoed (beyond kMaxLineBytes: dropped)
//   Backspace, DEL      erases the last character ("\b \b")
//   Ctrl-U              erases the whole line
//   Ctrl-C              abandons the line ("^C" and a new line)
//   '\r' or '\n'        ends the line; a '\n' right after a '\r' is part of the same Enter,
//                       since terminals send either and some send both
// Any other byte (other control characters, bytes above 0x7e) is ignored.
#include "output.hpp"

namespace tessera::shell {

inline constexpr usize kMaxLineBytes = 200;

inline constexpr u8 kBackspace = 0x08;
inline constexpr u8 kDelete = 0x7f;
inline constexpr u8 kCtrlC = 0x03;
inline constexpr u8 kCtrlD = 0x04;
inline constexpr u8 kCtrlU = 0x15;

enum class LineEvent {
    None,      // the line goes on
    Entered,   // line() holds a finished line
    Abandoned, // Ctrl-C: the line is gone
};

class LineEditor {
public:
    // Takes one byte of input; what the terminal should show goes to `echo`. After Entered,
    // line() stays valid until the next call.
    LineEvent feed(u8 byte, Output& echo);

    kstd::StringView line() const { return kstd::StringView(text_, length_); }

    // Whether `byte`, the first input after the last Enter, is that Enter's '\n'. Each
    // Enter is asked about once: whoever reads the input after a line (the editor itself,
    // or a command taking raw input) drops the byte when this says so.
    bool is_rest_of_enter(u8 byte);

private:
    void erase_last(Output& echo);

    char text_[kMaxLineBytes] = {};
    usize length_ = 0;
    bool line_finished_ = false;
    bool carriage_return_ended_line_ = false;
};

} // namespace tessera::shell
