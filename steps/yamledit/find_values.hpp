#pragma once
// Reading, not editing: where a file holds the values an edit would change. The same matching as the editor's
// (a key path, every `image:` of a repository, every value a Flux setter marker marks), with each value's place, so
// a promotion can say which places it reads and will write before it writes any.

#include <string>
#include <string_view>
#include <vector>

namespace hoist::yamledit {

struct FoundValue {
  std::string path;     // readable key path ("cronjobs[0].image"); a key path edit reads it back
  std::string value;    // the scalar; "" for a mapping or sequence
  int line = 0;         // 1-based
  int column = 0;
  bool scalar = true;   // false: a mapping or a sequence
  bool flow = false;    // inside (or itself) a flow collection
  std::string marker;   // find_marked_values: the marker's text ("flux-system:web:tag")
};

// Every value KEY_PATH matches, in every document (two paths reaching one anchored node count once). Throws
// hoist::InputError "FILE:LINE:COL: ..." when TEXT does not parse and "bad key path ..." for a bad path.
std::vector<FoundValue> find_values(std::string_view text, const std::string& file, const std::string& key_path);

// Every `image:` scalar whose repository is REPOSITORY (as an image edit matches them).
std::vector<FoundValue> find_image_values(std::string_view text, const std::string& file,
                                          const std::string& repository);

// Every scalar marked `# {"$imagepolicy": "POLICY"}` or `"POLICY:FIELD"` (POLICY is "NS:NAME").
std::vector<FoundValue> find_marked_values(std::string_view text, const std::string& file, const std::string& policy);

}  // namespace hoist::yamledit
