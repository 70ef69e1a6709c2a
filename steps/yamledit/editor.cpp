// apply_edits: finds each edit's targets in the parsed documents, turns them into byte patches of the original
// text, applies them, and runs the oracle (verify.cpp) on the result. See yamledit.hpp for the decisions.

#include <algorithm>
#include <optional>

#include "runner/pipeline/input_text.hpp"
#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/did_you_mean.hpp"
#include "runner/util/errors.hpp"
#include "steps/yamledit/document.hpp"
#include "steps/yamledit/image_ref.hpp"
#include "steps/yamledit/insert_keys.hpp"
#include "steps/yamledit/markers.hpp"
#include "steps/yamledit/scalar_span.hpp"
#include "steps/yamledit/scalar_style.hpp"
#include "steps/yamledit/targets.hpp"
#include "steps/yamledit/yamledit.hpp"

namespace hoist::yamledit {

namespace {

using Path = std::vector<PathSegment>;

struct Patch {
  std::size_t begin = 0, end = 0;
  std::string bytes;
  Change change;
  ExpectedValue expected;
};

// "LINE:COL" of byte `offset`.
std::string where(std::string_view text, std::size_t offset) {
  std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = (line_start == std::string_view::npos || offset == 0) ? 0 : line_start + 1;
  if (line_start == 0 && text.starts_with("\xEF\xBB\xBF") && offset >= 3) line_start = 3;  // a BOM is no column
  return std::to_string(line_of(text, offset)) + ":" + std::to_string(offset - line_start + 1);
}

// Whether `node` itself (not an equal copy) is a key of some mapping under `root`. Only aliases make a node both
// a value and a key (found by fuzzing: editing the value renamed the key). The tree was bounded when it was loaded.
bool used_as_key(const YAML::Node& root, const YAML::Node& node) {
  if (root.IsSequence()) {
    for (const auto& item : root)
      if (used_as_key(item, node)) return true;
  } else if (root.IsMap()) {
    for (auto it = root.begin(); it != root.end(); ++it)
      if (it->first.is(node) || used_as_key(it->first, node) || used_as_key(it->second, node)) return true;
  }
  return false;
}

class Editor {
 public:
  Editor(std::string_view text, const std::string& file)
      : text_(text), file_(file), docs_(load_documents(text, file)) {}

  // The span of a scalar target and its current value; throws when it cannot be edited in place.
  struct Located {
    ScalarSpan span;
    std::string old_value;
    bool empty = false;  // `key:` with nothing after it: span is the insertion point after the ':'
  };

  Located locate(const Found& f) const {
    const YAML::Node& n = f.node;
    std::size_t pos = docs_.offset(n.Mark());
    if (n.IsMap() || n.IsSequence())
      throw InputError(file_ + ":" + where(text_, pos) + ": " + f.readable + " is " + yaml_type_name(n) +
                       ", not a single value");
    Located l;
    l.span = find_scalar_span(text_, pos, f.flow);
    if (n.IsNull()) {
      std::string word = l.span.problem.empty() ? decode_scalar(text_, l.span) : "";
      bool null_word = l.span.style == ScalarStyle::plain &&
                       (word == "~" || word == "null" || word == "Null" || word == "NULL");
      std::size_t key_pos = f.key ? docs_.offset(f.key->Mark()) : 0;
      if (null_word && (!f.key || (pos > key_pos && only_blanks_between_colon_and(key_pos, l.span.begin, f.flow))))
        return l;  // old_value "" for null
      if (!f.key)
        throw InputError(file_ + ":" + where(text_, pos) + ": " + f.readable + " is an empty item; not supported");
      ScalarSpan k = find_scalar_span(text_, key_pos, f.flow);
      std::size_t i = k.end;
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
      if (!k.problem.empty() || i >= text_.size() || text_[i] != ':')
        throw InputError(file_ + ":" + where(text_, key_pos) + ": " + f.readable + ": cannot find the value's place");
      // `a: &v`, `b: *v`, `c: !!str`: an empty value with an anchor, an alias or a tag has no place to write into
      // that keeps them (found by fuzzing: the value went after the colon, before the `&v`).
      std::size_t j = i + 1;
      while (j < text_.size() && (text_[j] == ' ' || text_[j] == '\t')) ++j;
      if (j < text_.size() && (text_[j] == '&' || text_[j] == '*' || text_[j] == '!'))
        throw InputError(file_ + ":" + where(text_, j) + ": " + f.readable +
                         " is an empty value with an anchor, an alias or a tag; not supported as an edit target");
      l.span.begin = l.span.end = i + 1;
      l.span.style = ScalarStyle::plain;
      l.span.problem.clear();
      l.empty = true;
      return l;
    }
    if (!l.span.problem.empty())
      throw InputError(file_ + ":" + where(text_, l.span.begin) + ": " + f.readable + " is " + l.span.problem +
                       "; not supported as an edit target");
    if (decode_scalar(text_, l.span) != n.Scalar())
      throw InputError(file_ + ":" + where(text_, l.span.begin) + ": " + f.readable +
                       " is a scalar spanning several lines; not supported as an edit target");
    // An alias can name an anchored mapping key (`&v name: 1`, `b: *v`): the bytes are the key's, so editing them
    // would rename the key (found by fuzzing).
    std::size_t after = l.span.end;
    while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
    if (after < text_.size() && text_[after] == ':' &&
        (after + 1 == text_.size() || std::string_view(" \t\r\n,]}").find(text_[after + 1]) != std::string_view::npos))
      throw InputError(file_ + ":" + where(text_, l.span.begin) + ": " + f.readable +
                       " is an alias of a mapping key; not supported as an edit target");
    // ... or the other way round: the anchored value is used as a key through an alias (`a: &v x`, `*v : 1`).
    if (used_as_key(docs_.docs[f.doc], n))
      throw InputError(file_ + ":" + where(text_, l.span.begin) + ": " + f.readable +
                       " is also a mapping key through an alias; not supported as an edit target");
    l.old_value = n.Scalar();
    return l;
  }

