#pragma once
// A code forge's merge (pull) requests and commit statuses: what promotion by merge request needs of GitHub, GitLab
// and Bitbucket Cloud, behind one interface so the promotion does not know which forge it talks to. Each forge is a
// few REST calls over the registry client's HttpClient (steps/registry/http.hpp), JSON in and out, the token in a
// header only; every request is logged as "METHOD url -> status" (no token, ever).
//
//   auto forge = make_forge(address, token, http_options);
//   MergeRequest mr = open_or_update(*forge, {"hoist/promote/api/prod/0123456789ab", "prod", title, body});
//   forge->set_status(commit, {StatusState::failure, "hoist/gate", "2 approvals needed, 0 given", mr.url});

#include <optional>
#include <string>

namespace hoist::forge {

// One merge request (GitLab), pull request (GitHub, Bitbucket).
struct MergeRequest {
  std::string id;            // GitHub's and Bitbucket's number, GitLab's iid: what its URL and the API name it by
  std::string url;           // the page people open
  std::string source;        // its branch
  std::string target;        // the branch it merges into
  std::string head;          // the commit its source branch points at, as the forge saw it
  bool open = true;
  bool merged = false;
  std::string merge_commit;  // once merged: the commit the target branch got (merge or squash), when the forge says
};

// What a merge request should say.
struct MergeRequestSpec {
  std::string source;
  std::string target;
  std::string title;
  std::string description;   // Markdown
};

enum class StatusState { pending, success, failure };

// A commit status (GitHub, GitLab) or build status (Bitbucket) on one commit.
struct CommitStatus {
  StatusState state = StatusState::pending;
  std::string context = "hoist/gate";  // GitHub's context, GitLab's name, Bitbucket's key
  std::string description;             // one line; forges cut it (GitHub at 140 characters)
  std::string target_url;              // where it links to; may be empty (Bitbucket then gets the request's page)
};

class Forge {
 public:
  virtual ~Forge() = default;
  // "GitHub", "GitLab", "Bitbucket": for messages.
  virtual std::string name() const = 0;
  // The open request from SOURCE into TARGET, if there is one.
  virtual std::optional<MergeRequest> find_open(const std::string& source, const std::string& target) = 0;
  virtual MergeRequest get(const std::string& id) = 0;
  virtual MergeRequest open(const MergeRequestSpec& spec) = 0;
  // Sets the title and description of an open request.
  virtual MergeRequest update(const std::string& id, const MergeRequestSpec& spec) = 0;
  virtual void set_status(const std::string& commit, const CommitStatus& status) = 0;
  // Merges request ID with a merge commit of MESSAGE, only if its source still points at HEAD (the commit whose
  // status Hoist set); returns the commit the target branch got. Throws hoist::Error with the forge's reason
  // when it refuses (a required check failed, the head moved, a conflict).
  virtual std::string merge(const std::string& id, const std::string& head, const std::string& message) = 0;
};

// The open request from spec.source into spec.target, updated to say what SPEC says; or a new one.
// `created` tells which.
MergeRequest open_or_update(Forge& forge, const MergeRequestSpec& spec, bool* created = nullptr);

}  // namespace hoist::forge
