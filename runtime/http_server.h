// The session's HTTP endpoint (tstap --http): plain sockets, polled by the
// session's own loop, one request per connection. It parses requests and
// writes responses; what a path means is the session's business.
#pragma once

#include <poll.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tap::rt {

struct HttpRequest {
    std::string method, path, body;
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "text/plain; charset=utf-8";
    std::string body;
};

class HttpServer {
  public:
    ~HttpServer();
    // Listens on "PORT" (127.0.0.1), "ADDR:PORT" or "[IPV6]:PORT"; null with
    // `error` set when the address is bad or cannot be bound.
    static std::unique_ptr<HttpServer> listen(const std::string& spec, std::string& error);
    // Where it listens, as a URL prefix: "http://127.0.0.1:9100".
    const std::string& url() const { return url_; }
    // The descriptors to poll (the listening socket and open connections).
    void addPollFds(std::vector<pollfd>& fds) const;
    // Accepts and reads what `ready` (polled from addPollFds) says is ready;
    // answers each complete request with `handler`.
    void serve(const std::vector<pollfd>& ready,
               const std::function<HttpResponse(const HttpRequest&)>& handler);

  private:
    struct Connection {
        int fd;
        std::string received;
    };
    int listenFd_ = -1;
    std::string url_;
    std::vector<Connection> connections_;
    void accept();
    // True when the connection is done with (answered, closed or bad).
    bool read(Connection& c, const std::function<HttpResponse(const HttpRequest&)>& handler);
};

} // namespace tap::rt