  // The bytes that give the empty value at `pos` (right after its colon) `value`. An empty value has no style of its
  // own to keep: it is written as a plain value would be when that leaves the rest of the file as it was, else
  // double-quoted when that does, else it is refused. The lines after an empty value can read differently once a
  // value is there (all found by fuzzing): to yaml-cpp a blank line that starts with a tab is bad indentation after
  // a plain scalar (`z:\n\t\n`), an anchor or a tag on the next line belongs to the empty value (`z:\n&a\n`), a
  // more indented line continues a plain scalar (`z:\n  &a\n`). So each candidate is put in and the edit oracle
  // run on it.
  std::string empty_value_bytes(const Found& f, std::size_t pos, const std::string& value) const {
    for (const std::string& candidate : {render_scalar(value, ScalarStyle::plain, f.flow, ""), double_quoted(value)}) {
      std::string probe(text_);
      probe.insert(pos, " " + candidate);
      try {
        check_edit(text_, probe, {ExpectedValue{f.doc, f.concrete, value}}, file_);
        return " " + candidate;
      } catch (const InputError&) {
      }
    }
    throw InputError(file_ + ":" + where(text_, pos) + ": " + f.readable +
                     " is an empty value that the text after it would change once it has one (an anchor, a tag or "
                     "text on the next line); not supported as an edit target");
  }

  // Whether only blanks, line breaks and comments stand between the colon after the key at `key_pos` and `pos`
  // (where the null word was found, which may be after a tag or another key's tag).
  // yaml-cpp may mark an empty value at the next token (`z:\n\n!t ~`: the `~` belongs to the next key), so a null
  // word at the value's mark is the value only when nothing comes first (found by fuzzing).
  bool only_blanks_between_colon_and(std::size_t key_pos, std::size_t pos, bool flow) const {
    ScalarSpan k = find_scalar_span(text_, key_pos, flow);
    if (!k.problem.empty()) return false;
    std::size_t i = k.end;
    while (i < pos && (text_[i] == ' ' || text_[i] == '\t')) ++i;
    if (i >= pos || text_[i] != ':') return false;
    bool next_line = false;
    for (++i; i < pos; ++i) {
      if (text_[i] == '#') {
        while (i < pos && text_[i] != '\n') ++i;
      } else if (text_[i] != ' ' && text_[i] != '\t' && text_[i] != '\r' && text_[i] != '\n') {
        return false;
      }
      next_line = next_line || (i < pos && text_[i] == '\n');
    }
    // On a later line, a block value is indented deeper than its key; `z:\n~: 1` is the next key.
    auto column = [&](std::size_t at) { return at - (at == 0 ? 0 : text_.rfind('\n', at - 1) + 1); };
    return flow || !next_line || column(pos) > column(key_pos);
  }

