// See forge_server.hpp.
#include "tests/support/forge_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <stdexcept>

#include "tests/support/command.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/scripted_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace hoist::test {
namespace {

std::string git_out(const std::filesystem::path& repo, std::vector<std::string> args, const std::string& input = "") {
  std::vector<std::string> full{"-C", repo.string()};
  full.insert(full.end(), args.begin(), args.end());
  Command c = git_command(full);
  c.input = input;
  CommandResult r = run_command(c);
  if (!r.ok()) throw std::runtime_error("git " + args.front() + " failed: " + r.err + r.out);
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

ForgeAnswer dispatch(ForgeState& state, const ForgeCall& call) {
  switch (state.dialect) {
    case ForgeDialect::github: return handle_github(state, call);
    case ForgeDialect::gitlab: return handle_gitlab(state, call);
    case ForgeDialect::bitbucket: return handle_bitbucket(state, call);
  }
  throw ForgeRefusal{500, "no dialect"};
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<ForgeState> state) : state_(std::move(state)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
    ForgeCall call;
    call.method = req.getMethod();
    Poco::URI uri(req.getURI());
    call.path = req.getURI().substr(0, req.getURI().find('?'));  // raw: GitLab's project id holds %2F
    for (const auto& [k, v] : uri.getQueryParameters()) call.query[k] = v;
    for (const auto& [k, v] : req) {
      std::string name = k;
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      call.headers[name] = v;
    }
    std::string raw;
    Poco::StreamCopier::copyToString(req.stream(), raw);
    ForgeAnswer answer;
    std::lock_guard lock(state_->mutex);
    try {
      if (!raw.empty()) {
        call.body = nlohmann::json::parse(raw, nullptr, false);
        if (call.body.is_discarded()) throw ForgeRefusal{400, "the body is not JSON"};
        if (req.getContentType().rfind("application/json", 0) != 0)
          throw ForgeRefusal{415, "Content-Type is '" + req.getContentType() + "', not application/json"};
      }
      answer = dispatch(*state_, call);
    } catch (const ForgeRefusal& r) {
      state_->refusals.push_back(call.method + " " + call.path + ": " + r.why);
      answer = {r.status, {{"message", r.why}}};
    } catch (const std::exception& e) {
      state_->refusals.push_back(call.method + " " + call.path + ": " + e.what());
      answer = {500, {{"message", e.what()}}};
    }
    state_->log.push_back(call.method + " " + req.getURI() + " -> " + std::to_string(answer.status));
    res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    res.setContentType("application/json; charset=utf-8");
    const std::string out = answer.body.is_null() ? "" : answer.body.dump();
    res.setContentLength(static_cast<std::streamsize>(out.size()));
    res.send() << out;
  }

 private:
  std::shared_ptr<ForgeState> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<ForgeState> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<ForgeState> state_;
};

const char* type_of(const nlohmann::json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_object()) return "object";
  return "other";
}

}  // namespace

