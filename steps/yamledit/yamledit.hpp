#pragma once
// The YAML value editor behind `manifest/bump` and `hoist bump`: sets values in manifest files by key path, by image
// repository or by Flux setter marker, and changes only the bytes of those values. Pure functions on text: no git,
// no I/O. How it works: yaml-cpp parses the file and says where each value starts; scalar_span finds where it ends
// in the original bytes; scalar_style writes the new value in the old one's quoting; the bytes in between are
// replaced; verify re-parses the result and refuses it unless only the targets changed.
//
// Decisions (each one tested in tests/yamledit_*_test.cpp):
// - Multi-document files: targets are looked for in every document; a key path matching in several places (in one
//   document or across documents) needs `all`. So a path found in exactly one document just works.
// - Aliases: a key path whose value is shared through an anchor (`a: &v 1.0`, `b: *v`), reached at the anchor or
//   through an alias, is refused unless `all` is set, naming every place that would change: the edit can only
//   rewrite the anchored scalar, and so every alias of it. With `all` it does, the Change lists the other places
//   (Change::also), and the oracle checks they all show the new value. Two paths reaching it count once.
// - Kind::image on a Helm-style `image: REPO` string (no tag, no digest) beside a `tag:` key sets that `tag:`
//   (and a `digest:` key beside it for TAG@DIGEST; without one a digest is refused rather than dropped).
// - Kind::image and Kind::marker edit every match (that is what they mean); `all` only matters for key paths.
//   No match at all is an error for every kind.
// - `create` works in single-document files, creates mappings only (not sequence items). In a flow mapping it adds
//   one key (no nested mappings) as the last entry, right after the mapping's last entry on its line
//   (`{name: web, newTag: "1.0", digest: "sha256:..."}`), the value written as a flow scalar. In a block mapping it
//   appends the new keys after the last content line of the parent mapping: comments and blank lines that follow
//   it stay after the new keys. Indentation: the parent's key column, one file indent step (the smallest nesting
//   step of the file's block mappings, 2 if none) per new level; the file's line ending.
// - Block scalars (| >) and scalars spanning several lines are refused as targets.
// - A value equal to the current one is not a change: no Change, text unchanged.
// - An empty value (`key:`) has no quoting to keep: it is written plain, or double-quoted when a plain scalar there
//   would change how the lines after it read (to yaml-cpp, a blank line starting with a tab); refused when both
//   would (an anchor or a tag on the next line belongs to the empty value).

#include <string>
#include <string_view>
#include <vector>

#include "steps/yamledit/key_path.hpp"
#include "steps/yamledit/verify.hpp"

namespace hoist::yamledit {

struct Edit {
  enum class Kind { key_path, image, marker };
  Kind kind = Kind::key_path;
  std::string target;   // key_path: "image.tag", "images[name=web].newTag", "containers[name=app].image"
                        // image: the repository "registry.example.com/shop/api" (every `image:` value whose
                        //        repository is this)
                        // marker: "NS:POLICY" or "NS:POLICY:tag|name|digest"
  std::string value;    // key_path/marker: the new scalar; image: "TAG", "TAG@sha256:..." or "@sha256:..."
  bool create = false;  // key_path only: insert missing keys with the file's own indentation
  bool all = false;     // allow a key path to match several places
};

struct Change {
  int line;                // 1-based, in the result
  std::string path;        // readable key path of the value ("spec.template.spec.containers[0].image")
  std::string old_value;   // "" for a created key
  std::string new_value;
  std::vector<std::string> also;  // other paths showing the same value (aliases of an anchored scalar), with `all`
};

struct EditResult {
  std::string text;             // == input when nothing changed
  std::vector<Change> changes;  // empty when nothing changed
};

// Applies the edits in order to `text` (the content of `file`, used only in messages). Throws hoist::InputError
// with "FILE: ..." messages: a key path matching nothing ("FILE: image.tag: no such key (closest:
// image.repository)"), several places without all, bad key path syntax (with the column), unparsable input
// ("FILE:LINE:COL: ..."), a target or value that is not valid UTF-8, a target that cannot be edited in place, or a
// result that fails check_edit.
EditResult apply_edits(std::string_view text, const std::vector<Edit>& edits, const std::string& file);

}  // namespace hoist::yamledit
