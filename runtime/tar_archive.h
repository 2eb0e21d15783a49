// The POSIX tar (ustar) format, for compiled sessions sent to other hosts:
// a stream any `tar` reads, and one read back from a pipe without reading
// past its end (what follows on the pipe is not the archive's).
#pragma once

#include <string>
#include <vector>

namespace tap::rt {

struct TarEntry {
    std::string path; // relative, '/'-separated; at most 100 bytes
    std::string content;
};

std::string writeTar(const std::vector<TarEntry>& entries);

// Reads an archive from `fd` up to its end marker (two empty blocks).
// Returns "" or what was wrong with the stream.
std::string readTar(int fd, std::vector<TarEntry>& entries);

} // namespace tap::rt
