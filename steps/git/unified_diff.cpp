// See unified_diff.hpp.

#include "steps/git/unified_diff.hpp"

#include "steps/git/libgit2.hpp"

namespace hoist {

std::string unified_diff(const std::string& path, const std::optional<std::string>& old_content,
                         const std::string& new_content) {
  if (old_content && *old_content == new_content) return "";
  libgit2_init();
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 3;
  opts.flags |= GIT_DIFF_FORCE_TEXT;
  git_patch* raw = nullptr;
  git_check(git_patch_from_buffers(&raw, old_content ? old_content->data() : nullptr,
                                   old_content ? old_content->size() : 0, old_content ? path.c_str() : nullptr,
                                   new_content.data(), new_content.size(), path.c_str(), &opts),
            "cannot diff " + path);
  GitPtr<git_patch> patch(raw);
  GitBuf buf;
  git_check(git_patch_to_buf(buf.get(), patch.get()), "cannot format the diff of " + path);
  return buf.str();
}

}  // namespace hoist
