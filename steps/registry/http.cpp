// See http.hpp.

#include "steps/registry/http.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <mutex>

#include "runner/util/strings.hpp"
#include "runner/util/url_userinfo.hpp"
#include "steps/http/curl_easy.hpp"

namespace hoist::registry {
namespace {


std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

TransportFailure classify(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: return TransportFailure::resolve;
    case CURLE_COULDNT_CONNECT: return TransportFailure::connect;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY: return TransportFailure::proxy;
    case CURLE_PEER_FAILED_VERIFICATION: return TransportFailure::tls_verify;
    case CURLE_SSL_CONNECT_ERROR: return TransportFailure::tls_handshake;
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE: return TransportFailure::tls;
    case CURLE_OPERATION_TIMEDOUT: return TransportFailure::timeout;
    case CURLE_SEND_ERROR:
    case CURLE_READ_ERROR: return TransportFailure::send;
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return TransportFailure::receive;
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_WRITE_ERROR: return TransportFailure::aborted;
    default: return TransportFailure::other;
  }
}

// What the callbacks need; lives on send()'s stack for one transfer.
struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  std::unique_ptr<BodyReader> reader;
  std::exception_ptr error;
  bool too_large = false;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new response (after 100 Continue): forget the previous one's headers
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    t->response->headers.emplace_back(ascii_lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return size * n;
}

size_t on_write(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view chunk(data, size * n);
  try {
    if (t->request->sink) {
      t->request->sink(chunk);
    } else {
      if (t->response->body.size() + chunk.size() > t->request->max_body) {
        t->too_large = true;
        return 0;
      }
      t->response->body.append(chunk);
    }
  } catch (...) {
    t->error = std::current_exception();
    return 0;
  }
  return chunk.size();
}

size_t on_read(char* buffer, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->reader) return 0;
  try {
    return t->reader->read(buffer, size * n);
  } catch (...) {
    t->error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

int on_xferinfo(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t ultotal, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (ulnow > 0)
    t->request->on_upload(static_cast<std::uint64_t>(ulnow), static_cast<std::uint64_t>(std::max<curl_off_t>(ultotal, ulnow)));
  return 0;
}

}  // namespace

std::string transport_cause(TransportFailure kind) {
  switch (kind) {
    case TransportFailure::resolve: return "the host name does not resolve (DNS lookup failed)";
    case TransportFailure::connect: return "the connection was refused or could not be made";
    case TransportFailure::proxy: return "the proxy could not be reached or refused the connection";
    case TransportFailure::tls_handshake: return "the TLS handshake failed";
    case TransportFailure::tls_verify: return "the server's TLS certificate could not be verified";
    case TransportFailure::tls: return "TLS could not be set up (a certificate, key or CA file is unusable)";
    case TransportFailure::timeout: return "no progress: the connection or the transfer stalled and timed out";
    case TransportFailure::send: return "the connection broke while sending";
    case TransportFailure::receive: return "the connection was reset or closed before the whole response came";
    case TransportFailure::aborted: return "the transfer was aborted";
    case TransportFailure::other: break;
  }
  return "the request failed";
}

std::string HttpResponse::header(std::string_view name) const {
  std::string key = ascii_lower(name);
  for (const auto& [k, v] : headers)
    if (k == key) return v;
  return "";
}

std::vector<std::string> HttpResponse::all(std::string_view name) const {
  std::string key = ascii_lower(name);
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (k == key) out.push_back(v);
  return out;
}

struct HttpClient::Pool {
  std::mutex mutex;
  std::vector<CurlEasy> idle;

  CurlEasy take() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CurlEasy h = std::move(idle.back());
        idle.pop_back();
        return h;
      }
    }
    return CurlEasy();
  }
  void give_back(CurlEasy h) {
    std::lock_guard lock(mutex);
    if (idle.size() < 16) idle.push_back(std::move(h));
  }
};

