// See fault_proxy.hpp. Raw sockets and a thread per connection: small, and nothing between the bytes and us.

#include "tests/support/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace hoist::test {
namespace {

bool write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t k = ::send(fd, data, n, MSG_NOSIGNAL);
    if (k <= 0) return false;
    data += k;
    n -= static_cast<size_t>(k);
  }
  return true;
}
bool write_all(int fd, const std::string& s) { return write_all(fd, s.data(), s.size()); }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int connect_to(const std::string& host, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

FaultProxy::FaultProxy(std::string upstream) {
  auto colon = upstream.rfind(':');
  upstream_host_ = upstream.substr(0, colon);
  upstream_port_ = std::stoi(upstream.substr(colon + 1));
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  host_ = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  release();
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

void FaultProxy::release() {
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  release_cv_.notify_all();
}

void FaultProxy::add_rule(const Rule& rule) {
  std::lock_guard lock(mutex_);
  rules_.push_back({rule});
}

std::vector<std::string> FaultProxy::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FaultProxy::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, client] { serve(client); });
  }
}

void FaultProxy::serve(int client) {
  timeval tv{30, 0};
  ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string head;
  char buf[64 * 1024];
  size_t end;
  while ((end = head.find("\r\n\r\n")) == std::string::npos) {
    ssize_t k = ::recv(client, buf, sizeof buf, 0);
    if (k <= 0 || head.size() > 1024 * 1024) {
      ::close(client);
      return;
    }
    head.append(buf, static_cast<size_t>(k));
    if (!std::isupper(static_cast<unsigned char>(head[0]))) {  // not HTTP (a TLS handshake): hang up at once
      ::close(client);
      return;
    }
  }
  std::string body_start = head.substr(end + 4);
  head.resize(end + 2);  // keeps the last header's CRLF

  // Request line, headers; drop Connection and add ours.
  std::string request_line = head.substr(0, head.find("\r\n"));
  std::string method = request_line.substr(0, request_line.find(' '));
  std::string target = request_line.substr(method.size() + 1);
  target = target.substr(0, target.rfind(' '));
  size_t content_length = 0;
  std::string forwarded = request_line + "\r\n";
  for (size_t pos = head.find("\r\n") + 2; pos < head.size();) {
    size_t eol = head.find("\r\n", pos);
    std::string line = head.substr(pos, eol - pos);
    pos = eol + 2;
    std::string name = lower(line.substr(0, line.find(':')));
    if (name == "connection") continue;
    if (name == "content-length") content_length = std::stoul(line.substr(line.find(':') + 1));
    forwarded += line + "\r\n";
  }
  forwarded += "Connection: close\r\n\r\n";

  const Rule* fault = nullptr;
  Rule chosen;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(method + " " + target);
    for (auto& r : rules_) {
      if (r.fired) continue;
      if (!r.rule.method.empty() && r.rule.method != method) continue;
      if (!r.rule.path_contains.empty() && target.find(r.rule.path_contains) == std::string::npos) continue;
      if (++r.seen == r.rule.nth) {
        r.fired = true;
        chosen = r.rule;
        fault = &chosen;
        break;
      }
    }
  }

  auto read_body = [&](size_t limit, const std::function<bool(const char*, size_t)>& out) {
    size_t done = std::min(body_start.size(), limit);
    if (done > 0 && !out(body_start.data(), done)) return false;
    while (done < limit) {
      ssize_t k = ::recv(client, buf, std::min(sizeof buf, limit - done), 0);
      if (k <= 0) return false;
      if (!out(buf, static_cast<size_t>(k))) return false;
      done += static_cast<size_t>(k);
    }
    return true;
  };

  if (fault && fault->hold) {
    ++faults_;
    ++held_;
    std::unique_lock lock(mutex_);
    release_cv_.wait_for(lock, std::chrono::seconds(30), [&] { return released_ || stopping_.load(); });
    lock.unlock();
    --held_;
    fault = nullptr;  // then forwarded as usual
  }
  if (fault && !fault->cut_mid_body) {
    ++faults_;
    read_body(content_length, [](const char*, size_t) { return true; });
    std::string response = "HTTP/1.1 " + std::to_string(fault->status) + " Injected\r\nContent-Length: " +
                           std::to_string(fault->body.size()) + "\r\n";
    if (!fault->retry_after.empty()) response += "Retry-After: " + fault->retry_after + "\r\n";
    if (!fault->content_type.empty()) response += "Content-Type: " + fault->content_type + "\r\n";
    response += "Connection: close\r\n\r\n" + fault->body;
    write_all(client, response);
    ::close(client);
    return;
  }
  int up = connect_to(upstream_host_, upstream_port_);
  if (up < 0) {
    ::close(client);
    return;
  }
  bool ok = write_all(up, forwarded);
  if (fault) {  // cut mid-body
    ++faults_;
    if (ok) read_body(content_length / 2, [&](const char* d, size_t n) { return write_all(up, d, n); });
    ::shutdown(client, SHUT_RDWR);
    ::close(client);
    ::close(up);
    return;
  }
  ok = ok && read_body(content_length, [&](const char* d, size_t n) { return write_all(up, d, n); });
  if (ok) {
    while (true) {
      ssize_t k = ::recv(up, buf, sizeof buf, 0);
      if (k <= 0 || !write_all(client, buf, static_cast<size_t>(k))) break;
    }
  }
  ::close(up);
  ::close(client);
}

}  // namespace hoist::test
