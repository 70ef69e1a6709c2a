#pragma once
// libcurl wrapped once (after cpr, minus its weakness): one move-only owner of a CURL easy handle, its header list
// and its error buffer; every curl_easy_setopt result is checked. Used by the registry's HTTP client
// (steps/registry/http.cpp) and the webhook POST (steps/notify/webhook.cpp); curl.h stays out of every other header.

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

#include "runner/util/errors.hpp"
#include "steps/http/network_env.hpp"

namespace hoist {

class CurlEasy {
 public:
  CurlEasy();
  ~CurlEasy() = default;
  CurlEasy(CurlEasy&&) noexcept = default;
  CurlEasy& operator=(CurlEasy&&) noexcept = default;
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  // Sets an option; throws hoist::Error naming the option when libcurl refuses it.
  template <typename T>
  void set(CURLoption option, T value) {
    CURLcode rc = curl_easy_setopt(handle_.get(), option, value);
    if (rc != CURLE_OK) throw Error("libcurl refused option " + std::to_string(option) + ": " + curl_easy_strerror(rc));
  }
  // Routes the request to `url` as the environment says: through net.proxy_for(url) or directly (libcurl's own
  // reading of the proxy variables is replaced, so every client decides the same way, NO_PROXY included), and
  // verifies servers with SSL_CERT_FILE / SSL_CERT_DIR when they are set. Call after reset(), before perform().
  void use_network_env(const NetworkEnv& net, const std::string& url);
  // Replaces the request's header list (owned here until the next call or reset()).
  void set_headers(const std::vector<std::string>& lines);
  // Back to a fresh state for the next request, keeping the connection cache (curl_easy_reset).
  void reset();
  CURLcode perform() { return curl_easy_perform(handle_.get()); }
  long response_code() const;
  // The last error in words: the error buffer when libcurl filled it, else curl_easy_strerror.
  std::string error_text(CURLcode rc) const;

 private:
  struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  struct EasyCleanup {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };
  void apply_defaults();

  std::unique_ptr<CURL, EasyCleanup> handle_;
  std::unique_ptr<curl_slist, SlistFree> headers_;
  std::unique_ptr<char[]> error_buffer_;  // CURL_ERROR_SIZE, heap-held so moves keep its address
};

}  // namespace hoist
