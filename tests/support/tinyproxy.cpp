// See tinyproxy.hpp.

#include "tests/support/tinyproxy.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/known_secrets.hpp"
#include "tests/support/process_helpers.hpp"

namespace hoist::test {
namespace {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void stop(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

TinyProxy::TinyProxy(const Auth* auth) {
  if (auth) {
    username_ = auth->username;
    password_ = auth->password;
    add_credential("proxy password", username_, password_);
  }
  const std::string conf = (dir_ / "tinyproxy.conf").string();
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    std::ostringstream c;
    c << "Port " << port_ << "\nListen 127.0.0.1\nTimeout 60\nLogFile \"" << (dir_ / "tinyproxy.log").string()
      << "\"\nLogLevel Info\nMaxClients 64\nAllow 127.0.0.1\nDisableViaHeader Yes\n";
    if (auth) c << "BasicAuth " << username_ << " " << password_ << "\n";
    write_text(conf, c.str());
    if (auth) add_secret_input(conf);
    const std::string out = (dir_ / "tinyproxy.out").string();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("tinyproxy: fork failed");
    if (pid_ == 0) {
      FILE* f = std::freopen(out.c_str(), "a", stdout);
      if (f) ::dup2(::fileno(stdout), 2);
      ::execlp("tinyproxy", "tinyproxy", "-d", "-c", conf.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 250; ++i) {
      if (accepts(port_)) return;
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) break;  // exited: the port was taken, or worse
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop(pid_);
    pid_ = -1;
  }
  throw std::runtime_error("tinyproxy did not come up (is the tinyproxy package installed? scripts/setup): " +
                           read_text((dir_ / "tinyproxy.out").string()) + log());
}

TinyProxy::~TinyProxy() { stop(pid_); }

std::string TinyProxy::url() const {
  std::string auth = username_.empty() ? "" : username_ + ":" + password_ + "@";
  return "http://" + auth + "127.0.0.1:" + std::to_string(port_);
}

std::string TinyProxy::log() const { return read_text((dir_ / "tinyproxy.log").string()); }

int TinyProxy::connections_to(const std::string& target) const {
  std::istringstream lines(log());
  int n = 0;
  for (std::string line; std::getline(lines, line);)
    if (line.find("opensock: opening connection to " + target) != std::string::npos) ++n;
  return n;
}

}  // namespace hoist::test
