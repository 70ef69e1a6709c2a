// The edit oracle; see verify.hpp.

#include "steps/yamledit/verify.hpp"

#include <optional>

#include "runner/util/errors.hpp"
#include "steps/yamledit/document.hpp"

namespace hoist::yamledit {

namespace {

using Path = std::vector<PathSegment>;

// The node at `path`, or an undefined/invalid node when it is not there.
std::optional<YAML::Node> resolve(YAML::Node node, const Path& path) {
  for (const PathSegment& s : path) {
    if (s.kind == PathSegment::Kind::key) {
      if (!node.IsMap()) return std::nullopt;
      std::optional<YAML::Node> next;
      for (auto it = node.begin(); it != node.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == s.key && !next) next.emplace(it->second);
      if (!next) return std::nullopt;
      node.reset(*next);
    } else if (s.kind == PathSegment::Kind::index) {
      if (!node.IsSequence() || s.index >= node.size()) return std::nullopt;
      const YAML::Node item = static_cast<const YAML::Node&>(node)[s.index];
      node.reset(item);
    } else {
      return std::nullopt;
    }
  }
  return node;
}

bool is_prefix(const Path& prefix, const Path& path) {
  if (prefix.size() > path.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (!(prefix[i] == path[i])) return false;
  return true;
}

struct Edited {
  YAML::Node node;
  const ExpectedValue* expected;
};

class Comparer {
 public:
  Comparer(const std::string& file, std::size_t doc, const std::vector<ExpectedValue>& expected,
           std::vector<Edited> edited)
      : file_(file), doc_(doc), expected_(expected), edited_(std::move(edited)) {}

  void compare(const YAML::Node& b, const YAML::Node& a, Path& path, int depth) {
    if (depth > 500) fail(path, b, "nesting too deep to check");
    for (const ExpectedValue& e : expected_)
      if (e.document == doc_ && e.path.size() == path.size() && is_prefix(path, e.path)) return;  // checked apart
    for (const Edited& e : edited_) {
      if (b.is(e.node)) {  // an alias of an edited node: it must show the new value too
        if (!a.IsScalar() || a.Scalar() != e.expected->value) fail(path, b, "an alias of the edited value");
        return;
      }
    }
    if (a.Type() != b.Type()) fail(path, b, "its kind");
    if (b.IsScalar()) {
      if (a.Scalar() != b.Scalar() || a.Tag() != b.Tag()) fail(path, b, "its value");
    } else if (b.IsSequence()) {
      if (a.size() != b.size()) fail(path, b, "its length");
      for (std::size_t i = 0; i < b.size(); ++i) {
        path.push_back(index_seg(i));
        compare(b[i], a[i], path, depth + 1);
        path.pop_back();
      }
    } else if (b.IsMap()) {
      auto bi = b.begin();
      for (auto ai = a.begin(); ai != a.end(); ++ai) {
        std::string akey = ai->first.IsScalar() ? ai->first.Scalar() : "";
        if (bi != b.end() && bi->first.IsScalar() == ai->first.IsScalar() &&
            (!ai->first.IsScalar() || bi->first.Scalar() == akey)) {
          if (!ai->first.IsScalar()) {
            compare(bi->first, ai->first, path, depth + 1);
          }
          path.push_back(key_seg(akey));
          compare(bi->second, ai->second, path, depth + 1);
          path.pop_back();
          ++bi;
          continue;
        }
        path.push_back(key_seg(akey));
        bool created = false;
        for (const ExpectedValue& e : expected_)
          if (e.document == doc_ && is_prefix(path, e.path)) created = true;
        if (!created) fail(path, b, "its keys");
        path.pop_back();
      }
      if (bi != b.end()) {
        path.push_back(key_seg(bi->first.IsScalar() ? bi->first.Scalar() : "?"));
        fail(path, bi->first, "its keys");
      }
    }
  }

 private:
  [[noreturn]] void fail(const Path& path, const YAML::Node& where, const std::string& what) const {
    std::string p = path.empty() ? "the document" : to_string(path);
    std::string line = where.Mark().is_null() ? "" : " (line " + std::to_string(where.Mark().line + 1) + ")";
    throw InputError(file_ + ": refusing the edit: it would also change " + what + " at " + p + line);
  }

  const std::string& file_;
  std::size_t doc_;
  const std::vector<ExpectedValue>& expected_;
  std::vector<Edited> edited_;
};

}  // namespace

void check_edit(std::string_view before, std::string_view after, const std::vector<ExpectedValue>& expected,
                const std::string& file) {
  Documents b = load_documents(before, file);
  Documents a;
  try {
    a = load_documents(after, file);
  } catch (const InputError& e) {
    throw InputError(file + ": refusing the edit: the result does not parse (" +
                     std::string(e.what()).substr(file.size() + 1) + ")");
  }
  if (a.docs.size() != b.docs.size())
    throw InputError(file + ": refusing the edit: the result has " + std::to_string(a.docs.size()) +
                     " documents instead of " + std::to_string(b.docs.size()));
  for (const ExpectedValue& e : expected) {
    std::optional<YAML::Node> n;
    if (e.document < a.docs.size()) n = resolve(a.docs[e.document], e.path);
    if (!n || !n->IsScalar() || n->Scalar() != e.value)
      throw InputError(file + ": refusing the edit: " + to_string(e.path) + " does not hold '" + e.value +
                       "' afterwards" + (n && n->IsScalar() ? " but '" + n->Scalar() + "'" : ""));
  }
  for (std::size_t d = 0; d < b.docs.size(); ++d) {
    std::vector<Edited> edited;
    for (const ExpectedValue& e : expected) {
      if (e.document != d) continue;
      if (auto n = resolve(b.docs[d], e.path); n && n->IsDefined()) edited.push_back({*n, &e});
    }
    Comparer c(file, d, expected, std::move(edited));
    Path path;
    c.compare(b.docs[d], a.docs[d], path, 0);
  }
}

}  // namespace hoist::yamledit
