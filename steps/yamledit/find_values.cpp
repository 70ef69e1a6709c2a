// See find_values.hpp.
#include "steps/yamledit/find_values.hpp"

#include <algorithm>

#include "steps/yamledit/document.hpp"
#include "steps/yamledit/image_ref.hpp"
#include "steps/yamledit/markers.hpp"
#include "steps/yamledit/scalar_span.hpp"
#include "steps/yamledit/targets.hpp"

namespace hoist::yamledit {
namespace {

FoundValue value_of(const Found& f) {
  FoundValue v;
  v.path = f.readable;
  v.scalar = f.node.IsScalar() || f.node.IsNull();
  v.value = f.node.IsScalar() ? f.node.Scalar() : "";
  v.line = f.node.Mark().line + 1;
  v.column = f.node.Mark().column + 1;
  v.flow = f.flow || is_flow(f.node);
  return v;
}

// Adds V unless a value at the same place is there already (an alias reached it again).
void add_unique(std::vector<FoundValue>& out, FoundValue v) {
  const bool seen = std::any_of(out.begin(), out.end(),
                                [&](const FoundValue& o) { return o.line == v.line && o.column == v.column; });
  if (!seen) out.push_back(std::move(v));
}

}  // namespace

std::vector<FoundValue> find_values(std::string_view text, const std::string& file, const std::string& key_path) {
  const std::vector<PathSegment> want = parse_key_path(key_path);
  const Documents docs = load_documents(text, file);
  std::string miss;
  std::vector<FoundValue> out;
  for (const Found& f : find_key_path(docs, want, miss)) add_unique(out, value_of(f));
  return out;
}

std::vector<FoundValue> find_image_values(std::string_view text, const std::string& file,
                                          const std::string& repository) {
  const Documents docs = load_documents(text, file);
  std::vector<FoundValue> out;
  visit_all(docs, [&](const Found& f) {
    if (!f.key || f.key->Scalar() != "image" || !f.node.IsScalar()) return;
    auto ref = parse_image_ref(f.node.Scalar());
    if (ref && ref->repository == repository) add_unique(out, value_of(f));
  });
  return out;
}

std::vector<FoundValue> find_marked_values(std::string_view text, const std::string& file, const std::string& policy) {
  const Documents docs = load_documents(text, file);
  std::vector<FoundValue> out;
  visit_all(docs, [&](const Found& f) {
    if (!f.node.IsScalar()) return;
    ScalarSpan span = find_scalar_span(text, docs.offset(f.node.Mark()), f.flow);
    if (!span.problem.empty()) return;  // a block scalar: the editor refuses it, so it is not a place here either
    auto marker = marker_after(text, span.end);
    if (!marker || (*marker != policy && marker->rfind(policy + ":", 0) != 0)) return;
    FoundValue v = value_of(f);
    v.marker = *marker;
    add_unique(out, std::move(v));
  });
  return out;
}

}  // namespace hoist::yamledit
