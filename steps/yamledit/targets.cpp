// Key path matching; see targets.hpp.

#include "steps/yamledit/targets.hpp"

#include <algorithm>
#include <cstdint>

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/did_you_mean.hpp"

namespace hoist::yamledit {

namespace {

using Path = std::vector<PathSegment>;

// Finds every place a key path matches in one document, remembering the deepest miss for the error message.
class KeyPathFinder {
 public:
  KeyPathFinder(const Path& want, std::vector<Found>& out) : want_(want), out_(out) {}

  void run(const YAML::Node& root, std::size_t doc) {
    Found f;
    f.doc = doc;
    f.node.reset(root);
    walk(f, 0);
  }

  const std::string& miss() const { return miss_; }

 private:
  void missed(std::size_t depth, const std::string& message) {
    if (miss_.empty() || depth > miss_depth_) {
      miss_ = message;
      miss_depth_ = depth;
    }
  }

  std::string prefix(std::size_t i) const { return to_string(Path(want_.begin(), want_.begin() + i)); }
  std::string what(std::size_t i) const { return i == 0 ? "the document" : prefix(i); }

  void walk(const Found& at, std::size_t i) {
    if (i == want_.size()) {
      out_.push_back(at);
      return;
    }
    const PathSegment& seg = want_[i];
    const YAML::Node& node = at.node;
    auto step = [&](const YAML::Node& child, PathSegment concrete, std::optional<YAML::Node> key) {
      Found next = at;
      next.concrete.push_back(std::move(concrete));
      next.readable += to_string(seg, i == 0);
      next.node.reset(child);
      next.key.reset();
      if (key) next.key.emplace(*key);
      next.flow = at.flow || is_flow(node);
      walk(next, i + 1);
    };
    if (seg.kind == PathSegment::Kind::key) {
      if (!node.IsMap()) {
        missed(i, "no such key (" + what(i) + " is " + yaml_type_name(node) + ")");
        return;
      }
      std::string closest;
      std::size_t best = SIZE_MAX;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        const std::string& k = it->first.Scalar();
        if (k == seg.key) return step(it->second, key_seg(k), it->first);
        std::size_t d = edit_distance(k, seg.key);
        if (d < best) best = d, closest = k;
      }
      if (closest.empty()) {
        missed(i, "no such key (" + what(i) + " is an empty mapping)");
      } else {
        Path p(want_.begin(), want_.begin() + i);
        p.push_back(key_seg(closest));
        missed(i, "no such key (closest: " + to_string(p) + ")");
      }
      return;
    }
    if (!node.IsSequence()) {
      missed(i, "no such item (" + what(i) + " is " + yaml_type_name(node) + ", not a sequence)");
      return;
    }
    if (seg.kind == PathSegment::Kind::index) {
      if (seg.index >= node.size()) {
        missed(i, "no such item (" + what(i) + " has " + std::to_string(node.size()) + " items)");
        return;
      }
      return step(node[seg.index], index_seg(seg.index), std::nullopt);
    }
    std::vector<std::string> values;
    bool any = false;
    for (std::size_t j = 0; j < node.size(); ++j) {
      const YAML::Node item = node[j];
      if (!item.IsMap()) continue;
      const YAML::Node field = item[seg.key];
      if (!field.IsDefined() || !field.IsScalar()) continue;  // a missing field is an invalid node: IsScalar throws
      if (field.Scalar() == seg.value) {
        any = true;
        step(item, index_seg(j), std::nullopt);
      } else {
        values.push_back(field.Scalar());
      }
    }
    if (!any) {
      std::string list;
      for (const std::string& v : values) list += (list.empty() ? "" : ", ") + v;
      missed(i, "no such item (no item of " + what(i) + " has " + seg.key + "=" + seg.value +
                    (list.empty() ? "" : "; " + seg.key + "s: " + list) + ")");
    }
  }

  const Path& want_;
  std::vector<Found>& out_;
  std::string miss_;
  std::size_t miss_depth_ = 0;
};

}  // namespace

std::vector<Found> find_key_path(const Documents& docs, const std::vector<PathSegment>& want, std::string& miss) {
  std::vector<Found> found;
  KeyPathFinder finder(want, found);
  for (std::size_t d = 0; d < docs.docs.size(); ++d) finder.run(docs.docs[d], d);
  miss = finder.miss();
  return found;
}

}  // namespace hoist::yamledit