  std::optional<Patch> value_patch(const Found& f, const Located& l, const std::string& value) const {
    if (!f.node.IsNull() && l.old_value == value) return std::nullopt;
    Patch p;
    p.begin = l.span.begin;
    p.end = l.span.end;
    // yaml-cpp takes a colon glued to some bytes (`z:\x04`) as the value indicator; a new value written there gets
    // the blank YAML wants after it, else a quoted one would join the key (`z:"v"` is one scalar; found by fuzzing).
    const bool glued = !f.flow && l.span.begin > 0 && text_[l.span.begin - 1] == ':';
    p.bytes = l.empty ? empty_value_bytes(f, l.span.begin, value)
                      : (glued ? " " : "") + render_scalar(value, l.span.style, f.flow, l.old_value);
    p.change = Change{line_of(text_, l.span.begin), f.readable, l.old_value, value, {}};
    p.expected = ExpectedValue{f.doc, f.concrete, value};
    return p;
  }

  EditResult apply(const Edit& e) {
    std::vector<Patch> patches;
    switch (e.kind) {
      case Edit::Kind::key_path: return apply_key_path(e);
      case Edit::Kind::image: patches = image_patches(e); break;
      case Edit::Kind::marker: patches = marker_patches(e); break;
    }
    return finish(std::move(patches));
  }

 private:
  EditResult apply_key_path(const Edit& e) {
    Path want;
    try {
      want = parse_key_path(e.target);
    } catch (const InputError& err) {
      throw InputError(file_ + ": " + err.what());
    }
    std::string miss;
    std::vector<Found> found = find_key_path(docs_, want, miss);
    // Two paths through aliases reaching one anchored node are one place.
    std::vector<Found> unique;
    for (const Found& f : found) {
      bool dup = std::any_of(unique.begin(), unique.end(), [&](const Found& u) { return u.node.is(f.node); });
      if (!dup) unique.push_back(f);
    }
    if (unique.empty()) {
      if (e.create) return create(e, want, miss);
      throw InputError(file_ + ": " + e.target + ": " + (miss.empty() ? "no such key" : miss));
    }
    if (unique.size() > 1 && !e.all) {
      std::string lines;
      for (const Found& f : unique)
        lines += (lines.empty() ? "" : ", ") + std::to_string(line_of(text_, docs_.offset(f.node.Mark())));
      throw InputError(file_ + ": " + e.target + ": matches " + std::to_string(unique.size()) + " places (lines " +
                       lines + "); set all to change every one");
    }
    std::vector<Patch> patches;
    for (const Found& f : unique) {
      const Located l = locate(f);  // first: the reasons a target cannot be edited at all
      std::vector<std::string> others = other_uses(f);
      if (!others.empty() && !e.all) {
        std::string list;
        for (const auto& o : others) list += ", " + o;
        throw InputError(file_ + ":" + where(text_, docs_.offset(f.node.Mark())) + ": " + e.target +
                         ": the value is shared through an anchor; setting it changes every place that uses it: " +
                         f.readable + list + "; set all (--all) to change them all");
      }
      if (auto p = value_patch(f, l, e.value)) {
        p->change.also = std::move(others);
        patches.push_back(std::move(*p));
      }
    }
    return finish(std::move(patches));
  }

  // The other paths of f's document whose value is f's very node (an anchored scalar and its aliases).
  std::vector<std::string> other_uses(const Found& f) const {
    std::vector<std::string> out;
    if (!f.node.IsScalar() && !f.node.IsNull()) return out;
    Found root;
    root.doc = f.doc;
    root.node.reset(docs_.docs[f.doc]);
    auto visit = [&](const Found& at) {
      if (at.node.is(f.node) && at.concrete != f.concrete) out.push_back(at.readable);
    };
    visit_values(root, visit, 0);
    return out;
  }

  // The scalar value of key NAME in the mapping holding f (Helm's `image: {repository, tag}` siblings), if any.
  std::optional<Found> sibling(const Found& f, const std::string& name) const {
    if (!f.parent || !f.parent->IsMap() || f.concrete.empty()) return std::nullopt;
    for (auto it = f.parent->begin(); it != f.parent->end(); ++it) {
      if (!it->first.IsScalar() || it->first.Scalar() != name) continue;
      if (!it->second.IsScalar() && !it->second.IsNull()) return std::nullopt;
      Found s = f;
      const std::string last = to_string(f.concrete.back(), f.concrete.size() == 1);
      s.readable = f.readable.substr(0, f.readable.size() - last.size());
      s.concrete.back() = key_seg(name);
      s.readable += to_string(s.concrete.back(), f.concrete.size() == 1);
      s.node.reset(it->second);
      s.key.reset();
      s.key.emplace(it->first);
      return s;
    }
    return std::nullopt;
  }

