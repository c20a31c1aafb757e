// The shell's input side: the line editor's keys and echo, splitting into words, number
// arguments, and the hex dump's layout.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "command_line.hpp"
#include "line_editor.hpp"
#include "output.hpp"

using namespace tessera::shell;

namespace {

struct StringWriter final : TextWriter {
    std::string text;
    void write_text(kstd::StringView part) override { text.append(part.data(), part.size()); }
};

// Feeds `input` to one editor and records every finished line and abandonment.
struct EditorRun {
    StringWriter echo_text;
    Output echo{echo_text};
    LineEditor editor;
    std::vector<std::string> lines;
    int abandoned = 0;

    void feed(const std::string& input) {
        for (char c : input) {
            LineEvent event = editor.feed(static_cast<u8>(c), echo);
            if (event == LineEvent::Entered) lines.emplace_back(editor.line().data(), editor.line().size());
            if (event == LineEvent::Abandoned) ++abandoned;
        }
        echo.flush();
    }
};

std::string view_string(kstd::StringView view) { return std::string(view.data(), view.size()); }

} // namespace

TEST_CASE("line editor: printable characters are echoed and Enter ends the line", "[shell]") {
    EditorRun run;
    run.feed("ps -x\r");
    CHECK(run.lines == std::vector<std::string>{"ps -x"});
    CHECK(run.echo_text.text == "ps -x\n");
}

TEST_CASE("line editor: backspace and DEL erase one character with \\b \\b", "[shell]") {
    EditorRun run;
    run.feed("abc\x08\x7f" "d\n");
    CHECK(run.lines == std::vector<std::string>{"ad"});
    CHECK(run.echo_text.text == "abc\b \b\b \bd\n");
}

TEST_CASE("line editor: backspace on an empty line shows nothing", "[shell]") {
    EditorRun run;
    run.feed("\x08\x7f\r");
    CHECK(run.lines == std::vector<std::string>{""});
    CHECK(run.echo_text.text == "\n");
}

TEST_CASE("line editor: Ctrl-U erases the whole line", "[shell]") {
    EditorRun run;
    run.feed("abc\x15" "date\r");
    CHECK(run.lines == std::vector<std::string>{"date"});
    CHECK(run.echo_text.text == "abc\b \b\b \b\b \bdate\n");
}

TEST_CASE("line editor: Ctrl-C abandons the line and the next starts empty", "[shell]") {
    EditorRun run;
    run.feed("blk wr\x03" "ps\r");
    CHECK(run.abandoned == 1);
    CHECK(run.lines == std::vector<std::string>{"ps"});
    CHECK(run.echo_text.text == "blk wr^C\nps\n");
}

TEST_CASE("line editor: \\r\\n is one Enter, but \\n\\n, \\n\\r and \\r\\r are two", "[shell]") {
    EditorRun run;
    run.feed("a\r\nb\n\nc\n\rd\r\r");
    CHECK(run.lines == std::vector<std::string>{"a", "b", "", "c", "", "d", ""});
    CHECK(run.echo_text.text == "a\nb\n\nc\n\nd\n\n");
}

TEST_CASE("line editor: a \\n arriving later still belongs to the \\r before it", "[shell]") {
    EditorRun run;
    run.feed("a\r");
    run.feed("\nb\r");
    CHECK(run.lines == std::vector<std::string>{"a", "b"});
}

TEST_CASE("line editor: the rest of an Enter is asked about once", "[shell]") {
    LineEditor editor;
    StringWriter sink;
    Output echo(sink);
    REQUIRE(editor.feed('\r', echo) == LineEvent::Entered);
    CHECK_FALSE(editor.is_rest_of_enter('x'));
    CHECK_FALSE(editor.is_rest_of_enter('\n'));
    REQUIRE(editor.feed('\r', echo) == LineEvent::Entered);
    CHECK(editor.is_rest_of_enter('\n'));
    CHECK_FALSE(editor.is_rest_of_enter('\n'));
    REQUIRE(editor.feed('\n', echo) == LineEvent::Entered);
    CHECK_FALSE(editor.is_rest_of_enter('\n'));
}

TEST_CASE("line editor: lines stop growing at 200 bytes", "[shell]") {
    EditorRun run;
    run.feed(std::string(250, 'x') + "\x7fy\r");
    REQUIRE(run.lines.size() == 1);
    CHECK(run.lines[0] == std::string(199, 'x') + "y");
    CHECK(run.echo_text.text == std::string(200, 'x') + "\b \by\n");
}

TEST_CASE("line editor: other control characters and non-ASCII bytes are ignored", "[shell]") {
    EditorRun run;
    run.feed(std::string("a\tb\x1b[A\x01\x04\x80\xff" "c\r"));
    CHECK(run.lines == std::vector<std::string>{"ab[Ac"});
    CHECK(run.echo_text.text == "ab[Ac\n");
}

