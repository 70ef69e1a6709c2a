// GitHub's side of ForgeServer (see forge_server.hpp): pulls and commit statuses of the REST API, answered with
// bodies made from the examples of GitHub's own OpenAPI description, so Prism's response validation sees real
// shapes. Branch protection as configured for production: a pull request merges only when the hoist/gate status
// on its head is success (else 405, as GitHub answers "Required status check ... is expected").

#include <fstream>
#include <regex>

#include "tests/support/forge_server.hpp"

namespace hoist::test {
namespace {

nlohmann::json example(const ForgeState& s, const std::string& name) {
  std::ifstream in(s.github_spec);
  if (!in) throw ForgeRefusal{500, "no GitHub description at " + s.github_spec.string()};
  static std::mutex cache_mutex;
  static std::map<std::string, nlohmann::json> cache;
  std::lock_guard lock(cache_mutex);
  auto& spec = cache[s.github_spec.string()];
  if (spec.is_null()) spec = nlohmann::json::parse(in);
  return spec["components"]["examples"][name]["value"];
}

void fill(ForgeState& s, nlohmann::json& j, const ForgeMergeRequest& mr) {
  const std::string api = s.base_url + "/repos/" + s.project;
  j["number"] = mr.id;
  j["id"] = 1000 + mr.id;
  j["url"] = api + "/pulls/" + std::to_string(mr.id);
  j["html_url"] = "https://github.example/" + s.project + "/pull/" + std::to_string(mr.id);
  j["state"] = mr.state == "open" ? "open" : "closed";
  j["title"] = mr.title;
  j["body"] = mr.description;
  const std::string owner = s.project.substr(0, s.project.find('/'));
  j["head"]["ref"] = mr.source;
  j["head"]["label"] = owner + ":" + mr.source;
  j["head"]["sha"] = s.head(mr.source);
  j["base"]["ref"] = mr.target;
  j["base"]["label"] = owner + ":" + mr.target;
  j["base"]["sha"] = s.head(mr.target);
  if (j.contains("merged")) j["merged"] = mr.state == "merged";
  j["merged_at"] = mr.state == "merged" ? nlohmann::json("2026-01-01T00:00:00Z") : nlohmann::json(nullptr);
  j["closed_at"] = j["merged_at"];
  j["merge_commit_sha"] = mr.merge_commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(mr.merge_commit);
  // The description's example lists a team without its required `type`: nobody is asked to review here.
  if (j.contains("requested_teams")) j["requested_teams"] = nlohmann::json::array();
}

nlohmann::json pull(ForgeState& s, const ForgeMergeRequest& mr) {
  nlohmann::json j = example(s, "pull-request");
  fill(s, j, mr);
  return j;
}

ForgeMergeRequest& find(ForgeState& s, const std::string& number) {
  for (auto& mr : s.requests)
    if (std::to_string(mr.id) == number) return mr;
  throw ForgeRefusal{404, "Not Found"};
}

}  // namespace

ForgeAnswer handle_github(ForgeState& s, const ForgeCall& call) {
  if (call.header("authorization") != "Bearer " + s.token) throw ForgeRefusal{401, "Bad credentials"};
  if (call.header("x-github-api-version") != "2022-11-28")
    throw ForgeRefusal{400, "X-GitHub-Api-Version must be 2022-11-28"};
  const std::string repo = "/repos/" + s.project;
  if (call.path.rfind(repo + "/", 0) != 0) throw ForgeRefusal{404, "Not Found"};
  const std::string rest = call.path.substr(repo.size());
  std::smatch m;

  if (rest == "/pulls" && call.method == "GET") {
    require_query(call, {"state", "head", "base", "sort", "direction", "per_page", "page"});
    const std::string owner = s.project.substr(0, s.project.find('/'));
    nlohmann::json list = nlohmann::json::array();
    for (const auto& mr : s.requests) {
      if (call.query.count("state") && call.query.at("state") != "all" &&
          call.query.at("state") != (mr.state == "open" ? "open" : "closed"))
        continue;
      if (call.query.count("head") && call.query.at("head") != owner + ":" + mr.source) continue;
      if (call.query.count("base") && call.query.at("base") != mr.target) continue;
      nlohmann::json j = example(s, "pull-request-simple-items")[0];
      fill(s, j, mr);
      list.push_back(j);
    }
    return {200, list};
  }
  if (rest == "/pulls" && call.method == "POST") {
    require_query(call, {});
    require_fields(call.body, {"head:string", "base:string"},
                   {"title:string", "body:string", "maintainer_can_modify:bool", "draft:bool"});
    ForgeMergeRequest mr;
    mr.source = call.body["head"];
    mr.target = call.body["base"];
    mr.title = call.body.value("title", "");
    mr.description = call.body.value("body", "");
    if (s.head(mr.source).empty() || s.head(mr.target).empty())
      throw ForgeRefusal{422, "Validation Failed: head or base does not exist"};
    for (const auto& other : s.requests)
      if (other.state == "open" && other.source == mr.source && other.target == mr.target)
        throw ForgeRefusal{422, "Validation Failed: A pull request already exists for " + mr.source};
    mr.id = static_cast<int>(s.requests.size()) + 1;
    s.requests.push_back(mr);
    return {201, pull(s, mr)};
  }
  if (std::regex_match(rest, m, std::regex("/pulls/([0-9]+)"))) {
    require_query(call, {});
    ForgeMergeRequest& mr = find(s, m[1]);
    if (call.method == "GET") return {200, pull(s, mr)};
    if (call.method == "PATCH") {
      require_fields(call.body, {}, {"title:string", "body:string", "state:string", "base:string",
                                     "maintainer_can_modify:bool"});
      if (call.body.contains("title")) mr.title = call.body["title"];
      if (call.body.contains("body")) mr.description = call.body["body"];
      return {200, pull(s, mr)};
    }
  }
  if (std::regex_match(rest, m, std::regex("/pulls/([0-9]+)/merge")) && call.method == "PUT") {
    require_query(call, {});
    require_fields(call.body, {}, {"commit_title:string", "commit_message:string", "sha:string", "merge_method:string"});
    ForgeMergeRequest& mr = find(s, m[1]);
    if (mr.state != "open") throw ForgeRefusal{405, "Pull Request is not mergeable"};
    const std::string head = s.head(mr.source);
    if (call.body.contains("sha") && call.body["sha"] != head)
      return {409, {{"message", "Head branch was modified. Review and try the merge again."},
                    {"documentation_url", "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request"}}};
    if (s.latest_statuses(head)["hoist/gate"] != "success")
      return {405, {{"message", "Required status check \"hoist/gate\" is expected."},
                    {"documentation_url", "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request"}}};
    const std::string method = call.body.value("merge_method", "merge");
    const std::string message = call.body.value("commit_title", "Merge pull request #" + m[1].str()) + "\n\n" +
                                call.body.value("commit_message", "");
    mr.merge_commit = s.merge(mr.source, mr.target, message, method == "squash");
    mr.state = "merged";
    nlohmann::json j = example(s, "pull-request-merge-result-response-if-merge-was-successful");
    j["sha"] = mr.merge_commit;
    j["merged"] = true;
    j["message"] = "Pull Request successfully merged";
    return {200, j};
  }
  if (std::regex_match(rest, m, std::regex("/statuses/([0-9a-f]{40})")) && call.method == "POST") {
    require_query(call, {});
    require_fields(call.body, {"state:string"}, {"target_url:string", "description:string", "context:string"});
    const std::string state = call.body["state"];
    if (state != "error" && state != "failure" && state != "pending" && state != "success")
      throw ForgeRefusal{422, "state must be error, failure, pending or success"};
    ForgeStatus st{m[1], call.body.value("context", "default"), state, call.body.value("description", ""),
                   call.body.value("target_url", "")};
    s.statuses.push_back(st);
    nlohmann::json j = example(s, "status");
    j["state"] = st.state;
    j["context"] = st.context;
    j["description"] = st.description;
    j["target_url"] = st.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(st.url);
    return {201, j};
  }
  if (std::regex_match(rest, m, std::regex("/commits/([^/]+)/status")) && call.method == "GET") {
    require_query(call, {"per_page", "page"});
    std::string sha = m[1];
    if (sha.size() != 40) sha = s.head(sha);
    nlohmann::json j = example(s, "combined-commit-status");
    nlohmann::json tmpl = j["statuses"].empty() ? nlohmann::json::object() : j["statuses"][0];
    j["statuses"] = nlohmann::json::array();
    std::string overall = "success";
    for (const auto& [context, state] : s.latest_statuses(sha)) {
      nlohmann::json one = tmpl;
      one["context"] = context;
      one["state"] = state;
      j["statuses"].push_back(one);
      if (state != "success") overall = state == "pending" && overall == "success" ? "pending" : "failure";
    }
    j["state"] = j["statuses"].empty() ? "pending" : overall;
    j["sha"] = sha;
    j["total_count"] = j["statuses"].size();
    return {200, j};
  }
  throw ForgeRefusal{404, "Not Found: " + call.method + " " + call.path};
}

}  // namespace hoist::test
