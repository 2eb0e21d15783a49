#include "source.h"

#include <fstream>
#include <sstream>

namespace tap {

FileId SourceManager::addFile(std::string name, std::string text, bool isLibrary) {
    auto f = std::make_unique<SourceFile>();
    f->name = std::move(name);
    f->text = std::move(text);
    f->isLibrary = isLibrary;
    files_.push_back(std::move(f));
    return FileId(files_.size() - 1);
}

FileId SourceManager::loadFile(const std::string& path, bool isLibrary) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return kNoFile;
    std::ostringstream ss;
    ss << in.rdbuf();
    return addFile(path, ss.str(), isLibrary);
}

std::string_view SourceManager::lineText(FileId id, uint32_t line) const {
    if (id >= files_.size() || line == 0)
        return {};
    SourceFile& f = *files_[id];
    if (f.lineStarts.empty()) {
        f.lineStarts.push_back(0);
        for (uint32_t i = 0; i < f.text.size(); ++i)
            if (f.text[i] == '\n')
                f.lineStarts.push_back(i + 1);
    }
    if (line > f.lineStarts.size())
        return {};
    size_t begin = f.lineStarts[line - 1];
    size_t end = f.text.find('\n', begin);
    if (end == std::string::npos)
        end = f.text.size();
    return std::string_view(f.text).substr(begin, end - begin);
}

} // namespace tap
