// See webhook.hpp. The CURL easy handle and its header list are owned by RAII holders; every curl_easy_setopt result
// is checked.
#include "steps/notify/webhook.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "runner/errors.hpp"

namespace hoist {
namespace {

constexpr size_t kMaxBody = 4096;

using EasyHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using HeaderList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

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

template <typename T>
void set(CURL* curl, CURLoption option, T value) {
  if (CURLcode rc = curl_easy_setopt(curl, option, value); rc != CURLE_OK)
    throw Error(std::string("cannot prepare the webhook request: ") + curl_easy_strerror(rc));
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
  global_init();
  EasyHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw Error("cannot prepare the webhook request: curl_easy_init failed");
  HeaderList headers(nullptr, &curl_slist_free_all);
  for (const char* h : {"Content-Type: application/json; charset=utf-8", "Expect:"}) {
    curl_slist* next = curl_slist_append(headers.get(), h);
    if (!next) throw Error("cannot prepare the webhook request: out of memory");
    headers.release();
    headers.reset(next);
  }
  WebhookResponse response;
  Transfer transfer{&response, &cancel};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  set(c, CURLOPT_ERRORBUFFER, error);
  set(c, CURLOPT_URL, url.c_str());
  set(c, CURLOPT_PROTOCOLS_STR, "http,https");
  set(c, CURLOPT_FOLLOWLOCATION, 0L);
  set(c, CURLOPT_SSL_VERIFYPEER, 1L);
  set(c, CURLOPT_SSL_VERIFYHOST, 2L);
  set(c, CURLOPT_NOSIGNAL, 1L);  // steps run on threads
  set(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect.count()));
  set(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total.count()));
  set(c, CURLOPT_HTTPHEADER, headers.get());
  set(c, CURLOPT_POST, 1L);
  set(c, CURLOPT_POSTFIELDS, json.data());
  set(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json.size()));
  set(c, CURLOPT_USERAGENT, "hoist/" HOIST_VERSION);
  set(c, CURLOPT_WRITEFUNCTION, &on_body);
  set(c, CURLOPT_WRITEDATA, &transfer);
  set(c, CURLOPT_NOPROGRESS, 0L);
  set(c, CURLOPT_XFERINFOFUNCTION, &on_progress);
  set(c, CURLOPT_XFERINFODATA, &transfer);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_ABORTED_BY_CALLBACK) throw Error("interrupted", ExitCode::interrupted);
  if (rc != CURLE_OK) {
    // curl's messages name hosts, never paths; still, say only what kind of failure it was and where.
    std::string detail = rc == CURLE_OPERATION_TIMEDOUT ? "timed out" : curl_easy_strerror(rc);
    throw Error("cannot reach " + webhook_display(url) + ": " + detail);
  }
  if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status) != CURLE_OK) response.status = 0;
  return response;
}

}  // namespace hoist