std::string ForgeState::head(const std::string& branch) const {
  Command c = git_command({"-C", repo.string(), "rev-parse", "--verify", "--quiet", "refs/heads/" + branch});
  CommandResult r = run_command(c);
  if (!r.ok()) return "";
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string ForgeState::merge(const std::string& source, const std::string& target, const std::string& message,
                              bool squash) {
  const std::string theirs = head(source), ours = head(target);
  if (theirs.empty() || ours.empty()) throw std::runtime_error("no branch " + (theirs.empty() ? source : target));
  Command c = git_command({"-C", repo.string(), "merge-tree", "--write-tree", ours, theirs});
  CommandResult r = run_command(c);
  if (!r.ok()) throw std::runtime_error("merge conflict between " + source + " and " + target);
  std::string tree = r.out.substr(0, r.out.find('\n'));
  std::vector<std::string> args{"commit-tree", tree, "-p", ours};
  if (!squash) args.insert(args.end(), {"-p", theirs});
  args.insert(args.end(), {"-F", "-"});
  const std::string commit = git_out(repo, args, message);
  git_out(repo, {"update-ref", "refs/heads/" + target, commit, ours});
  return commit;
}

std::map<std::string, std::string> ForgeState::latest_statuses(const std::string& sha) const {
  std::map<std::string, std::string> out;
  for (const auto& s : statuses)
    if (s.sha == sha) out[s.context] = s.state;
  return out;
}

void require_fields(const nlohmann::json& body, const std::vector<std::string>& required,
                    const std::vector<std::string>& optional) {
  if (!body.is_object()) throw ForgeRefusal{400, "the body must be a JSON object"};
  std::map<std::string, std::string> allowed;
  for (const auto* list : {&required, &optional})
    for (const auto& f : *list) allowed[f.substr(0, f.find(':'))] = f.substr(f.find(':') + 1);
  for (const auto& [k, v] : body.items()) {
    auto it = allowed.find(k);
    if (it == allowed.end()) throw ForgeRefusal{422, "unknown field '" + k + "'"};
    if (it->second != type_of(v)) throw ForgeRefusal{422, "field '" + k + "' must be a " + it->second};
  }
  for (const auto& f : required) {
    const std::string name = f.substr(0, f.find(':'));
    if (!body.contains(name)) throw ForgeRefusal{422, "missing field '" + name + "'"};
  }
}

void require_query(const ForgeCall& call, const std::vector<std::string>& allowed) {
  for (const auto& [k, _] : call.query)
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      throw ForgeRefusal{400, "unknown query parameter '" + k + "'"};
}

struct ForgeServer::Server {
  Poco::Net::ServerSocket socket;
  Poco::Net::HTTPServer http;
  Server(std::shared_ptr<ForgeState> state, Poco::Net::ServerSocket s)
      : socket(s), http(new Factory(std::move(state)), s, new Poco::Net::HTTPServerParams) {}
};

ForgeServer::ForgeServer(ForgeDialect dialect, std::filesystem::path bare_repo, std::string project,
                         std::filesystem::path github_spec)
    : state_(std::make_shared<ForgeState>()) {
  state_->dialect = dialect;
  state_->repo = std::move(bare_repo);
  state_->project = std::move(project);
  state_->github_spec = std::move(github_spec);
  state_->token = (dialect == ForgeDialect::gitlab ? "glpat-" : dialect == ForgeDialect::github ? "ghp_" : "bbat-") +
                  random_hex(16);
  add_secret("forge token", state_->token);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  server_ = std::make_unique<Server>(state_, socket);
  state_->base_url = "http://127.0.0.1:" + std::to_string(socket.address().port());
  server_->http.start();
}

ForgeServer::~ForgeServer() { server_->http.stopAll(true); }

void ForgeServer::use_github_spec(const std::filesystem::path& spec) {
  std::lock_guard lock(state_->mutex);
  state_->github_spec = spec;
}

std::string ForgeServer::base_url() const { return state_->base_url; }

std::string ForgeServer::api_url() const {
  switch (state_->dialect) {
    case ForgeDialect::github: return state_->base_url;
    case ForgeDialect::gitlab: return state_->base_url + "/api/v4";
    case ForgeDialect::bitbucket: return state_->base_url + "/2.0";
  }
  return state_->base_url;
}

std::vector<ForgeMergeRequest> ForgeServer::merge_requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::vector<ForgeStatus> ForgeServer::statuses() const {
  std::lock_guard lock(state_->mutex);
  return state_->statuses;
}

std::string ForgeServer::status_of(const std::string& sha, const std::string& context) const {
  std::lock_guard lock(state_->mutex);
  auto all = state_->latest_statuses(sha);
  auto it = all.find(context);
  return it == all.end() ? "" : it->second;
}

std::vector<std::string> ForgeServer::log() const {
  std::lock_guard lock(state_->mutex);
  return state_->log;
}

std::vector<std::string> ForgeServer::refusals() const {
  std::lock_guard lock(state_->mutex);
  return state_->refusals;
}

std::string ForgeServer::merge_in_ui(int id, bool squash, const std::string& message) {
  std::lock_guard lock(state_->mutex);
  for (auto& mr : state_->requests)
    if (mr.id == id && mr.state == "open") {
      mr.merge_commit = state_->merge(mr.source, mr.target, message, squash);
      mr.state = "merged";
      return mr.merge_commit;
    }
  throw std::runtime_error("no open request " + std::to_string(id));
}

}  // namespace hoist::test
