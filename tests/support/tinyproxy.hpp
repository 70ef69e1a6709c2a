#pragma once
// A real forward proxy (Debian's tinyproxy) on a free 127.0.0.1 port, for tests of Hoist behind a corporate proxy:
// plain HTTP requests are forwarded, HTTPS goes through CONNECT tunnels, and with credentials it asks for Basic
// proxy authentication (407). Its log (Info level) names every connection it made, so a test can tell which
// traffic went through it. Started in the foreground as a child process, stopped (SIGTERM, then SIGKILL) when the
// object dies.

#include <sys/types.h>

#include <string>

#include "tests/support/temp_dir.hpp"

namespace hoist::test {

class TinyProxy {
 public:
  struct Auth {
    std::string username, password;
  };
  // Throws std::runtime_error (with the proxy's output) when it does not come up. With `auth`, the password is
  // registered with the suite's leak check.
  explicit TinyProxy(const Auth* auth = nullptr);
  ~TinyProxy();
  TinyProxy(const TinyProxy&) = delete;
  TinyProxy& operator=(const TinyProxy&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT", or "http://USER:PASSWORD@127.0.0.1:PORT" with auth: what HTTPS_PROXY is set to.
  std::string url() const;
  // The proxy's log so far.
  std::string log() const;
  // Log lines naming `target` ("127.0.0.1:5000"): its CONNECT tunnels and forwarded requests.
  int connections_to(const std::string& target) const;
  pid_t pid() const { return pid_; }

 private:
  TempDir dir_;
  std::string username_, password_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace hoist::test
