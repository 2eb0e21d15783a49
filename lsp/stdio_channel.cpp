#include "stdio_channel.h"

#include "json_rpc.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <thread>

namespace taplsp {

void startReading(int fd, std::function<void(QByteArray)> post, std::function<void()> closed) {
    // Detached: at exit the process ends while it waits in read().
    std::thread([fd, post = std::move(post), closed = std::move(closed)] {
        MessageReader reader;
        char buffer[65536];
        for (;;) {
            ssize_t n = read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            reader.feed(std::string_view(buffer, size_t(n)));
            while (std::optional<std::string> body = reader.next())
                post(QByteArray::fromStdString(*body));
            if (std::string error = reader.takeError(); !error.empty())
                std::fprintf(stderr, "tstap language server: %s\n", error.c_str());
        }
        closed();
    }).detach();
}

void writeMessage(int fd, const QByteArray& body) {
    std::string framed = frameMessage(std::string_view(body.constData(), size_t(body.size())));
    for (size_t done = 0; done < framed.size();) {
        ssize_t n = write(fd, framed.data() + done, framed.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return; // the client is gone; end of input will follow
        done += size_t(n);
    }
}

} // namespace taplsp
