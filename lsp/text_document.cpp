#include "text_document.h"

#include <algorithm>

namespace taplsp {

namespace {

// Bytes of the UTF-8 sequence starting with `lead` (1 for stray bytes).
int sequenceLength(unsigned char lead) {
    if (lead >= 0xf0 && lead < 0xf8) return 4;
    if (lead >= 0xe0) return lead < 0xf0 ? 3 : 1;
    if (lead >= 0xc0) return 2;
    return 1;
}

} // namespace

void TextDocument::setText(std::string text) {
    text_ = std::move(text);
    lineStarts_.assign(1, 0);
    for (size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') lineStarts_.push_back(int(i + 1));
}

void TextDocument::replace(Position start, Position end, std::string_view with) {
    int a = offsetAt(start), b = std::max(a, offsetAt(end));
    std::string text = std::move(text_);
    text.replace(size_t(a), size_t(b - a), with);
    setText(std::move(text));
}

int TextDocument::offsetAt(Position p) const {
    if (p.line < 0) return 0;
    if (p.line >= int(lineStarts_.size())) return int(text_.size());
    int offset = lineStarts_[p.line];
    int lineEnd =
        p.line + 1 < int(lineStarts_.size()) ? lineStarts_[p.line + 1] - 1 : int(text_.size());
    for (int units = 0; units < p.character && offset < lineEnd;) {
        int n = std::min(sequenceLength((unsigned char)text_[offset]), lineEnd - offset);
        units += n == 4 ? 2 : 1; // beyond the BMP: a surrogate pair
        offset += n;
    }
    return offset;
}

Position TextDocument::positionAt(int offset) const {
    offset = std::clamp(offset, 0, int(text_.size()));
    auto after = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
    int line = int(after - lineStarts_.begin()) - 1;
    int units = 0;
    for (int i = lineStarts_[line]; i < offset;) {
        int n = sequenceLength((unsigned char)text_[i]);
        units += n == 4 ? 2 : 1;
        i += n;
    }
    return {line, units};
}

Position TextDocument::positionOfLineColumn(int line, int byteColumn) const {
    if (line < 1) return {};
    if (line > int(lineStarts_.size())) return positionAt(int(text_.size()));
    int lineEnd = line < int(lineStarts_.size()) ? lineStarts_[line] - 1 : int(text_.size());
    return positionAt(std::min(lineStarts_[line - 1] + std::max(byteColumn, 1) - 1, lineEnd));
}

} // namespace taplsp
