// Fuzzes the YAML value editor with check_edit as the oracle. Input: a key path on the first line, the new value
// on the second, the YAML file after that. The editor may refuse (no such key, not editable in place) with an
// InputError, but when it returns a result, the result must parse, hold the new value at the path and be
// unchanged everywhere else; and its own oracle refusing its own in-place edit ("refusing the edit") is a bug too
// (a refused creation is not: see below).
#include "fuzz/fuzz_target.hpp"
#include "runner/util/errors.hpp"
#include "steps/yamledit/document.hpp"
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
    // Created keys are appended as new lines after the parent's last line, and the oracle decides whether that
    // kept the file's meaning; in files yaml-cpp only leniently accepts (`:\n: 1a  z\n`, keys without colons) it
    // may not, and refusing is then right. An in-place value edit that the oracle refuses means the editor wrote
    // wrong bytes into a file it understood: that is a bug.
    if (what.starts_with("f.yaml: refusing the edit: ") && !edit.create)
      fuzz::fail(std::string("the editor's bytes failed its own oracle: ") + e.what());
    return 0;
  }
  if (r.changes.empty()) {
    if (r.text != text) fuzz::fail("no change reported but the text changed");
    return 0;
  }
  // The oracle again, from the outside: one document (as yaml-cpp counts them: it may see two without a `---`), a
  // concrete path, one change.
  std::vector<PathSegment> segments = parse_key_path(edit.target);
  bool concrete = true;
  for (const auto& s : segments) concrete = concrete && s.kind != PathSegment::Kind::match;
  if (concrete && r.changes.size() == 1 && load_documents(text, "f.yaml").docs.size() == 1) {
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
