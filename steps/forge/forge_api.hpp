#pragma once
// The JSON-over-HTTPS exchange the three forges share: one request to API base + path with the forge's auth
// header, a JSON body in, a JSON body out, and one message shape for every refusal. Private to steps/forge/.
// Every request is logged as "METHOD url -> status" by HttpClient; the auth header never reaches a log line or
// a message.

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "steps/forge/forge.hpp"
#include "steps/registry/http.hpp"

namespace hoist::forge {

// How the forge clients reach the network.
struct ForgeHttpOptions {
  std::map<std::string, std::string> env;          // proxies and SSL_CERT_FILE/SSL_CERT_DIR (network_env.hpp)
  std::string ca_file;                             // extra CA bundle for the API; empty: the system's
  std::function<void(std::string_view line)> log;  // "METHOD url -> status"
};

struct ForgeReply {
  long status = 0;
  nlohmann::json body;  // null when the response had no JSON body
};

class ForgeApi {
 public:
  // FORGE names the forge in messages ("GitHub"); HEADERS are sent with every request (auth, Accept, ...).
  ForgeApi(std::string forge, std::string base, std::vector<std::string> headers, const ForgeHttpOptions& options);

  // METHOD base+PATH with BODY as JSON (none when null). A status outside 2xx throws hoist::Error
  // "GitHub refused POST https://api.github.com/repos/a/b/pulls (422): <the forge's message>", unless it is
  // listed in ALSO_OK, which is returned.
  ForgeReply call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr,
                  std::vector<long> also_ok = {});

  const std::string& forge() const { return forge_; }

 private:
  std::string forge_, base_;
  std::vector<std::string> headers_;
  registry::TlsOptions tls_;
  std::shared_ptr<registry::HttpClient> http_;
};

// The string (or integer, as decimal) at PATH in J ({"head", "sha"}), or "" when there is none.
std::string json_text(const nlohmann::json& j, std::initializer_list<const char*> path);

// The open request from SOURCE into TARGET in LIST, the JSON array FORGE answered a list query with (READ turns one
// element into a MergeRequest), or none. LIST not an array throws hoist::Error "GitLab answered the list of merge
// requests with something else" (FORGE, WHAT).
std::optional<MergeRequest> open_request_in(const nlohmann::json& list, MergeRequest (*read)(const nlohmann::json&),
                                            const std::string& source, const std::string& target,
                                            const std::string& forge, const std::string& what);

// TEXT cut to at most MAX bytes (ending in "..." when cut), never inside a UTF-8 character.
std::string cut(std::string text, std::size_t max);

}  // namespace hoist::forge
