// See github.hpp.

#include "steps/forge/github.hpp"

#include "runner/util/errors.hpp"
#include "runner/util/url_userinfo.hpp"

namespace hoist::forge {
namespace {

MergeRequest from_pull(const nlohmann::json& j) {
  MergeRequest m;
  m.id = json_text(j, {"number"});
  m.url = json_text(j, {"html_url"});
  m.source = json_text(j, {"head", "ref"});
  m.target = json_text(j, {"base", "ref"});
  m.head = json_text(j, {"head", "sha"});
  m.open = json_text(j, {"state"}) == "open";
  m.merged = (j.contains("merged") && j["merged"].is_boolean() && j["merged"].get<bool>()) ||
             !json_text(j, {"merged_at"}).empty();
  if (m.merged) m.merge_commit = json_text(j, {"merge_commit_sha"});
  return m;
}

const char* state_name(StatusState s) {
  switch (s) {
    case StatusState::success: return "success";
    case StatusState::failure: return "failure";
    case StatusState::pending: return "pending";
  }
  return "pending";
}

class GitHub : public Forge {
 public:
  GitHub(const ForgeAddress& a, const std::string& token, const ForgeHttpOptions& options)
      : api_("GitHub", a.api,
             {"Authorization: Bearer " + token, "Accept: application/vnd.github+json",
              "X-GitHub-Api-Version: 2022-11-28", "User-Agent: hoist"},
             options),
        repo_("/repos/" + a.project),
        owner_(a.project.substr(0, a.project.find('/'))) {}

  std::string name() const override { return "GitHub"; }

  std::optional<MergeRequest> find_open(const std::string& source, const std::string& target) override {
    ForgeReply r = api_.call("GET", repo_ + "/pulls?state=open&head=" + percent_encode(owner_ + ":" + source) +
                                        "&base=" + percent_encode(target));
    return open_request_in(r.body, from_pull, source, target, "GitHub", "pull requests");
  }

  MergeRequest get(const std::string& id) override { return from_pull(api_.call("GET", repo_ + "/pulls/" + id).body); }

  MergeRequest open(const MergeRequestSpec& s) override {
    return from_pull(api_.call("POST", repo_ + "/pulls",
                               {{"title", s.title}, {"head", s.source}, {"base", s.target}, {"body", body(s)}})
                         .body);
  }

  MergeRequest update(const std::string& id, const MergeRequestSpec& s) override {
    return from_pull(api_.call("PATCH", repo_ + "/pulls/" + id, {{"title", s.title}, {"body", body(s)}}).body);
  }

  void set_status(const std::string& commit, const CommitStatus& s) override {
    nlohmann::json j{{"state", state_name(s.state)}, {"context", s.context}, {"description", cut(s.description, 140)}};
    if (!s.target_url.empty()) j["target_url"] = s.target_url;
    api_.call("POST", repo_ + "/statuses/" + commit, j);
  }

  std::string merge(const std::string& id, const std::string& head, const std::string& message) override {
    const auto nl = message.find('\n');
    const std::string title = message.substr(0, nl);
    std::string rest = nl == std::string::npos ? "" : message.substr(nl + 1);
    while (!rest.empty() && rest.front() == '\n') rest.erase(0, 1);
    ForgeReply r = api_.call("PUT", repo_ + "/pulls/" + id + "/merge",
                             {{"commit_title", title}, {"commit_message", rest}, {"sha", head}, {"merge_method", "merge"}});
    std::string sha = json_text(r.body, {"sha"});
    if (sha.empty()) throw Error("GitHub merged pull request #" + id + " but did not say into which commit");
    return sha;
  }

 private:
  static std::string body(const MergeRequestSpec& s) { return cut(s.description, 65000); }

  ForgeApi api_;
  std::string repo_, owner_;
};

}  // namespace

std::unique_ptr<Forge> make_github(const ForgeAddress& address, const std::string& token,
                                   const ForgeHttpOptions& options) {
  return std::make_unique<GitHub>(address, token, options);
}

}  // namespace hoist::forge
