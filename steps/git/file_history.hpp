#pragma once
// The commits of a branch that changed one file, newest first, with their authors and `Hoist-*` trailers: what
// `hoist status`, `hoist history` and `hoist rollback` read, and where the gate finds who built or bumped a digest.

#include <cstdint>
#include <functional>
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

// The first-parent history of TIP (hex id): the commits in which PATH differs from the first parent (or appears),
// newest first; at most `limit` (0: all). A merge commit without Hoist-* trailers of its own (merged in a forge's
// UI) carries the trailers and summary of the commit it merged, so a promotion merged by merge request reads like
// one pushed; a squash carries what its message says; each carries the trailers that speak for
// PATH (trailers_for_file).
//
// WANTED, when given, is asked first about each commit (as it would be returned, trailers narrowed to PATH); a
// commit it refuses is left out without reading any tree. A history walk spends its time reading trees (a
// repository of 2,000 services has a 2,000-entry root tree per commit), so a caller that only cares about commits
// recording something in their messages walks a long history at the cost of reading commits.
std::vector<CommitInfo> file_history(git_repository* repo, const std::string& tip, const std::string& path,
                                     size_t limit = 0,
                                     const std::function<bool(const CommitInfo&)>& wanted = {});

// One commit's details.
CommitInfo commit_info(git_repository* repo, const std::string& id);

}  // namespace hoist
