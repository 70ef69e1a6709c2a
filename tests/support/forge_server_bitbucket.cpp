// Bitbucket Cloud's side of ForgeServer (see forge_server.hpp): the pull request and commit build status endpoints
// of REST API 2.0 as Atlassian documents them (developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests,
// api-group-commit-statuses), with the documented fields only. A repository whose merge checks require a
// successful build: a pull request merges only when the hoist/gate build status on its head is SUCCESSFUL.

#include <regex>

#include "tests/support/forge_server.hpp"

namespace hoist::test {
namespace {

nlohmann::json pr_json(ForgeState& s, const ForgeMergeRequest& mr) {
  const bool merged = mr.state == "merged";
  auto end = [&](const std::string& branch) {
    return nlohmann::json{{"branch", {{"name", branch}}}, {"commit", {{"hash", s.head(branch).substr(0, 12)}}}};
  };
  return {{"type", "pullrequest"},
          {"id", mr.id},
          {"title", mr.title},
          {"description", mr.description},
          {"state", merged ? "MERGED" : "OPEN"},
          {"source", end(mr.source)},
          {"destination", end(mr.target)},
          {"merge_commit", merged ? nlohmann::json{{"hash", mr.merge_commit}} : nlohmann::json(nullptr)},
          {"links", {{"html", {{"href", "https://bitbucket.example/" + s.project + "/pull-requests/" +
                                            std::to_string(mr.id)}}}}}};
}

ForgeMergeRequest& find(ForgeState& s, const std::string& id) {
  for (auto& mr : s.requests)
    if (std::to_string(mr.id) == id) return mr;
  throw ForgeRefusal{404, "There is no pull request with id " + id};
}

std::string branch_name(const nlohmann::json& end, const char* field) {
  if (!end.is_object() || end.size() != 1 || !end.contains("branch") || !end["branch"].is_object() ||
      end["branch"].size() != 1 || !end["branch"].contains("name") || !end["branch"]["name"].is_string())
    throw ForgeRefusal{400, std::string(field) + " must be {\"branch\": {\"name\": ...}}"};
  return end["branch"]["name"];
}

}  // namespace

ForgeAnswer handle_bitbucket(ForgeState& s, const ForgeCall& call) {
  if (call.header("authorization") != "Bearer " + s.token) throw ForgeRefusal{401, "Unauthorized"};
  const std::string repo = "/2.0/repositories/" + s.project;
  if (call.path.rfind(repo + "/", 0) != 0) throw ForgeRefusal{404, "Repository not found"};
  const std::string rest = call.path.substr(repo.size());
  std::smatch m;

  if (rest == "/pullrequests" && call.method == "GET") {
    require_query(call, {"state", "q", "pagelen", "page"});
    std::string want_source, want_target;
    if (call.query.count("q")) {
      std::smatch q;
      const std::string text = call.query.at("q");
      if (!std::regex_match(text, q, std::regex(R"re(source\.branch\.name="([^"]*)" AND destination\.branch\.name="([^"]*)")re")))
        throw ForgeRefusal{400, "unsupported query: " + text};
      want_source = q[1];
      want_target = q[2];
    }
    nlohmann::json values = nlohmann::json::array();
    for (const auto& mr : s.requests) {
      if (call.query.count("state") && call.query.at("state") != (mr.state == "open" ? "OPEN" : "MERGED")) continue;
      if (!want_source.empty() && (mr.source != want_source || mr.target != want_target)) continue;
      values.push_back(pr_json(s, mr));
    }
    return {200, {{"values", values}, {"pagelen", 10}, {"size", values.size()}, {"page", 1}}};
  }
  if (rest == "/pullrequests" && call.method == "POST") {
    require_query(call, {});
    require_fields(call.body, {"title:string", "source:object"},
                   {"description:string", "destination:object", "close_source_branch:bool", "reviewers:other"});
    ForgeMergeRequest mr;
    mr.title = call.body["title"];
    mr.description = call.body.value("description", "");
    mr.source = branch_name(call.body["source"], "source");
    mr.target = branch_name(call.body["destination"], "destination");
    if (s.head(mr.source).empty() || s.head(mr.target).empty()) throw ForgeRefusal{400, "branch not found"};
    for (const auto& other : s.requests)
      if (other.state == "open" && other.source == mr.source && other.target == mr.target)
        return {400, {{"type", "error"}, {"error", {{"message", "There is already an open pull request from " +
                                                                    mr.source + " to " + mr.target}}}}};
    mr.id = static_cast<int>(s.requests.size()) + 1;
    s.requests.push_back(mr);
    return {201, pr_json(s, mr)};
  }
  if (std::regex_match(rest, m, std::regex("/pullrequests/([0-9]+)"))) {
    require_query(call, {});
    ForgeMergeRequest& mr = find(s, m[1]);
    if (call.method == "GET") return {200, pr_json(s, mr)};
    if (call.method == "PUT") {
      require_fields(call.body, {}, {"title:string", "description:string", "destination:object"});
      if (call.body.contains("title")) mr.title = call.body["title"];
      if (call.body.contains("description")) mr.description = call.body["description"];
      return {200, pr_json(s, mr)};
    }
  }
  if (std::regex_match(rest, m, std::regex("/pullrequests/([0-9]+)/merge")) && call.method == "POST") {
    require_query(call, {});
    require_fields(call.body, {}, {"type:string", "message:string", "close_source_branch:bool", "merge_strategy:string"});
    ForgeMergeRequest& mr = find(s, m[1]);
    if (mr.state != "open") throw ForgeRefusal{400, "the pull request is not open"};
    const std::string strategy = call.body.value("merge_strategy", "merge_commit");
    if (strategy != "merge_commit" && strategy != "squash" && strategy != "fast_forward")
      throw ForgeRefusal{400, "unknown merge_strategy " + strategy};
    if (s.latest_statuses(s.head(mr.source))["hoist/gate"] != "SUCCESSFUL")
      return {400, {{"type", "error"}, {"error", {{"message", "You can't merge until you resolve all merge checks."}}}}};
    mr.merge_commit = s.merge(mr.source, mr.target, call.body.value("message", "Merged in " + mr.source),
                              strategy == "squash");
    mr.state = "merged";
    return {200, pr_json(s, mr)};
  }
  if (std::regex_match(rest, m, std::regex("/commit/([0-9a-f]{40})/statuses/build")) && call.method == "POST") {
    require_query(call, {});
    require_fields(call.body, {"key:string", "state:string", "url:string"},
                   {"name:string", "description:string", "refname:string"});
    const std::string state = call.body["state"];
    if (state != "SUCCESSFUL" && state != "FAILED" && state != "INPROGRESS" && state != "STOPPED")
      throw ForgeRefusal{400, "state must be SUCCESSFUL, FAILED, INPROGRESS or STOPPED"};
    if (call.body["url"].get<std::string>().empty()) throw ForgeRefusal{400, "url is required"};
    ForgeStatus st{m[1], call.body["key"], state, call.body.value("description", ""), call.body["url"]};
    s.statuses.push_back(st);
    return {201, {{"type", "commitstatus"}, {"key", st.context}, {"state", st.state}, {"name", call.body.value("name", "")},
                  {"description", st.description}, {"url", st.url}}};
  }
  throw ForgeRefusal{404, "Not Found: " + call.method + " " + call.path};
}

}  // namespace hoist::test
