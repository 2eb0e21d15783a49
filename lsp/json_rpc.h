// The base protocol of the Language Server Protocol: each JSON-RPC message
// is a header block ("Content-Length: N\r\n" and optional other fields, then
// an empty line) followed by N bytes of JSON. The reader takes the bytes as
// they arrive, in pieces of any size, and hands out whole message bodies.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taplsp {

class MessageReader {
  public:
    // Headers larger than this are not LSP: the stream is out of step.
    static constexpr size_t kMaxHeaderBytes = 8192;

    void feed(std::string_view bytes) { buffer_.append(bytes); }
    // The next complete body, or nullopt when more bytes are needed. A
    // malformed header is dropped and reported through takeError().
    std::optional<std::string> next();
    // What was wrong with the last dropped header ("" when nothing).
    std::string takeError();
    size_t buffered() const { return buffer_.size(); }

  private:
    std::string buffer_;
    std::string error_;
};

// A body with its header, ready to write.
std::string frameMessage(std::string_view body);

} // namespace taplsp
