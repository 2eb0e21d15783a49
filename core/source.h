// Source files and locations shared by every pass.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tap {

using FileId = uint32_t;
constexpr FileId kNoFile = UINT32_MAX;

struct SourceLoc {
    FileId file = kNoFile;
    uint32_t line = 0; // 1-based; 0 = unknown
    uint32_t col = 0;  // 1-based byte column
    bool valid() const { return file != kNoFile && line != 0; }
};

struct SourceFile {
    std::string name;  // as the user named it (shown in diagnostics)
    std::string text;
    bool isLibrary = false; // a tapset: privileged, macros of .stpm files are global
    std::vector<uint32_t> lineStarts; // filled lazily by lineText()
};

// Owns every text the compiler lexes; string_views into these texts stay valid
// for the lifetime of the manager (files are never moved: deque of unique_ptr).
class SourceManager {
public:
    FileId addFile(std::string name, std::string text, bool isLibrary = false);
    // Reads a file from disk; returns kNoFile if it cannot be read.
    FileId loadFile(const std::string& path, bool isLibrary = false);

    const SourceFile& file(FileId id) const { return *files_[id]; }
    std::string_view text(FileId id) const { return files_[id]->text; }
    const std::string& name(FileId id) const { return files_[id]->name; }
    size_t fileCount() const { return files_.size(); }
    // The text of line `line` (1-based) without its newline.
    std::string_view lineText(FileId id, uint32_t line) const;

private:
    std::deque<std::unique_ptr<SourceFile>> files_;
};

} // namespace tap
