// Image reference parsing and the bump rules; see image_ref.hpp.

#include "steps/yamledit/image_ref.hpp"

#include "runner/util/errors.hpp"

namespace hoist::yamledit {

std::optional<ImageRef> parse_image_ref(std::string_view text) {
  ImageRef ref;
  std::size_t at = text.find('@');
  if (at != std::string_view::npos) {
    ref.digest = std::string(text.substr(at + 1));
    text = text.substr(0, at);
    if (ref.digest.empty()) return std::nullopt;
  }
  std::size_t slash = text.rfind('/');
  std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
    // "a:b:" would print as "a:b", which splits as repository "a", tag "b" (found by fuzzing).
    if (ref.tag.empty()) return std::nullopt;
  }
  ref.repository = std::string(text);
  if (ref.repository.empty()) return std::nullopt;
  return ref;
}

std::string to_string(const ImageRef& ref) {
  std::string out = ref.repository;
  if (!ref.tag.empty()) out += ":" + ref.tag;
  if (!ref.digest.empty()) out += "@" + ref.digest;
  return out;
}

ImageUpdate parse_image_update(std::string_view value) {
  ImageUpdate u;
  std::size_t at = value.find('@');
  u.tag = std::string(value.substr(0, at));
  if (at != std::string_view::npos) {
    u.digest = std::string(value.substr(at + 1));
    std::size_t colon = u.digest.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == u.digest.size())
      throw InputError("bad image value '" + std::string(value) + "': expected TAG, TAG@sha256:... or @sha256:...");
  }
  if (u.tag.empty() && u.digest.empty())
    throw InputError("bad image value '': expected TAG, TAG@sha256:... or @sha256:...");
  if (u.tag.find_first_of(":/ ") != std::string::npos)
    throw InputError("bad image value '" + std::string(value) + "': expected TAG, TAG@sha256:... or @sha256:...");
  return u;
}

std::optional<ImageRef> apply_image_update(const ImageRef& ref, const ImageUpdate& u) {
  ImageRef out = ref;
  if (!u.tag.empty()) {
    if (u.digest.empty() && !ref.digest.empty()) return std::nullopt;
    out.tag = u.tag;
    if (!u.digest.empty()) out.digest = u.digest;
  } else {
    out.digest = u.digest;
  }
  return out;
}

}  // namespace hoist::yamledit
