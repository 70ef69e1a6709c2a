// Deciding whether a build is older than the one running (see build_order.hpp).
#include "steps/gate/build_order.hpp"

#include <algorithm>

#include "steps/gate/env_image.hpp"

namespace hoist::promote {
namespace {

std::string short_commit(const std::string& id) { return id.substr(0, 12); }

// The index of the first arrival that is the same build as B, or npos.
std::size_t first_arrival(const std::vector<BuildId>& arrivals, const BuildId& b) {
  for (std::size_t i = 0; i < arrivals.size(); ++i)
    if (arrivals[i].same_as(b)) return i;
  return std::string::npos;
}

bool less_number(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;  // digits only, no leading zeros from CI systems
}

// Older, newer, or cannot tell; with the evidence in words.
struct Order {
  std::optional<bool> older;
  std::string why;
};

Order compare(const NewerInput& in, const BuildId& running) {
  const BuildId& ours = in.ours;
  if (!ours.source_commit.empty() && ours.source_commit == running.source_commit)
    return {false, "built from the same source commit " + short_commit(ours.source_commit)};
  if (!ours.source_commit.empty() && !running.source_commit.empty() && in.ancestry) {
    if (in.ancestry(ours.source_commit, running.source_commit) == true)
      return {true, "source commit " + short_commit(ours.source_commit) + " is an ancestor of " +
                        short_commit(running.source_commit) + " (in the CI checkout)"};
    if (in.ancestry(running.source_commit, ours.source_commit) == true)
      return {false, "source commit " + short_commit(ours.source_commit) + " descends from " +
                         short_commit(running.source_commit) + " (in the CI checkout)"};
  }
  const std::size_t o = first_arrival(in.arrivals, ours), r = first_arrival(in.arrivals, running);
  if (o != std::string::npos && r != std::string::npos && o != r) {
    const bool older = o < r;
    return {older, older ? "it first ran in " + in.env + " before " + running.describe() + " replaced it (branch history)"
                         : "it first ran in " + in.env + " after " + running.describe() + " (branch history)"};
  }
  if (!ours.build_number.empty() && !running.build_number.empty() && ours.build_number != running.build_number) {
    const bool older = less_number(ours.build_number, running.build_number);
    return {older, "build " + ours.build_number + (older ? " came before build " : " came after build ") +
                       running.build_number + " (recorded build order)"};
  }
  return {std::nullopt, ""};
}

}  // namespace

bool BuildId::same_as(const BuildId& other) const {
  if (!digest.empty() && !other.digest.empty()) return digest == other.digest;
  return !source_commit.empty() && source_commit == other.source_commit;
}

std::string BuildId::describe() const {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (!source_commit.empty()) add("source " + short_commit(source_commit));
  if (!build_number.empty()) add("build " + build_number);
  if (!digest.empty()) add(short_digest(digest));
  return out.empty() ? "an unrecorded build" : out;
}

BuildId build_of(const CommitInfo& commit) {
  BuildId b;
  b.source_commit = commit.trailer("Hoist-Source-Commit").value_or("");
  b.build_number = build_number_of(commit.trailer("Hoist-Build-Number").value_or(""));
  if (auto d = commit.trailer("Hoist-Image-Digest"); d && is_digest(*d)) b.digest = *d;
  return b;
}

std::string build_number_of(const std::string& pipeline_id) {
  if (pipeline_id.empty() || pipeline_id.size() > 19 || pipeline_id[0] == '0') return "";
  for (char c : pipeline_id)
    if (c < '0' || c > '9') return "";
  return pipeline_id;
}

NewerVerdict newer_rule(const NewerInput& in) {
  if (!in.running || in.running->empty())
    return {{"newer", true, "nothing recorded runs in " + in.env + " yet"}, false};
  if (in.ours.same_as(*in.running))
    return {{"newer", true, in.env + " runs this build already (" + in.running->describe() + ")"}, false};
  const Order order = compare(in, *in.running);
  if (!order.older)
    return {{"newer", true, "no sign that " + in.ours.describe() + " is older than " + in.running->describe() +
                                ", which runs in " + in.env},
            false};
  if (!*order.older)
    return {{"newer", true, in.ours.describe() + " is newer than what runs in " + in.env + ": " + order.why}, false};
  const std::string what = in.ours.describe() + " is older than " + in.running->describe() + ", which runs in " +
                           in.env + ": " + order.why;
  if (in.allow_older)
    return {{"newer", true, what + "; allowed by " + in.allow_flag + " (recorded as Hoist-Allow-Older: true)"}, true};
  return {{"newer", false, what + ". Pass " + in.allow_flag + " to move back on purpose, or use `hoist rollback`"},
          true};
}

}  // namespace hoist::promote