  // `image: REPO` with a sibling `tag:` (Helm charts): the tag (and digest) go to the siblings, since appending
  // ":TAG" to the string would render as REPO:TAG:OLD.
  void sibling_patches(const Found& f, const Found& tag, const ImageUpdate& update, const Edit& e,
                       std::vector<Patch>& patches) const {
    if (!update.tag.empty())
      if (auto p = value_patch(tag, locate(tag), update.tag)) add_unique(patches, std::move(*p));
    if (update.digest.empty()) return;
    auto digest = sibling(f, "digest");
    if (!digest)
      throw InputError(file_ + ":" + where(text_, docs_.offset(f.node.Mark())) + ": " + f.readable + ": " +
                       f.node.Scalar() + " takes its tag from " + tag.readable + " and has no digest: key beside "
                       "it, so the digest of " + e.target + ":" + e.value + " cannot be pinned here; give " +
                       e.target + ":" + update.tag + " without the digest, or add a digest: key");
    if (auto p = value_patch(*digest, locate(*digest), update.digest)) add_unique(patches, std::move(*p));
  }

  EditResult create(const Edit& e, const Path& want, const std::string& miss) {
    auto refuse = [&](const std::string& why) { throw InputError(file_ + ": " + e.target + ": " + why); };
    if (docs_.docs.size() != 1) refuse(miss + "; create works only in single-document files");
    YAML::Node node = docs_.docs[0];
    Path concrete;
    std::size_t i = 0;
    for (; i < want.size(); ++i) {
      const PathSegment& s = want[i];
      std::optional<YAML::Node> next;
      if (s.kind == PathSegment::Kind::key && node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it)
          if (it->first.IsScalar() && it->first.Scalar() == s.key && !next) next.emplace(it->second);
        if (next) concrete.push_back(key_seg(s.key));
      } else if (s.kind == PathSegment::Kind::index && node.IsSequence() && s.index < node.size()) {
        next.emplace(node[s.index]);
        concrete.push_back(index_seg(s.index));
      } else if (s.kind == PathSegment::Kind::match && node.IsSequence()) {
        for (std::size_t j = 0; j < node.size() && !next; ++j) {
          const YAML::Node item = node[j];
          if (item.IsMap() && item[s.key].IsDefined() && item[s.key].IsScalar() && item[s.key].Scalar() == s.value) {
            next.emplace(item);
            concrete.push_back(index_seg(j));
          }
        }
      }
      if (!next) break;
      node.reset(*next);
    }
    for (std::size_t j = i; j < want.size(); ++j)
      if (want[j].kind != PathSegment::Kind::key) refuse(miss + "; create makes mapping keys, not sequence items");
    std::string parent = i == 0 ? "the document" : to_string(Path(want.begin(), want.begin() + i));
    const bool flow = node.IsMap() && is_flow(node);
    if (!node.IsMap() || (node.size() == 0 && !flow))
      refuse(miss + "; cannot create keys in " + parent + ", which is " + yaml_type_name(node));
    std::vector<std::string> keys;
    for (std::size_t j = i; j < want.size(); ++j) {
      keys.push_back(want[j].key);
      concrete.push_back(key_seg(want[j].key));
    }
    const std::string at = where(text_, docs_.offset(node.Mark()));
    if (flow && keys.size() > 1) refuse("cannot create nested mappings in the flow mapping " + parent + " at " + at);
    std::string rendered = render_scalar(e.value, ScalarStyle::plain, flow);
    // A flow mapping takes the key as its last entry, on its line; a block mapping new lines after its last entry.
    std::optional<Insertion> ins = flow ? plan_flow_insertion(text_, docs_.offset(node.Mark()), keys[0], rendered)
                                        : plan_insertion(text_, node, keys, rendered, indent_step(docs_));
    if (!ins) refuse("cannot find the end of the flow mapping " + parent + " at " + at);
    Patch p;
    p.begin = p.end = ins->offset;
    p.bytes = ins->bytes;
    p.change = Change{ins->value_line, to_string(want), "", e.value, {}};
    added_lines_ = flow ? 0 : static_cast<int>(keys.size());
    added_after_line_ = ins->value_line - added_lines_;
    p.expected = ExpectedValue{0, concrete, e.value};
    return finish({p});
  }

