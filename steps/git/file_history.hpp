#pragma once
// The commits of a branch that changed one file, newest first, with their authors and `Hoist-*` trailers: what
// `hoist status`, `hoist history` and `hoist rollback` read, and where the gate finds who built or bumped a digest.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "steps/git/git_handles.hpp"
#include "steps/git/trailers.hpp"

namespace hoist {

struct CommitInfo {
  std::string id;
  std::string author_name;
  std::string author_email;
  int64_t time = 0;         // author time, seconds since the epoch
  std::string summary;      // first line of the message
  Trailers trailers;        // in message order

  // The last value of trailer KEY (exact key), if any; all values, in order.
  std::optional<std::string> trailer(const std::string& key) const;
  std::vector<std::string> trailer_values(const std::string& key) const;
};

// Commits reachable from TIP (hex id) in which PATH differs from the first parent (or appears), newest first;
// at most `limit` (0: all). Each carries the trailers that speak for PATH (trailers_for_file).
std::vector<CommitInfo> file_history(git_repository* repo, const std::string& tip, const std::string& path,
                                     size_t limit = 0);

// One commit's details.
CommitInfo commit_info(git_repository* repo, const std::string& id);

}  // namespace hoist
