#pragma once
// A fault-injecting HTTP proxy on 127.0.0.1, in front of a real registry, so that the registry client's retries are
// proved against real sockets: for the Nth request matching a method and a path fragment it answers a status of our
// choice (429 with Retry-After, 503), or forwards half of the request body and cuts both connections. Everything
// else is forwarded unchanged; a rule may also answer with a body of its own (an endpoint the upstream lacks, such
// as the OCI referrers API in front of Distribution 2.8); or it holds the request until the test releases it (to act while a transfer is in
// flight). One request per connection (it answers "Connection: close"); request bodies must
// carry Content-Length (the client under test always sends one). Plain HTTP only.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hoist::test {

class FaultProxy {
 public:
  struct Rule {
    std::string method;         // "PATCH"; empty: any
    std::string path_contains;  // "/blobs/uploads/"; empty: any
    int nth = 1;                // the Nth matching request (counted from when the rule was added) gets the fault
    int status = 503;           // answered instead of forwarding, unless cut_mid_body
    std::string retry_after;    // Retry-After value to send with the status, if any
    bool cut_mid_body = false;  // forward the headers and half the body, then close both connections
    bool hold = false;          // keep the request waiting until release() (at most 30 s), then forward it
    std::string body;           // sent with the status (and content_type), e.g. an API the upstream lacks
    std::string content_type;
  };

  // Forwards to upstream ("127.0.0.1:PORT"). Throws std::runtime_error when it cannot listen.
  explicit FaultProxy(std::string upstream);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  const std::string& host() const { return host_; }  // "127.0.0.1:PORT"
  void add_rule(const Rule& rule);
  int faults_injected() const { return faults_; }
  // Requests a `hold` rule is keeping waiting right now, and letting them all go on.
  int held() const { return held_; }
  void release();
  // "METHOD /path?query" of every request seen, in order.
  std::vector<std::string> requests() const;

 private:
  struct ActiveRule {
    Rule rule;
    int seen = 0;
    bool fired = false;
  };
  void accept_loop();
  void serve(int client);

  std::string upstream_host_;
  int upstream_port_ = 0;
  std::string host_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<int> faults_{0};
  std::atomic<int> held_{0};
  bool released_ = false;
  std::condition_variable release_cv_;
  mutable std::mutex mutex_;
  std::vector<ActiveRule> rules_;
  std::vector<std::string> requests_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace hoist::test