  std::vector<Patch> image_patches(const Edit& e) {
    ImageUpdate update;
    try {
      update = parse_image_update(e.value);
    } catch (const InputError& err) {
      throw InputError(file_ + ": " + err.what());
    }
    std::vector<Patch> patches;
    bool matched = false;
    visit_all(docs_, [&](const Found& f) {
      if (!f.key || f.key->Scalar() != "image" || !f.node.IsScalar()) return;
      auto ref = parse_image_ref(f.node.Scalar());
      if (!ref || ref->repository != e.target) return;
      matched = true;
      if (ref->tag.empty() && ref->digest.empty())
        if (auto tag = sibling(f, "tag")) return sibling_patches(f, *tag, update, e, patches);
      Located l = locate(f);
      auto updated = apply_image_update(*ref, update);
      if (!updated)
        throw InputError(file_ + ":" + where(text_, l.span.begin) + ": " + f.readable + ": " + f.node.Scalar() +
                         " is pinned by digest; give the new digest too (" + e.value + "@sha256:...)");
      if (auto p = value_patch(f, l, to_string(*updated))) add_unique(patches, std::move(*p));
    });
    if (!matched) throw InputError(file_ + ": no image: value with repository " + e.target);
    return patches;
  }

  std::vector<Patch> marker_patches(const Edit& e) {
    try {
      check_marker_target(e.target);
    } catch (const InputError& err) {
      throw InputError(file_ + ": " + err.what());
    }
    std::vector<Patch> patches;
    bool matched = false;
    visit_all(docs_, [&](const Found& f) {
      if (!f.node.IsScalar()) return;
      ScalarSpan span = find_scalar_span(text_, docs_.offset(f.node.Mark()), f.flow);
      if (!span.problem.empty() && span.style == ScalarStyle::plain) return;
      std::size_t end = span.problem.empty() ? span.end : span.begin;
      if (span.problem.empty() && marker_after(text_, end) != e.target) return;
      if (!span.problem.empty()) {  // a block scalar carries its marker after the indicator: refuse it below
        std::size_t eol = text_.find_first_of("\r\n", span.begin);
        std::size_t hash = text_.find('#', span.begin);
        if (hash == std::string_view::npos || hash > eol || marker_after(text_, hash) != e.target) return;
      }
      matched = true;
      if (auto p = value_patch(f, locate(f), e.value)) add_unique(patches, std::move(*p));
    });
    if (!matched) throw InputError(file_ + ": no value marked {\"$imagepolicy\": \"" + e.target + "\"}");
    return patches;
  }

  static void add_unique(std::vector<Patch>& patches, Patch p) {
    for (const Patch& q : patches)
      if (q.begin == p.begin) return;  // an alias reached the same scalar
    patches.push_back(std::move(p));
  }

  EditResult finish(std::vector<Patch> patches) {
    EditResult r;
    if (patches.empty()) {
      r.text = std::string(text_);
      return r;
    }
    std::sort(patches.begin(), patches.end(), [](const Patch& a, const Patch& b) { return a.begin > b.begin; });
    r.text = std::string(text_);
    std::size_t limit = std::string::npos;
    std::vector<ExpectedValue> expected;
    for (const Patch& p : patches) {
      if (limit != std::string::npos && p.end > limit)
        throw InputError(file_ + ": overlapping edits at line " + std::to_string(p.change.line));
      r.text.replace(p.begin, p.end - p.begin, p.bytes);
      limit = p.begin;
      expected.push_back(p.expected);
    }
    for (auto it = patches.rbegin(); it != patches.rend(); ++it) r.changes.push_back(it->change);
    check_edit(text_, r.text, expected, file_);
    return r;
  }

  std::string_view text_;
  const std::string& file_;
  Documents docs_;

 public:
  // Lines inserted by create: every line after added_after_line_ moved down by added_lines_.
  int added_after_line_ = 0;
  int added_lines_ = 0;
};

}  // namespace

EditResult apply_edits(std::string_view text, const std::vector<Edit>& edits, const std::string& file) {
  EditResult result;
  result.text = std::string(text);
  for (const Edit& e : edits) {
    // YAML is Unicode: bytes that are not UTF-8 cannot be written as a key or a value (yaml-cpp misreads them).
    for (const std::string* part : {&e.target, &e.value})
      if (first_invalid_utf8(*part) != std::string_view::npos)
        throw InputError(file + ": " + (part == &e.target ? "the key path" : "the new value") +
                         " is not valid UTF-8");
    Editor editor(result.text, file);
    EditResult one = editor.apply(e);
    for (Change& c : result.changes)  // lines of earlier changes, in this edit's result
      if (editor.added_lines_ > 0 && c.line > editor.added_after_line_) c.line += editor.added_lines_;
    result.text = std::move(one.text);
    result.changes.insert(result.changes.end(), one.changes.begin(), one.changes.end());
  }
  return result;
}

}  // namespace hoist::yamledit
