#include "tar_archive.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tap::rt {

namespace {

constexpr size_t kBlock = 512;

void putOctal(char* field, size_t width, unsigned long long value) {
    std::snprintf(field, width, "%0*llo", int(width - 1), value);
}

unsigned long long headerChecksum(const char* header) {
    unsigned long long sum = 0;
    for (size_t i = 0; i < kBlock; ++i)
        sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
    return sum;
}

// Reads exactly `size` bytes; false at end of file or on an error.
bool readFully(int fd, char* data, size_t size, std::string& error) {
    while (size > 0) {
        ssize_t n = read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = n == 0 ? "the archive ends early"
                           : std::string("cannot read the archive: ") + std::strerror(errno);
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}

size_t padded(size_t size) {
    return (size + kBlock - 1) / kBlock * kBlock;
}

} // namespace

std::string writeTar(const std::vector<TarEntry>& entries) {
    std::string out;
    for (const TarEntry& entry : entries) {
        char header[kBlock] = {};
        std::strncpy(header, entry.path.c_str(), 100);
        putOctal(header + 100, 8, 0644);
        putOctal(header + 108, 8, 0);
        putOctal(header + 116, 8, 0);
        putOctal(header + 124, 12, entry.content.size());
        putOctal(header + 136, 12, 0);
        header[156] = '0';
        std::memcpy(header + 257, "ustar", 6);
        std::memcpy(header + 263, "00", 2);
        std::snprintf(header + 148, 8, "%06llo", headerChecksum(header));
        out.append(header, kBlock);
        out += entry.content;
        out.append(padded(entry.content.size()) - entry.content.size(), '\0');
    }
    out.append(2 * kBlock, '\0');
    return out;
}

std::string readTar(int fd, std::vector<TarEntry>& entries) {
    std::string error;
    char header[kBlock];
    while (readFully(fd, header, kBlock, error)) {
        if (std::all_of(header, header + kBlock, [](char c) { return c == 0; }))
            return readFully(fd, header, kBlock, error) ? std::string() : error;
        if (std::memcmp(header + 257, "ustar", 5) != 0)
            return "not a tar archive (no ustar header)";
        unsigned long long stored = std::strtoull(std::string(header + 148, 8).c_str(), nullptr, 8);
        if (stored != headerChecksum(header)) return "a tar header's checksum is wrong";
        TarEntry entry;
        entry.path.assign(header, strnlen(header, 100));
        unsigned long long size = std::strtoull(std::string(header + 124, 12).c_str(), nullptr, 8);
        std::string data(padded(size), '\0');
        if (!readFully(fd, data.data(), data.size(), error)) return error;
        data.resize(size);
        if (header[156] == '0' || header[156] == '\0') {
            entry.content = std::move(data);
            entries.push_back(std::move(entry));
        }
    }
    return error;
}

} // namespace tap::rt
