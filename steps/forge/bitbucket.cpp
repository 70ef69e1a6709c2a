// See bitbucket.hpp.

#include "steps/forge/bitbucket.hpp"

#include "runner/util/errors.hpp"
#include "runner/util/url_userinfo.hpp"
#include "steps/http/base64.hpp"

namespace hoist::forge {
namespace {

MergeRequest from_pr(const nlohmann::json& j) {
  MergeRequest m;
  m.id = json_text(j, {"id"});
  m.url = json_text(j, {"links", "html", "href"});
  m.source = json_text(j, {"source", "branch", "name"});
  m.target = json_text(j, {"destination", "branch", "name"});
  m.head = json_text(j, {"source", "commit", "hash"});  // Bitbucket often gives 12 hex digits only
  const std::string state = json_text(j, {"state"});
  m.open = state == "OPEN";
  m.merged = state == "MERGED";
  m.merge_commit = json_text(j, {"merge_commit", "hash"});
  return m;
}

const char* state_name(StatusState s) {
  switch (s) {
    case StatusState::success: return "SUCCESSFUL";
    case StatusState::failure: return "FAILED";
    case StatusState::pending: return "INPROGRESS";
  }
  return "INPROGRESS";
}

std::string auth_header(const std::string& token) {
  if (token.find(':') != std::string::npos) return "Authorization: Basic " + base64_encode(token);
  return "Authorization: Bearer " + token;
}

// Bitbucket's query language: a string literal in double quotes.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class Bitbucket : public Forge {
 public:
  Bitbucket(const ForgeAddress& a, const std::string& token, const ForgeHttpOptions& options)
      : api_("Bitbucket", a.api, {auth_header(token), "User-Agent: hoist"}, options),
        repo_("/repositories/" + a.project),
        base_(a.api) {}

  std::string name() const override { return "Bitbucket"; }

  std::optional<MergeRequest> find_open(const std::string& source, const std::string& target) override {
    const std::string q = "source.branch.name=" + quoted(source) + " AND destination.branch.name=" + quoted(target);
    ForgeReply r = api_.call("GET", repo_ + "/pullrequests?state=OPEN&q=" + percent_encode(q));
    const nlohmann::json page = r.body.is_object() && r.body.contains("values") ? r.body["values"] : nlohmann::json();
    return open_request_in(page, from_pr, source, target, "Bitbucket", "pull requests");
  }

  MergeRequest get(const std::string& id) override {
    return from_pr(api_.call("GET", repo_ + "/pullrequests/" + id).body);
  }

  MergeRequest open(const MergeRequestSpec& s) override {
    return from_pr(api_.call("POST", repo_ + "/pullrequests",
                             {{"title", s.title},
                              {"description", cut(s.description, 60000)},
                              {"source", {{"branch", {{"name", s.source}}}}},
                              {"destination", {{"branch", {{"name", s.target}}}}}})
                       .body);
  }

  MergeRequest update(const std::string& id, const MergeRequestSpec& s) override {
    return from_pr(api_.call("PUT", repo_ + "/pullrequests/" + id,
                             {{"title", s.title}, {"description", cut(s.description, 60000)}})
                       .body);
  }

  void set_status(const std::string& commit, const CommitStatus& s) override {
    nlohmann::json j{{"key", s.context},
                     {"state", state_name(s.state)},
                     {"name", s.context},
                     {"description", cut(s.description, 255)},
                     // Bitbucket requires a link: the commit itself when there is no request page to give
                     {"url", s.target_url.empty() ? base_ + repo_ + "/commit/" + commit : s.target_url}};
    api_.call("POST", repo_ + "/commit/" + commit + "/statuses/build", j);
  }

  std::string merge(const std::string& id, const std::string& head, const std::string& message) override {
    MergeRequest now = get(id);
    if (now.head.empty() || head.rfind(now.head, 0) != 0)
      throw Error("Bitbucket pull request #" + id + " now points at " + now.head + ", not " + head.substr(0, 12) +
                  ": not merged");
    MergeRequest m = from_pr(api_.call("POST", repo_ + "/pullrequests/" + id + "/merge",
                                       {{"type", "pullrequest_merge_parameters"},
                                        {"message", message},
                                        {"merge_strategy", "merge_commit"},
                                        {"close_source_branch", false}})
                                 .body);
    if (!m.merged || m.merge_commit.empty())
      throw Error("Bitbucket did not merge pull request #" + id);
    return m.merge_commit;
  }

 private:
  ForgeApi api_;
  std::string repo_, base_;
};

}  // namespace

std::unique_ptr<Forge> make_bitbucket(const ForgeAddress& address, const std::string& token,
                                      const ForgeHttpOptions& options) {
  return std::make_unique<Bitbucket>(address, token, options);
}

}  // namespace hoist::forge
