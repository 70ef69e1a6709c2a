// See webhook.hpp. The request goes through CurlEasy (steps/http), the one wrapper of libcurl's easy handle.
#include "steps/notify/webhook.hpp"

#include <memory>

#include "runner/process/process.hpp"
#include "runner/util/errors.hpp"
#include "steps/http/curl_easy.hpp"

namespace hoist {
namespace {

constexpr size_t kMaxBody = 4096;

struct Transfer {
  WebhookResponse* response;
  const CancelToken* cancel;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string& body = t->response->body;
  if (body.size() < kMaxBody) body.append(data, std::min(n, kMaxBody - body.size()));
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->cancel->cancelled() ? 1 : 0;  // non-zero aborts the transfer
}

}  // namespace

std::string webhook_display(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return "(invalid URL)";
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  // Drop a port, but keep an IPv6 literal's brackets whole.
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos)
    rest = rest.substr(0, colon);
  if (rest.empty()) return "(invalid URL)";
  return std::string(url.substr(0, scheme_end)) + "://" + std::string(rest) + "/…";
}

WebhookResponse post_webhook(const std::string& url, const std::string& json, const WebhookLimits& limits,
                             const CancelToken& cancel) {
  WebhookResponse response;
  Transfer transfer{&response, &cancel};
  CurlEasy curl;
  curl.set_headers({"Content-Type: application/json; charset=utf-8", "Expect:"});
  curl.set(CURLOPT_URL, url.c_str());
  curl.set(CURLOPT_PROTOCOLS_STR, "http,https");
  curl.use_network_env(NetworkEnv::from(current_environment()), url);  // proxies, SSL_CERT_FILE/SSL_CERT_DIR
  curl.set(CURLOPT_SSL_VERIFYPEER, 1L);
  curl.set(CURLOPT_SSL_VERIFYHOST, 2L);
  curl.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect.count()));
  curl.set(CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total.count()));
  curl.set(CURLOPT_POST, 1L);
  curl.set(CURLOPT_POSTFIELDS, json.data());
  curl.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json.size()));
  curl.set(CURLOPT_USERAGENT, "hoist/" HOIST_VERSION);
  curl.set(CURLOPT_WRITEFUNCTION, &on_body);
  curl.set(CURLOPT_WRITEDATA, &transfer);
  curl.set(CURLOPT_NOPROGRESS, 0L);
  curl.set(CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl.set(CURLOPT_XFERINFODATA, &transfer);
  CURLcode rc = curl.perform();
  if (rc == CURLE_ABORTED_BY_CALLBACK) throw Error("interrupted", ExitCode::interrupted);
  if (rc != CURLE_OK) {
    // curl's messages name hosts, never paths; still, say only what kind of failure it was and where.
    std::string detail = rc == CURLE_OPERATION_TIMEDOUT ? "timed out" : curl_easy_strerror(rc);
    throw Error("cannot reach " + webhook_display(url) + ": " + detail);
  }
  response.status = curl.response_code();
  return response;
}

}  // namespace hoist