HttpClient::HttpClient(HttpClientOptions options) : pool_(std::make_unique<Pool>()), options_(std::move(options)) {}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest& request, const TlsOptions& tls) {
  CurlEasy h = pool_->take();
  h.reset();
  HttpResponse response;
  Transfer t;
  t.request = &request;
  t.response = &response;

  h.set(CURLOPT_URL, request.url.c_str());
  h.set(CURLOPT_PROTOCOLS_STR, "http,https");
  h.use_network_env(options_.network, request.url);
  h.set(CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
  h.set(CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled connection is a failed one, to be retried
  h.set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall_after.count()));
  h.set(CURLOPT_BUFFERSIZE, 512L * 1024);
  h.set(CURLOPT_UPLOAD_BUFFERSIZE, 512L * 1024);
  h.set(CURLOPT_SSL_VERIFYPEER, tls.verify && !tls.sniff ? 1L : 0L);
  h.set(CURLOPT_SSL_VERIFYHOST, tls.verify && !tls.sniff ? 2L : 0L);
  if (tls.sniff) {
    h.set(CURLOPT_CAINFO, static_cast<const char*>(nullptr));
    h.set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
  } else {
    if (!tls.ca_file.empty()) h.set(CURLOPT_CAINFO, tls.ca_file.c_str());
    if (!tls.ca_dir.empty()) h.set(CURLOPT_CAPATH, tls.ca_dir.c_str());
  }
  if (!tls.client_cert.empty()) {
    h.set(CURLOPT_SSLCERT, tls.client_cert.c_str());
    h.set(CURLOPT_SSLKEY, tls.client_key.c_str());
  }
  h.set(CURLOPT_HEADERFUNCTION, &on_header);
  h.set(CURLOPT_HEADERDATA, &t);
  h.set(CURLOPT_WRITEFUNCTION, &on_write);
  h.set(CURLOPT_WRITEDATA, &t);

  std::vector<std::string> headers = request.headers;
  headers.emplace_back("Expect:");  // no 100-continue round trip
  if (request.method == "HEAD") {
    h.set(CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    if (request.body) t.reader = request.body->open();
    h.set(CURLOPT_UPLOAD, 1L);
    h.set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
    h.set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body ? request.body->size() : 0));
    h.set(CURLOPT_READFUNCTION, &on_read);
    h.set(CURLOPT_READDATA, &t);
    if (request.on_upload) {
      h.set(CURLOPT_XFERINFOFUNCTION, &on_xferinfo);
      h.set(CURLOPT_XFERINFODATA, &t);
      h.set(CURLOPT_NOPROGRESS, 0L);
    }
  }
  h.set_headers(headers);

  CURLcode rc = h.perform();
  std::string where = request.method + " " + strip_url_userinfo(request.url);
  if (rc != CURLE_OK) {
    // The handle is dropped, not pooled: after a failed transfer libcurl may refuse options a fresh one takes
    // (CURLOPT_BUFFERSIZE once its buffer exists), and the retry deserves a fresh connection anyway.
    std::string text = redact_url_userinfo(h.error_text(rc));
    if (options_.debug) options_.debug(where + " -> failed: " + text);
    if (t.error) std::rethrow_exception(t.error);
    if (t.too_large)
      throw Error(where + ": response larger than " + std::to_string(request.max_body) + " bytes");
    TransportFailure kind = classify(rc);
    if (text.find("CONNECT tunnel failed") != std::string::npos) kind = TransportFailure::proxy;
    const bool wants_client_cert = text.find("certificate required") != std::string::npos;
    if (wants_client_cert) kind = TransportFailure::tls_handshake;  // TLS 1.3 reports it on the first read
    std::string cause = transport_cause(kind);
    if (wants_client_cert) cause += " (the server requires a client certificate: certs.d/HOST/client.cert)";
    if (auto r = text.find("response "); kind == TransportFailure::proxy && r != std::string::npos)
      cause += " (it answered " + text.substr(r + 9) + ")";
    // A certificate problem is only actionable with its detail ("self-signed certificate", "expired").
    if (kind == TransportFailure::tls_verify || kind == TransportFailure::tls) cause += " (" + text + ")";
    throw TransportError(kind, where + ": " + cause);
  }
  response.status = h.response_code();
  pool_->give_back(std::move(h));
  if (options_.debug) options_.debug(where + " -> " + std::to_string(response.status));
  if (response.status == 407)
    throw TransportError(TransportFailure::proxy, where + ": " + transport_cause(TransportFailure::proxy) +
                                                      " (it answered 407: give its user and password in the proxy URL)");
  return response;
}

}  // namespace hoist::registry
