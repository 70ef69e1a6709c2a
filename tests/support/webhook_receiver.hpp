#pragma once
// A chat webhook receiver for notification tests: a real HTTP server (Poco::Net::HTTPServer) on 127.0.0.1 that
// records every request (method, path, content type, body) and answers with a chosen status.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hoist::test {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::string content_type;
  std::string body;
};

class WebhookReceiver {
 public:
  explicit WebhookReceiver(int status = 200);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // "http://127.0.0.1:PORT" + path
  std::string url(const std::string& path) const;
  void set_status(int status);
  std::vector<ReceivedRequest> requests() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
  struct Server;
  std::unique_ptr<Server> server_;
};

}  // namespace hoist::test
