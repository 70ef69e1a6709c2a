#pragma once
// Short ways to write YAML editor edits in tests, and to catch the message of a refused edit.

#include <string>
#include <vector>

#include "runner/util/errors.hpp"
#include "steps/yamledit/yamledit.hpp"

namespace hoist::test {

inline yamledit::Edit set(std::string path, std::string value, bool all = false, bool create = false) {
  yamledit::Edit e;
  e.target = std::move(path);
  e.value = std::move(value);
  e.all = all;
  e.create = create;
  return e;
}

inline yamledit::Edit image(std::string repository, std::string value) {
  yamledit::Edit e;
  e.kind = yamledit::Edit::Kind::image;
  e.target = std::move(repository);
  e.value = std::move(value);
  return e;
}

inline yamledit::Edit marker(std::string policy, std::string value) {
  yamledit::Edit e;
  e.kind = yamledit::Edit::Kind::marker;
  e.target = std::move(policy);
  e.value = std::move(value);
  return e;
}

// The InputError message apply_edits throws, or "" when it succeeds.
inline std::string edit_error(const std::string& text, const std::vector<yamledit::Edit>& edits,
                              const std::string& file = "values.yaml") {
  try {
    yamledit::apply_edits(text, edits, file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace hoist::test
