// Fuzzes the YAML value editor with check_edit as the oracle. Input: a key path on the first line, the new value
// on the second, the YAML file after that. The editor may refuse (no such key, not editable in place) with an
// InputError, but when it returns a result, the result must parse, hold the new value at the path and be
// unchanged everywhere else; and its own oracle refusing its own bytes ("refusing the edit") is a bug too, except
// for created keys in a file yaml-cpp accepted but that is not valid YAML (see below).
#include "fuzz/fuzz_target.hpp"
#include "runner/errors.hpp"
#include "steps/yamledit/verify.hpp"
#include "steps/yamledit/yamledit.hpp"

HOIST_FUZZ_TARGET(yaml_editor) {
  using namespace hoist;
  using namespace hoist::yamledit;
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t nl1 = input.find('\n');
  if (nl1 == std::string_view::npos) return 0;
  const std::size_t nl2 = input.find('\n', nl1 + 1);
  if (nl2 == std::string_view::npos) return 0;
  const std::string path(input.substr(0, nl1));
  const std::string value(input.substr(nl1 + 1, nl2 - nl1 - 1));
  const std::string text(input.substr(nl2 + 1));
  Edit edit;
  edit.target = path;
  edit.value = value;
  edit.create = !path.empty() && path.front() == '+';  // "+a.b" asks for create
  if (edit.create) edit.target = path.substr(1);
  EditResult r;
  try {
    r = apply_edits(text, {edit}, "f.yaml");
  } catch (const InputError& e) {
    const std::string_view what = e.what();
    // Created keys are appended after the parent's last line; when yaml-cpp accepted a file that is not valid YAML
    // (`a:\n z: 1\n 0\n`: a key without a colon), the appended lines may not parse, and refusing is the right
    // answer. Any other refusal by the oracle means the editor wrote wrong bytes into a file it understood.
    const bool unparsable_creation = edit.create && what.find("the result does not parse") != std::string_view::npos;
    if (what.find("refusing the edit") != std::string_view::npos && !unparsable_creation)
      fuzz::fail(std::string("the editor's bytes failed its own oracle: ") + e.what());
    return 0;
  }
  if (r.changes.empty()) {
    if (r.text != text) fuzz::fail("no change reported but the text changed");
    return 0;
  }
  // The oracle again, from the outside: one document, a concrete path, one change.
  std::vector<PathSegment> segments = parse_key_path(edit.target);
  bool concrete = true;
  for (const auto& s : segments) concrete = concrete && s.kind != PathSegment::Kind::match;
  if (concrete && r.changes.size() == 1 && text.find("\n---") == std::string::npos && !text.starts_with("---")) {
    try {
      check_edit(text, r.text, {ExpectedValue{0, segments, value}}, "f.yaml");
    } catch (const InputError& e) {
      fuzz::fail(std::string("check_edit refuses the editor's result: ") + e.what());
    }
  }
  // Setting the same value again changes nothing.
  try {
    if (apply_edits(r.text, {edit}, "f.yaml").text != r.text) fuzz::fail("a second identical edit changed the text");
  } catch (const InputError& e) {
    fuzz::fail(std::string("a second identical edit was refused: ") + e.what());
  }
  return 0;
}
