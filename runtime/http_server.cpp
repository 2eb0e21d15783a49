#include "http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace tap::rt {

namespace {

// Bounds a client cannot make the session exceed.
constexpr size_t kMaxRequestBytes = 1 << 20;
constexpr size_t kMaxConnections = 64;

std::string reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    default:
        return "Error";
    }
}

void writeAll(int fd, const std::string& data) {
    // The response goes out in one go: a client that stops reading for
    // two seconds loses it rather than stalling the session.
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    timeval timeout{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n <= 0) return;
        done += size_t(n);
    }
}

void respond(int fd, const HttpResponse& r) {
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reasonPhrase(r.status) +
                       "\r\n" + "Content-Type: " + r.contentType + "\r\n" +
                       "Content-Length: " + std::to_string(r.body.size()) + "\r\n" +
                       "Connection: close\r\n\r\n";
    writeAll(fd, head + r.body);
}

// Case-insensitive search for a header's value in the request head.
std::string headerValue(const std::string& head, const std::string& name) {
    size_t pos = 0;
    while ((pos = head.find("\r\n", pos)) != std::string::npos) {
        pos += 2;
        if (head.size() - pos > name.size() &&
            strncasecmp(head.c_str() + pos, name.c_str(), name.size()) == 0 &&
            head[pos + name.size()] == ':') {
            size_t start = head.find_first_not_of(" \t", pos + name.size() + 1);
            size_t end = head.find("\r\n", pos);
            return start == std::string::npos || start > end ? "" : head.substr(start, end - start);
        }
    }
    return {};
}

} // namespace

HttpServer::~HttpServer() {
    for (Connection& c : connections_)
        close(c.fd);
    if (listenFd_ >= 0) close(listenFd_);
}

std::unique_ptr<HttpServer> HttpServer::listen(const std::string& spec, std::string& error) {
    std::string host = "127.0.0.1", port = spec;
    if (size_t colon = spec.rfind(':'); colon != std::string::npos) {
        host = spec.substr(0, colon);
        port = spec.substr(colon + 1);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
    }
    if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
        port.size() > 5 || std::stoi(port) > 65535) {
        error = "--http '" + spec + "': expected [ADDRESS:]PORT with PORT a number from 0 to 65535";
        return nullptr;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        error = "--http '" + spec + "': cannot resolve '" + host + "': " + gai_strerror(rc);
        return nullptr;
    }
    auto server = std::unique_ptr<HttpServer>(new HttpServer);
    std::string problem;
    for (addrinfo* a = found; a && server->listenFd_ < 0; a = a->ai_next) {
        int fd =
            socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            problem = std::strerror(errno);
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 16) != 0) {
            problem = std::strerror(errno);
            close(fd);
            continue;
        }
        server->listenFd_ = fd;
    }
    freeaddrinfo(found);
    if (server->listenFd_ < 0) {
        error =
            "--http '" + spec + "': cannot listen on " + host + " port " + port + ": " + problem;
        return nullptr;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    getsockname(server->listenFd_, reinterpret_cast<sockaddr*>(&bound), &length);
    char text[INET6_ADDRSTRLEN] = "";
    int boundPort = 0;
    if (bound.ss_family == AF_INET6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&bound);
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        boundPort = ntohs(in6->sin6_port);
        server->url_ = "http://[" + std::string(text) + "]:" + std::to_string(boundPort);
    } else {
        auto* in4 = reinterpret_cast<sockaddr_in*>(&bound);
        inet_ntop(AF_INET, &in4->sin_addr, text, sizeof text);
        boundPort = ntohs(in4->sin_port);
        server->url_ = "http://" + std::string(text) + ":" + std::to_string(boundPort);
    }
    return server;
}

void HttpServer::addPollFds(std::vector<pollfd>& fds) const {
    fds.push_back({listenFd_, POLLIN, 0});
    for (const Connection& c : connections_)
        fds.push_back({c.fd, POLLIN, 0});
}

void HttpServer::serve(const std::vector<pollfd>& ready,
                       const std::function<HttpResponse(const HttpRequest&)>& handler) {
    for (const pollfd& p : ready) {
        if (!p.revents) continue;
        if (p.fd == listenFd_) {
            accept();
            continue;
        }
        auto it = std::find_if(connections_.begin(), connections_.end(),
                               [&](const Connection& c) { return c.fd == p.fd; });
        if (it != connections_.end() && read(*it, handler)) {
            close(it->fd);
            connections_.erase(it);
        }
    }
}

void HttpServer::accept() {
    for (;;) {
        int fd = accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        // Clients that connect and say nothing cannot lock the others out:
        // the oldest connection makes room for the newest.
        if (connections_.size() >= kMaxConnections) {
            close(connections_.front().fd);
            connections_.erase(connections_.begin());
        }
        connections_.push_back({fd, {}});
    }
}

bool HttpServer::read(Connection& c,
                      const std::function<HttpResponse(const HttpRequest&)>& handler) {
    char buffer[16384];
    ssize_t n = ::read(c.fd, buffer, sizeof buffer);
    if (n < 0) return errno != EAGAIN && errno != EINTR;
    if (n == 0) return true;
    c.received.append(buffer, size_t(n));
    size_t headEnd = c.received.find("\r\n\r\n");
    if (headEnd == std::string::npos) {
        if (c.received.size() > kMaxRequestBytes) {
            respond(c.fd, {413, "text/plain; charset=utf-8", "request too large\n"});
            return true;
        }
        return false;
    }
    std::string head = c.received.substr(0, headEnd);
    size_t bodyLength = 0;
    if (std::string length = headerValue(head, "Content-Length"); !length.empty()) {
        if (length.find_first_not_of("0123456789") != std::string::npos || length.size() > 9) {
            respond(c.fd, {400, "text/plain; charset=utf-8", "bad Content-Length\n"});
            return true;
        }
        bodyLength = std::stoul(length);
    }
    if (headEnd + 4 + bodyLength > kMaxRequestBytes) {
        respond(c.fd, {413, "text/plain; charset=utf-8", "request too large\n"});
        return true;
    }
    if (c.received.size() < headEnd + 4 + bodyLength) return false;
    HttpRequest request;
    size_t methodEnd = head.find(' ');
    size_t pathEnd =
        methodEnd == std::string::npos ? std::string::npos : head.find(' ', methodEnd + 1);
    if (pathEnd == std::string::npos || head.find("\r\n") < pathEnd) {
        respond(c.fd, {400, "text/plain; charset=utf-8", "bad request line\n"});
        return true;
    }
    request.method = head.substr(0, methodEnd);
    request.path = head.substr(methodEnd + 1, pathEnd - methodEnd - 1);
    if (size_t query = request.path.find('?'); query != std::string::npos)
        request.path.resize(query);
    request.body = c.received.substr(headEnd + 4, bodyLength);
    respond(c.fd, handler(request));
    return true;
}

} // namespace tap::rt
