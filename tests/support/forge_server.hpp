#pragma once
// Test servers for the forges Hoist opens merge requests on. No forge runs on a test machine, so these speak each
// forge's documented REST API over real HTTP (Poco::Net::HTTPServer on 127.0.0.1), for exactly the endpoints Hoist
// calls, and refuse anything else: an unknown path or method, a missing or wrong token, an unknown or missing
// field, a field of the wrong type. Every refusal is recorded (refusals()), so a test can assert there was none.
// GitHub's server is meant to sit behind Prism (scripts/start-forge-api), which validates both directions against
// GitHub's OpenAPI description; its responses are built from that description's own examples.
//
// The repository is a bare repository of the test git server, read and written directly like a forge does: a
// merge writes a merge commit (git merge-tree + commit-tree) and moves the target branch without any hook (the
// pre-receive hook that refuses pushes to production guards pushes only).

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hoist::test {

enum class ForgeDialect { github, gitlab, bitbucket };

struct ForgeMergeRequest {
  int id = 0;
  std::string source, target, title, description;
  std::string state = "open";  // open, merged
  std::string merge_commit;
};

struct ForgeStatus {
  std::string sha, context, state, description, url;  // state as the forge spells it
};

// One request as the handlers see it.
struct ForgeCall {
  std::string method;
  std::string path;                                  // without the query
  std::map<std::string, std::string> query;          // decoded
  std::map<std::string, std::string> headers;        // names lower-cased
  nlohmann::json body;                               // null without a body

  // The header NAME (lower-case), or "".
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct ForgeAnswer {
  int status = 200;
  nlohmann::json body;
};

// The state the three dialects share, and the git side of a merge. Handlers run on the server's threads under
// `mutex`.
struct ForgeState {
  std::mutex mutex;
  ForgeDialect dialect;
  std::filesystem::path repo;   // the bare repository
  std::string project;          // "acme/manifests"
  std::string token;
  std::string base_url;         // "http://127.0.0.1:PORT"
  std::filesystem::path github_spec;  // GitHub: the cut description whose examples shape the responses
  std::vector<ForgeMergeRequest> requests;
  std::vector<ForgeStatus> statuses;
  std::vector<std::string> log;       // "METHOD path?query -> status"
  std::vector<std::string> refusals;  // "METHOD path: why"

  // The commit BRANCH points at in the repository, or "".
  std::string head(const std::string& branch) const;
  // Merges SOURCE into TARGET with a merge commit of MESSAGE (squash: one commit with the source's tree change and
  // MESSAGE, one parent); returns the new commit. Throws std::runtime_error on a conflict.
  std::string merge(const std::string& source, const std::string& target, const std::string& message, bool squash);
  // The status every context of SHA has last, as the forge would show it.
  std::map<std::string, std::string> latest_statuses(const std::string& sha) const;
};

// Each dialect's handler; throws ForgeRefusal to refuse a request.
struct ForgeRefusal {
  int status;
  std::string why;
};
ForgeAnswer handle_github(ForgeState& state, const ForgeCall& call);
ForgeAnswer handle_gitlab(ForgeState& state, const ForgeCall& call);
ForgeAnswer handle_bitbucket(ForgeState& state, const ForgeCall& call);

// Strict checks the handlers share: BODY is an object with exactly fields from ALLOWED, all of REQUIRED present.
// Each entry is "name:type" with type one of string, bool, object.
void require_fields(const nlohmann::json& body, const std::vector<std::string>& required,
                    const std::vector<std::string>& optional);
// The query holds only names from ALLOWED.
void require_query(const ForgeCall& call, const std::vector<std::string>& allowed);

class ForgeServer {
 public:
  // PROJECT: the repository's path on the forge ("acme/manifests"). GITHUB_SPEC: for GitHub, the cut description
  // (scripts/start-forge-api writes it next to Prism's env file).
  ForgeServer(ForgeDialect dialect, std::filesystem::path bare_repo, std::string project,
              std::filesystem::path github_spec = {});
  ~ForgeServer();
  ForgeServer(const ForgeServer&) = delete;
  ForgeServer& operator=(const ForgeServer&) = delete;

  // "http://127.0.0.1:PORT": where Prism forwards to (GitHub).
  std::string base_url() const;
  // The API base Hoist is given as forge_url: GitHub "http://127.0.0.1:PORT", GitLab ".../api/v4",
  // Bitbucket ".../2.0".
  std::string api_url() const;
  const std::string& token() const { return state_->token; }
  // GitHub: where the cut description is, once scripts/start-forge-api wrote it.
  void use_github_spec(const std::filesystem::path& spec);

  std::vector<ForgeMergeRequest> merge_requests() const;
  std::vector<ForgeStatus> statuses() const;
  // The last state of CONTEXT on SHA, or "" when none was set.
  std::string status_of(const std::string& sha, const std::string& context = "hoist/gate") const;
  std::vector<std::string> log() const;
  std::vector<std::string> refusals() const;
  // Merges request ID as a person would in the forge's UI; returns the commit the target got.
  std::string merge_in_ui(int id, bool squash, const std::string& message);

 private:
  std::shared_ptr<ForgeState> state_;
  struct Server;
  std::unique_ptr<Server> server_;
};

}  // namespace hoist::test
