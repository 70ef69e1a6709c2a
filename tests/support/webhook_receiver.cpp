// See webhook_receiver.hpp.
#include "tests/support/webhook_receiver.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

namespace hoist::test {

struct WebhookReceiver::State {
  mutable std::mutex mutex;
  int status = 200;
  std::vector<ReceivedRequest> requests;
};

namespace {

class RecordingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RecordingHandler(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
    ReceivedRequest r{req.getMethod(), req.getURI(), req.getContentType(), ""};
    Poco::StreamCopier::copyToString(req.stream(), r.body);
    int status;
    {
      std::lock_guard lock(state_->mutex);
      state_->requests.push_back(std::move(r));
      status = state_->status;
    }
    res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    res.setContentType("text/plain");
    res.send() << (status < 300 ? "ok" : "no");
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new RecordingHandler(state_);
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

}  // namespace

struct WebhookReceiver::Server {
  Poco::Net::ServerSocket socket;
  Poco::Net::HTTPServer http;
  Server(std::shared_ptr<State> state, Poco::Net::ServerSocket s)
      : socket(s), http(new Factory(std::move(state)), s, new Poco::Net::HTTPServerParams) {}
};

WebhookReceiver::WebhookReceiver(int status) : state_(std::make_shared<State>()) {
  state_->status = status;
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  server_ = std::make_unique<Server>(state_, socket);
  server_->http.start();
}

WebhookReceiver::~WebhookReceiver() { server_->http.stopAll(true); }

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(server_->socket.address().port()) + path;
}

void WebhookReceiver::set_status(int status) {
  std::lock_guard lock(state_->mutex);
  state_->status = status;
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

}  // namespace hoist::test
