// Docker's reference grammar (distribution/reference): [domain/]path[:tag][@digest]. The first path component is a
// domain only when it contains '.' or ':', is "localhost", or has an upper-case letter; otherwise the image lives on
// docker.io, and a single-component name there is an official image under "library/".

#include "steps/registry/reference.hpp"

#include <algorithm>
#include <regex>

#include "runner/util/errors.hpp"

namespace hoist::registry {
namespace {

constexpr std::string_view kDockerHub = "docker.io";
constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxTagLength = 128;
// sha512 is 128 hex digits; no registry uses longer digests. A bound, because std::regex matches recursively: a
// 40 KB digest or name overflowed the stack (fuzz/regressions/image_reference/huge_*), so lengths are checked
// before any regex runs.
constexpr size_t kMaxDigestLength = 256;

const std::regex& path_component_re() {
  static const std::regex re("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  return re;
}
const std::regex& domain_re() {
  static const std::regex re(
      "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
      "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  return re;
}
const std::regex& tag_re() {
  static const std::regex re("[\\w][\\w.-]{0,127}");
  return re;
}

[[noreturn]] void invalid(std::string_view text, std::string_view why) {
  throw InputError("invalid image reference '" + std::string(text) + "': " + std::string(why));
}

}  // namespace

bool is_valid_digest(std::string_view digest) {
  static const std::regex generic("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  static const std::regex sha256("sha256:[0-9a-f]{64}");
  if (digest.size() > kMaxDigestLength) return false;
  std::string d(digest);
  if (d.rfind("sha256:", 0) == 0) return std::regex_match(d, sha256);
  return std::regex_match(d, generic);
}

bool names_registry_host(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
         std::any_of(first.begin(), first.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) ||
         (!first.empty() && first.front() == '[');
}

Reference parse_reference(std::string_view text) {
  if (text.empty()) invalid(text, "empty");
  std::string rest(text);
  Reference ref;

  if (auto at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest.resize(at);
    if (!is_valid_digest(ref.digest)) invalid(text, "bad digest '" + ref.digest + "'");
  }
  // A tag is after the last ':' that follows the last '/' (a ':' before it belongs to the registry's port).
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.tag = rest.substr(colon + 1);
    rest.resize(colon);
    if (ref.tag.size() > kMaxTagLength) invalid(text, "tag longer than 128 characters");
    if (!std::regex_match(ref.tag, tag_re())) invalid(text, "bad tag '" + ref.tag + "'");
  }
  if (rest.empty()) invalid(text, "missing repository name");
  // Docker's limit, on the name as written; the name once normalized is checked again below.
  if (rest.size() > kMaxNameLength) invalid(text, "name longer than 255 characters");

  size_t first_slash = rest.find('/');
  std::string first = rest.substr(0, first_slash);
  bool has_domain = first_slash != std::string::npos && names_registry_host(first);
  if (has_domain) {
    ref.registry = first;
    ref.repository = rest.substr(first_slash + 1);
    if (!std::regex_match(ref.registry, domain_re())) invalid(text, "bad registry '" + ref.registry + "'");
  } else {
    ref.registry = std::string(kDockerHub);
    ref.repository = rest;
  }
  if (ref.registry == "index.docker.io" || ref.registry == "registry-1.docker.io") ref.registry = kDockerHub;
  if (ref.registry == kDockerHub && ref.repository.find('/') == std::string::npos)
    ref.repository = "library/" + ref.repository;

  // Every path component must match; upper case gets its own message because it is the common mistake.
  size_t start = 0;
  while (true) {
    size_t end = ref.repository.find('/', start);
    std::string component = ref.repository.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (std::any_of(component.begin(), component.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      invalid(text, "repository name must be lowercase");
    if (!std::regex_match(component, path_component_re()))
      invalid(text, component.empty() ? "empty path component" : "bad path component '" + component + "'");
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (ref.registry.size() + 1 + ref.repository.size() > kMaxNameLength) invalid(text, "name longer than 255 characters");
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

std::string Reference::api_host() const {
  return registry == kDockerHub ? "registry-1.docker.io" : registry;
}

std::string Reference::name() const { return registry + "/" + repository; }

std::string Reference::identifier() const { return digest.empty() ? tag : digest; }

std::string Reference::str() const {
  std::string s = name();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

Reference Reference::with_tag(std::string new_tag) const {
  Reference r = *this;
  r.tag = std::move(new_tag);
  r.digest.clear();
  return r;
}

Reference Reference::with_digest(std::string new_digest) const {
  Reference r = *this;
  r.digest = std::move(new_digest);
  r.tag.clear();
  return r;
}

}  // namespace hoist::registry
