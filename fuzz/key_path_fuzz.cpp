// Fuzzes the key-path parser: any text parses or is refused with an InputError; what parses prints back to a
// path that parses to the same segments and prints the same again (messages quote paths in that printed form).
#include "fuzz/fuzz_target.hpp"
#include "runner/util/errors.hpp"
#include "steps/yamledit/key_path.hpp"

HOIST_FUZZ_TARGET(key_path) {
  using namespace hoist;
  std::vector<yamledit::PathSegment> path;
  try {
    path = yamledit::parse_key_path(fuzz::as_text(data, size));
  } catch (const InputError&) {
    return 0;
  }
  if (path.empty()) fuzz::fail("a parsed path without segments");
  const std::string printed = yamledit::to_string(path);
  std::vector<yamledit::PathSegment> again;
  try {
    again = yamledit::parse_key_path(printed);
  } catch (const InputError& e) {
    fuzz::fail("the printed path does not parse: " + printed + ": " + e.what());
  }
  if (again != path) fuzz::fail("the printed path means something else: " + printed);
  if (yamledit::to_string(again) != printed) fuzz::fail("printing is not stable: " + printed);
  return 0;
}
