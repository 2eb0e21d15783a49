// The server's stdin and stdout: a reader thread turns the bytes on stdin
// into message bodies (json_rpc.h) and posts them to the server, so that a
// client writing while the server works is never blocked; the server's
// messages are framed and written to stdout. End of input ends the server.
#pragma once

#include <QByteArray>

#include <functional>

namespace taplsp {

// Starts the reader thread on `fd`; `post` gets each body (from that
// thread), `closed` is called once at end of input.
void startReading(int fd, std::function<void(QByteArray)> post, std::function<void()> closed);

// Frames `body` and writes it whole to `fd`.
void writeMessage(int fd, const QByteArray& body);

} // namespace taplsp
