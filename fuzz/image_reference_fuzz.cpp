// Fuzzes the image-reference parsers: registry::parse_reference (Docker's grammar, what the registry client
// fetches and pushes) and yamledit::parse_image_ref (the lenient split behind `images:` bumps). Any text parses or
// is refused with an InputError. What parses has a registry, a repository and a tag or digest; its canonical form
// (str()) parses back to the same parts and prints the same again; with_tag / with_digest keep the name. Both
// parsers split the same text into the same tag and digest, and the lenient split prints back to itself.
#include "fuzz/fuzz_target.hpp"
#include "runner/util/errors.hpp"
#include "steps/registry/reference.hpp"
#include "steps/yamledit/image_ref.hpp"

namespace {

using hoist::fuzz::fail;

hoist::registry::Reference reparse(const std::string& printed) {
  try {
    return hoist::registry::parse_reference(printed);
  } catch (const hoist::InputError& e) {
    fail("the canonical form does not parse: " + printed + ": " + e.what());
  }
}

void check_lenient_split(std::string_view text, const hoist::registry::Reference* strict) {
  using namespace hoist::yamledit;
  const std::optional<ImageRef> ref = parse_image_ref(text);
  if (!ref) {
    if (strict) fail("the registry parser accepts what the manifest editor calls empty");
    return;
  }
  const std::optional<ImageRef> again = parse_image_ref(to_string(*ref));
  if (!again || again->repository != ref->repository || again->tag != ref->tag || again->digest != ref->digest)
    fail("the manifest editor's split prints to something else: " + to_string(*ref));
  if (strict) {
    if (ref->digest != strict->digest) fail("the two parsers disagree on the digest");
    if (!ref->tag.empty() && ref->tag != strict->tag) fail("the two parsers disagree on the tag");
  }
}

}  // namespace

HOIST_FUZZ_TARGET(image_reference) {
  using namespace hoist;
  const std::string_view text = fuzz::as_text(data, size);
  registry::Reference ref;
  try {
    ref = registry::parse_reference(text);
  } catch (const InputError&) {
    check_lenient_split(text, nullptr);
    return 0;
  }
  check_lenient_split(text, &ref);
  if (ref.registry.empty() || ref.repository.empty()) fail("a parsed reference without registry or repository");
  if (ref.tag.empty() && ref.digest.empty()) fail("a parsed reference without tag or digest");
  if (!ref.digest.empty() && !registry::is_valid_digest(ref.digest)) fail("an invalid digest was accepted");
  if (ref.name() != ref.registry + "/" + ref.repository) fail("name() is not registry/repository");

  const std::string printed = ref.str();
  const registry::Reference again = reparse(printed);
  if (!(again == ref)) fail("the canonical form means something else: " + printed);
  if (again.str() != printed) fail("printing is not stable: " + printed);

  const registry::Reference tagged = reparse(ref.with_tag("v1").str());
  if (tagged.name() != ref.name() || tagged.tag != "v1" || !tagged.digest.empty()) fail("with_tag changed the name");
  const std::string digest = "sha256:" + std::string(64, 'a');
  const registry::Reference pinned = reparse(ref.with_digest(digest).str());
  if (pinned.name() != ref.name() || pinned.digest != digest || !pinned.tag.empty())
    fail("with_digest changed the name");
  return 0;
}