TEST_CASE("command line: words split on runs of spaces", "[shell]") {
    CommandLine line("  blk   write 7  hello   world  ");
    REQUIRE(line.count() == 5);
    CHECK(view_string(line.word(0)) == "blk");
    CHECK(view_string(line.word(1)) == "write");
    CHECK(view_string(line.word(2)) == "7");
    CHECK(view_string(line.word(4)) == "world");
    CHECK(line.word(5).empty());
    CHECK(view_string(line.rest(3)) == "hello   world");
    CHECK(view_string(line.rest(0)) == "blk   write 7  hello   world");
    CHECK(line.rest(5).empty());
}

TEST_CASE("command line: an empty or all-space line has no words", "[shell]") {
    CHECK(CommandLine("").count() == 0);
    CHECK(CommandLine("     ").count() == 0);
    CHECK(CommandLine("     ").rest(0).empty());
}

TEST_CASE("command line: the longest line's words all fit", "[shell]") {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "w ";
    CommandLine line(kstd::StringView(text.data(), text.size()));
    CHECK(line.count() == 100);
    CHECK(view_string(line.word(99)) == "w");
}

TEST_CASE("numbers: decimal and 0x hexadecimal", "[shell]") {
    auto value = [](const char* text) {
        auto result = parse_number(text);
        REQUIRE(result.ok());
        return result.value();
    };
    CHECK(value("0") == 0);
    CHECK(value("4096") == 4096);
    CHECK(value("007") == 7);
    CHECK(value("0x1000") == 0x1000);
    CHECK(value("0XfF") == 0xff);
    CHECK(value("18446744073709551615") == ~u64{0});
    CHECK(value("0xffffffffffffffff") == ~u64{0});
}

TEST_CASE("numbers: overflow is too large, anything else not a number", "[shell]") {
    auto error = [](const char* text) {
        auto result = parse_number(text);
        REQUIRE_FALSE(result.ok());
        return result.error();
    };
    CHECK(error("18446744073709551616") == NumberError::TooLarge);
    CHECK(error("99999999999999999999999") == NumberError::TooLarge);
    CHECK(error("0x10000000000000000") == NumberError::TooLarge);
    CHECK(error("") == NumberError::NotANumber);
    CHECK(error("0x") == NumberError::NotANumber);
    CHECK(error("12a") == NumberError::NotANumber);
    CHECK(error("0x1g") == NumberError::NotANumber);
    CHECK(error("-1") == NumberError::NotANumber);
    CHECK(error("+1") == NumberError::NotANumber);
    CHECK(error(" 1") == NumberError::NotANumber);
    CHECK(error("99999999999999999999x") == NumberError::NotANumber);
}

TEST_CASE("hex dump: offset, two groups of eight bytes, and the printable text", "[shell]") {
    StringWriter sink;
    Output out(sink);
    const u8 data[20] = {'H', 'e', 'l', 'l', 'o', 0, 0x7f, 0x1f, ' ', '~', 0x80, 0xff, 1, 2, 3, 4, 'a', 'b', 'c', 0};
    hex_dump(out, kstd::Bytes(data));
    out.flush();
    CHECK(sink.text == "0000  48 65 6c 6c 6f 00 7f 1f  20 7e 80 ff 01 02 03 04  |Hello... ~......|\n"
                       "0010  61 62 63 00                                       |abc.|\n");
}

TEST_CASE("hex dump: a sector is 32 lines of equal length", "[shell]") {
    StringWriter sink;
    Output out(sink);
    u8 sector[512];
    for (int i = 0; i < 512; ++i) sector[i] = static_cast<u8>(i);
    hex_dump(out, kstd::Bytes(sector));
    out.flush();
    std::vector<std::string> lines;
    size_t start = 0;
    for (size_t end; (end = sink.text.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(sink.text.substr(start, end - start));
    REQUIRE(lines.size() == 32);
    for (const std::string& line : lines) CHECK(line.size() == lines[0].size());
    CHECK(lines[2] == "0020  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f  | !\"#$%&'()*+,-./|");
    CHECK(lines[31].substr(0, 6) == "01f0  ");
}

TEST_CASE("output: text longer than one console write goes out in full pieces", "[shell]") {
    struct Pieces final : TextWriter {
        std::vector<std::string> parts;
        void write_text(kstd::StringView part) override { parts.emplace_back(part.data(), part.size()); }
    } pieces;
    Output out(pieces);
    std::string text(Output::kCapacity * 2 + 10, 'z');
    out.print("{}", kstd::StringView(text.data(), text.size()));
    out.flush();
    REQUIRE(pieces.parts.size() == 3);
    CHECK(pieces.parts[0].size() == Output::kCapacity);
    CHECK(pieces.parts[2].size() == 10);
}
