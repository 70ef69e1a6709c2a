#pragma once
// Finding the places an edit applies to in parsed documents: every match of a key path, and a walk over every
// mapping value and sequence item (for image and marker edits, and for the uses of an anchored value).

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "steps/yamledit/document.hpp"
#include "steps/yamledit/key_path.hpp"

namespace hoist::yamledit {

// One place an edit applies to.
struct Found {
  std::size_t doc = 0;
  std::vector<PathSegment> concrete;  // key and index segments, for the oracle
  std::string readable;             // for messages and Change::path
  YAML::Node node;                  // the value
  std::optional<YAML::Node> key;    // its key, when it is a mapping value
  bool flow = false;                // inside a flow collection
  std::optional<YAML::Node> parent; // the mapping it is a value of, when it is one
};

inline bool is_flow(const YAML::Node& n) { return n.Style() == YAML::EmitterStyle::Flow; }

// Every place WANT matches, in every document (aliases followed: two matches may be one node). When there is none,
// `miss` says why, for the deepest part of the path that matched ("no such key (closest: image.tag)").
std::vector<Found> find_key_path(const Documents& docs, const std::vector<PathSegment>& want, std::string& miss);


// Calls `visit` for every mapping value and sequence item of every document.
template <class Visit>
void visit_values(const Found& at, Visit& visit, int depth) {
  if (depth > 500) return;
  const YAML::Node& node = at.node;
  bool flow = at.flow || is_flow(node);
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      Found next = at;
      next.concrete.push_back(key_seg(it->first.Scalar()));
      next.readable += to_string(next.concrete.back(), at.concrete.empty());
      next.node.reset(it->second);
      next.key.reset();
      next.key.emplace(it->first);
      next.parent.reset();
      next.parent.emplace(node);
      next.flow = flow;
      visit(next);
      visit_values(next, visit, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (std::size_t j = 0; j < node.size(); ++j) {
      Found next = at;
      next.concrete.push_back(index_seg(j));
      next.readable += to_string(next.concrete.back(), false);
      next.node.reset(node[j]);
      next.key.reset();
      next.parent.reset();
      next.flow = flow;
      visit(next);
      visit_values(next, visit, depth + 1);
    }
  }
}

template <class Visit>
void visit_all(const Documents& docs, Visit visit) {
  for (std::size_t d = 0; d < docs.docs.size(); ++d) {
    Found root;
    root.doc = d;
    root.node.reset(docs.docs[d]);
    visit_values(root, visit, 0);
  }
}


}  // namespace hoist::yamledit
