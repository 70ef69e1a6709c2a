// See gitlab.hpp.

#include "steps/forge/gitlab.hpp"

#include "runner/util/errors.hpp"
#include "runner/util/url_userinfo.hpp"

namespace hoist::forge {
namespace {

MergeRequest from_mr(const nlohmann::json& j) {
  MergeRequest m;
  m.id = json_text(j, {"iid"});
  m.url = json_text(j, {"web_url"});
  m.source = json_text(j, {"source_branch"});
  m.target = json_text(j, {"target_branch"});
  m.head = json_text(j, {"sha"});
  const std::string state = json_text(j, {"state"});
  m.open = state == "opened";
  m.merged = state == "merged";
  m.merge_commit = json_text(j, {"merge_commit_sha"});
  if (m.merge_commit.empty()) m.merge_commit = json_text(j, {"squash_commit_sha"});
  return m;
}

const char* state_name(StatusState s) {
  switch (s) {
    case StatusState::success: return "success";
    case StatusState::failure: return "failed";
    case StatusState::pending: return "pending";
  }
  return "pending";
}

class GitLab : public Forge {
 public:
  GitLab(const ForgeAddress& a, const std::string& token, const ForgeHttpOptions& options)
      : api_("GitLab", a.api, {"PRIVATE-TOKEN: " + token, "User-Agent: hoist"}, options),
        project_("/projects/" + percent_encode(a.project)) {}

  std::string name() const override { return "GitLab"; }

  std::optional<MergeRequest> find_open(const std::string& source, const std::string& target) override {
    ForgeReply r = api_.call("GET", project_ + "/merge_requests?state=opened&source_branch=" + percent_encode(source) +
                                        "&target_branch=" + percent_encode(target));
    return open_request_in(r.body, from_mr, source, target, "GitLab", "merge requests");
  }

  MergeRequest get(const std::string& id) override {
    return from_mr(api_.call("GET", project_ + "/merge_requests/" + id).body);
  }

  MergeRequest open(const MergeRequestSpec& s) override {
    return from_mr(api_.call("POST", project_ + "/merge_requests",
                             {{"source_branch", s.source},
                              {"target_branch", s.target},
                              {"title", s.title},
                              {"description", cut(s.description, 1000000)}})
                       .body);
  }

  MergeRequest update(const std::string& id, const MergeRequestSpec& s) override {
    return from_mr(api_.call("PUT", project_ + "/merge_requests/" + id,
                             {{"title", s.title}, {"description", cut(s.description, 1000000)}})
                       .body);
  }

  void set_status(const std::string& commit, const CommitStatus& s) override {
    nlohmann::json j{{"state", state_name(s.state)}, {"name", s.context}, {"description", cut(s.description, 255)}};
    if (!s.target_url.empty()) j["target_url"] = s.target_url;
    api_.call("POST", project_ + "/statuses/" + commit, j);
  }

  std::string merge(const std::string& id, const std::string& head, const std::string& message) override {
    MergeRequest m = from_mr(
        api_.call("PUT", project_ + "/merge_requests/" + id + "/merge", {{"merge_commit_message", message}, {"sha", head}})
            .body);
    if (!m.merged || m.merge_commit.empty())
      throw Error("GitLab did not merge merge request !" + id + " (it is " + (m.open ? "still open" : "closed") + ")");
    return m.merge_commit;
  }

 private:
  ForgeApi api_;
  std::string project_;
};

}  // namespace

std::unique_ptr<Forge> make_gitlab(const ForgeAddress& address, const std::string& token,
                                   const ForgeHttpOptions& options) {
  return std::make_unique<GitLab>(address, token, options);
}

}  // namespace hoist::forge
