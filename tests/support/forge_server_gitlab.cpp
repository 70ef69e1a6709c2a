// GitLab's side of ForgeServer (see forge_server.hpp): the merge requests and commit status endpoints of REST API
// v4 as GitLab documents them (docs.gitlab.com/api/merge_requests, /api/commits#set-the-pipeline-status-of-a-commit),
// with the documented fields only. A project whose merge checks require the hoist/gate status: a merge request
// merges only when that status on its head is success (else 405, as GitLab answers an unmergeable request).

#include <regex>

#include "tests/support/forge_server.hpp"

namespace hoist::test {
namespace {

nlohmann::json mr_json(ForgeState& s, const ForgeMergeRequest& mr) {
  const bool merged = mr.state == "merged";
  return {{"id", 5000 + mr.id},
          {"iid", mr.id},
          {"project_id", 42},
          {"title", mr.title},
          {"description", mr.description},
          {"state", merged ? "merged" : "opened"},
          {"source_branch", mr.source},
          {"target_branch", mr.target},
          {"sha", s.head(mr.source)},
          {"merge_commit_sha", merged ? nlohmann::json(mr.merge_commit) : nlohmann::json(nullptr)},
          {"squash_commit_sha", nullptr},
          {"merged_at", merged ? nlohmann::json("2026-01-01T00:00:00.000Z") : nlohmann::json(nullptr)},
          {"web_url", "https://gitlab.example/" + s.project + "/-/merge_requests/" + std::to_string(mr.id)}};
}

ForgeMergeRequest& find(ForgeState& s, const std::string& iid) {
  for (auto& mr : s.requests)
    if (std::to_string(mr.id) == iid) return mr;
  throw ForgeRefusal{404, "404 Not found"};
}

std::string encoded_project(const std::string& project) {
  std::string out;
  for (char c : project) out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

}  // namespace

ForgeAnswer handle_gitlab(ForgeState& s, const ForgeCall& call) {
  if (call.header("private-token") != s.token) throw ForgeRefusal{401, "401 Unauthorized"};
  const std::string project = "/api/v4/projects/" + encoded_project(s.project);
  if (call.path.rfind(project + "/", 0) != 0) throw ForgeRefusal{404, "404 Project Not Found"};
  const std::string rest = call.path.substr(project.size());
  std::smatch m;

  if (rest == "/merge_requests" && call.method == "GET") {
    require_query(call, {"state", "source_branch", "target_branch", "per_page", "page"});
    nlohmann::json list = nlohmann::json::array();
    for (const auto& mr : s.requests) {
      if (call.query.count("state") && call.query.at("state") != (mr.state == "open" ? "opened" : mr.state)) continue;
      if (call.query.count("source_branch") && call.query.at("source_branch") != mr.source) continue;
      if (call.query.count("target_branch") && call.query.at("target_branch") != mr.target) continue;
      list.push_back(mr_json(s, mr));
    }
    return {200, list};
  }
  if (rest == "/merge_requests" && call.method == "POST") {
    require_query(call, {});
    require_fields(call.body, {"source_branch:string", "target_branch:string", "title:string"},
                   {"description:string", "remove_source_branch:bool", "squash:bool"});
    ForgeMergeRequest mr;
    mr.source = call.body["source_branch"];
    mr.target = call.body["target_branch"];
    mr.title = call.body["title"];
    mr.description = call.body.value("description", "");
    if (s.head(mr.source).empty()) throw ForgeRefusal{400, "source_branch does not exist"};
    for (const auto& other : s.requests)
      if (other.state == "open" && other.source == mr.source && other.target == mr.target)
        return {409, {{"message", nlohmann::json::array({"Another open merge request already exists for this source "
                                                          "branch: !" + std::to_string(other.id)})}}};
    mr.id = static_cast<int>(s.requests.size()) + 1;
    s.requests.push_back(mr);
    return {201, mr_json(s, mr)};
  }
  if (std::regex_match(rest, m, std::regex("/merge_requests/([0-9]+)"))) {
    require_query(call, {});
    ForgeMergeRequest& mr = find(s, m[1]);
    if (call.method == "GET") return {200, mr_json(s, mr)};
    if (call.method == "PUT") {
      require_fields(call.body, {}, {"title:string", "description:string", "target_branch:string", "state_event:string"});
      if (call.body.contains("title")) mr.title = call.body["title"];
      if (call.body.contains("description")) mr.description = call.body["description"];
      return {200, mr_json(s, mr)};
    }
  }
  if (std::regex_match(rest, m, std::regex("/merge_requests/([0-9]+)/merge")) && call.method == "PUT") {
    require_query(call, {});
    require_fields(call.body, {}, {"merge_commit_message:string", "sha:string", "squash:bool",
                                   "squash_commit_message:string", "should_remove_source_branch:bool"});
    ForgeMergeRequest& mr = find(s, m[1]);
    if (mr.state != "open") throw ForgeRefusal{405, "405 Method Not Allowed"};
    const std::string head = s.head(mr.source);
    if (call.body.contains("sha") && call.body["sha"] != head)
      return {409, {{"message", "SHA does not match HEAD of source branch: " + head}}};
    if (s.latest_statuses(head)["hoist/gate"] != "success") return {405, {{"message", "405 Method Not Allowed"}}};
    const bool squash = call.body.value("squash", false);
    const std::string message = squash ? call.body.value("squash_commit_message", mr.title)
                                       : call.body.value("merge_commit_message", "Merge branch '" + mr.source + "'");
    mr.merge_commit = s.merge(mr.source, mr.target, message, squash);
    mr.state = "merged";
    return {200, mr_json(s, mr)};
  }
  if (std::regex_match(rest, m, std::regex("/statuses/([0-9a-f]{40})")) && call.method == "POST") {
    require_query(call, {});
    require_fields(call.body, {"state:string"}, {"ref:string", "name:string", "context:string", "target_url:string",
                                                 "description:string"});
    const std::string state = call.body["state"];
    if (state != "pending" && state != "running" && state != "success" && state != "failed" && state != "canceled")
      throw ForgeRefusal{400, "state does not have a valid value"};
    ForgeStatus st{m[1], call.body.value("name", call.body.value("context", "default")), state,
                   call.body.value("description", ""), call.body.value("target_url", "")};
    s.statuses.push_back(st);
    return {201, {{"id", static_cast<int>(s.statuses.size())}, {"sha", st.sha}, {"status", st.state},
                  {"name", st.context}, {"description", st.description},
                  {"target_url", st.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(st.url)},
                  {"allow_failure", false}}};
  }
  throw ForgeRefusal{404, "404 Not Found: " + call.method + " " + call.path};
}

}  // namespace hoist::test
