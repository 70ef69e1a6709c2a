// See curl_easy.hpp.

#include "steps/http/curl_easy.hpp"

#include <mutex>

namespace hoist {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("libcurl initialisation failed");
  });
}

}  // namespace

CurlEasy::CurlEasy() : error_buffer_(new char[CURL_ERROR_SIZE]) {
  global_init_once();
  handle_.reset(curl_easy_init());
  if (!handle_) throw Error("libcurl: cannot create a handle");
  apply_defaults();
}

void CurlEasy::apply_defaults() {
  error_buffer_[0] = '\0';
  set(CURLOPT_ERRORBUFFER, error_buffer_.get());
  set(CURLOPT_NOSIGNAL, 1L);  // we run on many threads
  set(CURLOPT_FOLLOWLOCATION, 0L);  // redirects are followed by the client, which decides where credentials go
}

void CurlEasy::use_network_env(const NetworkEnv& net, const std::string& url) {
  set(CURLOPT_PROXY, net.proxy_for(url).c_str());  // "" connects directly
  set(CURLOPT_NOPROXY, "");  // NO_PROXY was applied above; libcurl must not read it again
  if (!net.ssl_cert_file.empty()) set(CURLOPT_CAINFO, net.ssl_cert_file.c_str());
  if (!net.ssl_cert_dir.empty()) set(CURLOPT_CAPATH, net.ssl_cert_dir.c_str());
}

void CurlEasy::set_headers(const std::vector<std::string>& lines) {
  curl_slist* list = nullptr;
  for (const auto& line : lines) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (!next) {
      curl_slist_free_all(list);
      throw Error("libcurl: out of memory building headers");
    }
    list = next;
  }
  set(CURLOPT_HTTPHEADER, list);
  headers_.reset(list);
}

void CurlEasy::reset() {
  curl_easy_reset(handle_.get());
  headers_.reset();
  apply_defaults();
}

long CurlEasy::response_code() const {
  long code = 0;
  curl_easy_getinfo(handle_.get(), CURLINFO_RESPONSE_CODE, &code);
  return code;
}

std::string CurlEasy::error_text(CURLcode rc) const {
  if (error_buffer_[0] != '\0') return error_buffer_.get();
  return curl_easy_strerror(rc);
}

}  // namespace hoist
