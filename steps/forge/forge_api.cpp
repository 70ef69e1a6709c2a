// See forge_api.hpp.

#include "steps/forge/forge_api.hpp"

#include <algorithm>

#include "runner/util/errors.hpp"
#include "steps/http/network_env.hpp"

namespace hoist::forge {
namespace {

// What the forge said about a refusal: GitHub's and GitLab's "message" (and GitHub's "errors"), GitLab's "error",
// Bitbucket's "error.message"; else the start of the body.
std::string forge_message(const registry::HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  std::string m;
  if (j.is_object()) {
    auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump(); };
    if (j.contains("message")) m = text(j["message"]);
    if (j.contains("error")) {
      const auto& e = j["error"];
      m += (m.empty() ? "" : ": ") + (e.is_object() && e.contains("message") ? text(e["message"]) : text(e));
    }
    if (j.contains("errors")) m += (m.empty() ? "" : ": ") + j["errors"].dump();
    if (j.contains("detail")) m += (m.empty() ? "" : ": ") + text(j["detail"]);
    if (j.contains("validation")) m += (m.empty() ? "" : ": ") + j["validation"].dump();
  }
  if (m.empty()) m = r.body.substr(0, 300);
  std::replace(m.begin(), m.end(), '\n', ' ');
  return m;
}

}  // namespace

ForgeApi::ForgeApi(std::string forge, std::string base, std::vector<std::string> headers,
                   const ForgeHttpOptions& options)
    : forge_(std::move(forge)), base_(std::move(base)), headers_(std::move(headers)) {
  registry::HttpClientOptions o;
  o.debug = options.log;
  o.network = NetworkEnv::from(options.env);
  tls_.ca_file = options.ca_file;
  http_ = std::make_shared<registry::HttpClient>(o);
}

ForgeReply ForgeApi::call(const std::string& method, const std::string& path, const nlohmann::json& body,
                          std::vector<long> also_ok) {
  registry::HttpRequest req;
  req.method = method;
  req.url = base_ + path;
  req.headers = headers_;
  if (std::none_of(headers_.begin(), headers_.end(), [](const std::string& h) { return h.rfind("Accept:", 0) == 0; }))
    req.headers.push_back("Accept: application/json");
  std::unique_ptr<registry::StringBody> payload;
  if (!body.is_null()) {
    payload = std::make_unique<registry::StringBody>(body.dump());
    req.body = payload.get();
    req.headers.push_back("Content-Type: application/json");
  }
  req.max_body = 4 * 1024 * 1024;
  registry::HttpResponse r = http_->send(req, tls_);
  const bool ok = (r.status >= 200 && r.status < 300) ||
                  std::find(also_ok.begin(), also_ok.end(), r.status) != also_ok.end();
  if (!ok)
    throw Error(forge_ + " refused " + method + " " + req.url + " (" + std::to_string(r.status) + "): " +
                forge_message(r));
  ForgeReply reply{r.status, nullptr};
  if (!r.body.empty()) {
    reply.body = nlohmann::json::parse(r.body, nullptr, false);
    if (reply.body.is_discarded())
      throw Error(forge_ + " answered " + method + " " + req.url + " (" + std::to_string(r.status) +
                  ") with a body that is not JSON");
  }
  return reply;
}

std::string json_text(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* at = &j;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return "";
    at = &(*at)[key];
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_number_integer()) return std::to_string(at->get<long long>());
  return "";
}

std::optional<MergeRequest> open_request_in(const nlohmann::json& list, MergeRequest (*read)(const nlohmann::json&),
                                            const std::string& source, const std::string& target,
                                            const std::string& forge, const std::string& what) {
  if (!list.is_array()) throw Error(forge + " answered the list of " + what + " with something else");
  for (const auto& element : list) {
    MergeRequest m = read(element);
    if (m.source == source && m.target == target && m.open) return m;
  }
  return std::nullopt;
}

std::string cut(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t n = max > 3 ? max - 3 : 0;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 sequence
  return text.substr(0, n) + "...";
}

}  // namespace hoist::forge
