// An open document's text as the language server keeps it: UTF-8, with LSP
// positions (line, UTF-16 code unit) converted to and from the byte offsets
// core and the completion engine use, and incremental edits applied.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace taplsp {

struct Position {
    int line = 0;      // 0-based
    int character = 0; // UTF-16 code units from the line's start
    bool operator==(const Position&) const = default;
};

class TextDocument {
  public:
    explicit TextDocument(std::string text = {}) { setText(std::move(text)); }

    const std::string& text() const { return text_; }
    void setText(std::string text);
    // Replaces the text between two positions (an incremental didChange).
    void replace(Position start, Position end, std::string_view with);

    // Positions past a line's end or the last line clamp to them.
    int offsetAt(Position p) const;
    Position positionAt(int offset) const;
    // 1-based line and byte column, as core's diagnostics give them.
    Position positionOfLineColumn(int line, int byteColumn) const;

  private:
    std::string text_;
    std::vector<int> lineStarts_;
};

} // namespace taplsp
