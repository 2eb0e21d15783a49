// Writes TapStudio's manual pages, gzipped, into OUTPUT_DIR/manN/:
//   - the hand-written pages given on the command line (tstap.1,
//     error::pass2.7tap, ...), into the section their name ends with;
//   - function::NAME(3tap) for every documented tapset function and
//     probe::POINT(3tap) for every documented probe alias, from the tapsets'
//     /** */ comments (as stap's function::NAME(3stap), in a section of
//     our own so that both can be installed).
// Usage: tapstudio-man-generator OUTPUT_DIR [PAGE ...]
#include "tapset_library.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace {

constexpr char kSection[] = "3tap";
constexpr char kFooter[] = "\"TapStudio 0.1\" \"TapStudio tapsets\"";

// Text as roff reads it literally: backslashes doubled, no line starting a request.
std::string roff(std::string_view text) {
    std::string out;
    bool lineStart = true;
    for (char c : text) {
        if (lineStart && (c == '.' || c == '\'')) out += "\\&";
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
        lineStart = c == '\n';
    }
    return out;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = char(std::toupper((unsigned char)c));
    return s;
}

bool writeGzip(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    // zlib's own header: no file name and no time stamp, so builds are reproducible.
    gzFile f = gzopen(path.c_str(), "wb9");
    if (!f) return false;
    bool ok = gzwrite(f, text.data(), unsigned(text.size())) == int(text.size());
    return gzclose(f) == Z_OK && ok;
}

std::string descriptionSection(const tapide::DocComment& doc) {
    if (doc.description.empty()) return {};
    std::string out = ".SH DESCRIPTION\n";
    std::istringstream paragraphs(doc.description);
    std::string line;
    while (std::getline(paragraphs, line))
        out += line.empty() ? ".PP\n" : roff(line) + "\n";
    return out;
}

std::string functionPage(const std::vector<const tapide::TapsetFunction*>& overloads) {
    const tapide::TapsetFunction& f = *overloads.front();
    std::string out =
        ".TH \"FUNCTION::" + upper(f.name) + "\" " + kSection + " \"2026\" " + kFooter + "\n";
    out += ".SH NAME\nfunction::" + roff(f.name) + " \\- " + roff(f.doc.summary) + "\n";
    out += ".SH SYNOPSIS\n.nf\n";
    for (const tapide::TapsetFunction* o : overloads)
        out += roff(o->signature()) + "\n";
    out += ".fi\n";
    if (!f.doc.params.empty()) {
        out += ".SH ARGUMENTS\n";
        for (const auto& [name, text] : f.doc.params)
            out += ".TP\n.I " + roff(name) + "\n" + roff(text) + "\n";
    }
    out += descriptionSection(f.doc);
    out += ".SH FILES\n.I PREFIX/share/tapstudio/tapsets/" +
           roff(fs::path(f.file).filename().string()) + "\n";
    out += ".SH SEE ALSO\n.BR tstap (1)\n";
    return out;
}

std::string aliasPage(const std::string& point,
                      const std::vector<const tapide::TapsetAlias*>& variants) {
    const tapide::TapsetAlias& a = *variants.front();
    std::string out =
        ".TH \"PROBE::" + upper(point) + "\" " + kSection + " \"2026\" " + kFooter + "\n";
    out += ".SH NAME\nprobe::" + roff(point) + " \\- " + roff(a.doc.summary) + "\n";
    out += ".SH SYNOPSIS\n.nf\n";
    for (const tapide::TapsetAlias* v : variants)
        out += "probe " + roff(v->point) + "\n";
    out += ".fi\n";
    if (!a.doc.params.empty()) {
        out += ".SH VALUES\n";
        for (const auto& [name, text] : a.doc.params)
            out += ".TP\n.I " + roff(name) + "\n" + roff(text) + "\n";
    }
    out += descriptionSection(a.doc);
    out += ".SH EXPANSION\n.nf\n";
    for (const tapide::TapsetAlias* v : variants)
        out += roff(v->point) + " = " + roff(v->target) + "\n";
    out += ".fi\n";
    out += ".SH FILES\n.I PREFIX/share/tapstudio/tapsets/" +
           roff(fs::path(a.file).filename().string()) + "\n";
    out += ".SH SEE ALSO\n.BR tstap (1)\n";
    return out;
}

// Alias points name files: only the plain ones (no wildcards or strings).
bool plainPoint(const std::string& point) {
    for (char c : point)
        if (!std::isalnum((unsigned char)c) && c != '_' && c != '.') return false;
    return !point.empty();
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: tapstudio-man-generator OUTPUT_DIR [PAGE ...]\n";
        return 2;
    }
    fs::path out = argv[1];
    int written = 0;
    auto emit = [&](const fs::path& path, const std::string& text) {
        if (!writeGzip(path, text)) {
            std::cerr << "tapstudio-man-generator: cannot write " << path << "\n";
            std::exit(1);
        }
        ++written;
    };
    for (int i = 2; i < argc; ++i) {
        fs::path page = argv[i];
        std::ifstream in(page);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) {
            std::cerr << "tapstudio-man-generator: cannot read " << page << "\n";
            return 1;
        }
        std::string section = page.extension().string().substr(1, 1); // ".7tap" -> "7"
        emit(out / ("man" + section) / (page.filename().string() + ".gz"), text.str());
    }

    auto library = tapide::TapsetLibrary::build();
    std::map<std::string, std::vector<const tapide::TapsetFunction*>> functions;
    for (const tapide::TapsetFunction& f : library->functions())
        if (!f.internal && !f.doc.summary.empty()) functions[f.name].push_back(&f);
    for (const auto& [name, overloads] : functions)
        emit(out / "man3" / ("function::" + name + "." + kSection + ".gz"),
             functionPage(overloads));
    // One page per alias family: a point and its .return (and other) variants.
    std::map<std::string, std::vector<const tapide::TapsetAlias*>> families;
    for (const tapide::TapsetAlias& a : library->aliases()) {
        if (a.internal || a.doc.summary.empty() || !plainPoint(a.point)) continue;
        std::string family = a.point;
        if (family.size() > 7 && family.ends_with(".return")) family.resize(family.size() - 7);
        families[family].push_back(&a);
    }
    for (const auto& [point, variants] : families)
        emit(out / "man3" / ("probe::" + point + "." + kSection + ".gz"),
             aliasPage(point, variants));
    std::cout << "tapstudio-man-generator: " << written << " pages (" << functions.size()
              << " functions, " << families.size() << " probe families)\n";
    return 0;
}
