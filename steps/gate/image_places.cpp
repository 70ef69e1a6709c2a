// Finding an app's image places in a file and the edits that move them (see image_places.hpp).
#include "steps/gate/image_places.hpp"

#include "steps/yamledit/find_values.hpp"
#include "steps/yamledit/image_ref.hpp"
#include "steps/yamledit/key_path.hpp"

namespace hoist::promote {
namespace {

using yamledit::FoundValue;

// The key of the digest beside a tag key ("image.tag" -> "image.digest"); "" when its last segment is no plain key.
std::string digest_beside(const std::string& tag_key) {
  std::vector<yamledit::PathSegment> path = yamledit::parse_key_path(tag_key);
  if (path.empty() || path.back().kind != yamledit::PathSegment::Kind::key) return "";
  path.back().key = "digest";
  return yamledit::to_string(path);
}

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

class Finder {
 public:
  Finder(std::string_view content, const std::string& file, ImagePlaces& out)
      : content_(content), file_(file), out_(out) {}

  // A scalar at each match of KEY (tag or digest keys); none: missing unless OPTIONAL.
  void keys(ImagePlace::Kind kind, const std::string& key, bool optional) {
    auto found = yamledit::find_values(content_, file_, key);
    if (found.empty() && !optional) out_.missing.push_back((kind == ImagePlace::Kind::tag ? "tag " : "digest ") + key);
    for (const auto& f : found) {
      ImagePlace p = place(kind, f, key);
      if (!f.scalar) {
        out_.problems.push_back(p.where() + " is not a single value");
        continue;
      }
      if (kind == ImagePlace::Kind::tag) p.tag = non_empty(f.value);
      else p.digest = non_empty(f.value);
      p.records_digest = kind == ImagePlace::Kind::digest;
      out_.places.push_back(std::move(p));
    }
  }

  void refs(const std::string& key) {
    auto found = yamledit::find_values(content_, file_, key);
    if (found.empty()) out_.missing.push_back("ref " + key);
    for (const auto& f : found) reference(place(ImagePlace::Kind::ref, f, key), f);
  }

  void images(const std::string& repository) {
    auto found = yamledit::find_image_values(content_, file_, repository);
    if (found.empty()) out_.missing.push_back("image: values of " + repository);
    for (const auto& f : found) reference(place(ImagePlace::Kind::image, f, repository), f);
  }

  void kustomize(const std::string& name) {
    const std::string entry = "images[name=" + quoted(name) + "]";
    auto found = yamledit::find_values(content_, file_, entry);
    if (found.empty()) out_.missing.push_back("kustomize images entry " + name);
    for (const auto& f : found) {
      ImagePlace p = place(ImagePlace::Kind::kustomize, f, entry);
      auto tag = yamledit::find_values(content_, file_, entry + ".newTag");
      auto digest = yamledit::find_values(content_, file_, entry + ".digest");
      auto new_name = yamledit::find_values(content_, file_, entry + ".newName");
      p.has_name_key = !new_name.empty();
      p.repository = p.has_name_key ? new_name.front().value : name;
      p.has_tag_key = !tag.empty();
      p.has_digest_key = !digest.empty();
      if (p.has_tag_key) p.tag = non_empty(tag.front().value);
      if (p.has_digest_key) p.digest = non_empty(digest.front().value);
      p.records_digest = true;  // a missing digest key is added, to a block or a flow entry alike
      out_.places.push_back(std::move(p));
    }
  }

  void markers(const std::string& policy) {
    auto found = yamledit::find_marked_values(content_, file_, policy);
    if (found.empty()) out_.missing.push_back("marker " + policy);
    for (const auto& f : found) {
      const std::string field = f.marker.size() > policy.size() ? f.marker.substr(policy.size() + 1) : "";
      if (field == "name") continue;  // the repository: promotion keeps it
      ImagePlace p = place(ImagePlace::Kind::marker, f, f.marker);
      p.path = "marker " + f.marker + " at " + f.path;
      if (field == "tag") {
        p.tag = non_empty(f.value);
      } else if (field == "digest") {
        p.digest = non_empty(f.value);
        p.records_digest = true;
      } else {
        reference(std::move(p), f);
        continue;
      }
      out_.places.push_back(std::move(p));
    }
  }

 private:
  static std::string quoted(const std::string& s) {
    return s.find_first_of("]\"") == std::string::npos ? s : "\"" + s + "\"";
  }

  ImagePlace place(ImagePlace::Kind kind, const FoundValue& f, const std::string& target) const {
    ImagePlace p;
    p.kind = kind;
    p.path = kind == ImagePlace::Kind::image ? f.path : (kind == ImagePlace::Kind::kustomize ? target : f.path);
    p.line = f.line;
    p.column = f.column;
    p.target = target;
    return p;
  }

  // A whole reference REPO[:TAG][@DIGEST].
  void reference(ImagePlace p, const FoundValue& f) {
    auto ref = f.scalar ? yamledit::parse_image_ref(f.value) : std::nullopt;
    if (!ref) {
      out_.problems.push_back(p.where() + ": '" + f.value + "' is not an image reference");
      return;
    }
    p.repository = ref->repository;
    p.tag = non_empty(ref->tag);
    p.digest = non_empty(ref->digest);
    p.records_digest = true;
    out_.places.push_back(std::move(p));
  }

  std::string_view content_;
  const std::string& file_;
  ImagePlaces& out_;
};

}  // namespace

std::string ImagePlace::where() const {
  return path + " (" + std::to_string(line) + ":" + std::to_string(column) + ")";
}

std::optional<std::string> ImagePlaces::tag() const {
  for (const auto& p : places)
    if (p.tag) return p.tag;
  return std::nullopt;
}

std::optional<std::string> ImagePlaces::digest() const {
  for (const auto& p : places)
    if (p.digest) return p.digest;
  return std::nullopt;
}

bool ImagePlaces::can_record_digest() const {
  for (const auto& p : places)
    if (p.records_digest) return true;
  return false;
}

std::string ImagePlaces::problem() const {
  std::vector<std::string> out = problems;
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    out.push_back("no " + list + " (the app's image_at in hoist.yaml names it)");
  }
  // Every place that says a tag (or digest) says the same one.
  const ImagePlace* first_tag = nullptr;
  const ImagePlace* first_digest = nullptr;
  for (const auto& p : places) {
    if (p.tag) {
      if (!first_tag) first_tag = &p;
      else if (*p.tag != *first_tag->tag)
        out.push_back(first_tag->where() + " says tag " + *first_tag->tag + " but " + p.where() + " says " + *p.tag);
    }
    if (p.digest) {
      if (!first_digest) first_digest = &p;
      else if (*p.digest != *first_digest->digest)
        out.push_back(first_digest->where() + " says digest " + *first_digest->digest + " but " + p.where() +
                      " says " + *p.digest);
    }
  }
  std::string text;
  for (const auto& o : out) text += (text.empty() ? "" : "; ") + o;
  return text.empty() ? "" : file + ": " + text;
}

std::vector<yamledit::Edit> ImagePlaces::edits(const std::string& tag, const std::string& digest,
                                               const std::string& repository) const {
  using Kind = yamledit::Edit::Kind;
  std::vector<yamledit::Edit> out;
  auto add = [&](Kind kind, const std::string& target, const std::string& value, bool create = false) {
    for (const auto& e : out)
      if (e.kind == kind && e.target == target) return;  // one edit changes every match of an image or a marker
    out.push_back({kind, target, value, create, false});
  };
  const std::string pinned = tag + "@" + digest;
  for (const auto& p : places) {
    switch (p.kind) {
      case ImagePlace::Kind::tag: add(Kind::key_path, p.target, tag); break;
      case ImagePlace::Kind::digest: add(Kind::key_path, p.target, digest); break;
      case ImagePlace::Kind::ref:
        add(Kind::key_path, p.target, (repository.empty() ? p.repository : repository) + ":" + pinned);
        break;
      case ImagePlace::Kind::image: add(Kind::image, p.target, pinned); break;
      case ImagePlace::Kind::kustomize:
        add(Kind::key_path, p.target + ".newTag", tag, !p.has_tag_key);
        add(Kind::key_path, p.target + ".digest", digest, !p.has_digest_key);
        if (!repository.empty() && repository != p.repository)
          add(Kind::key_path, p.target + ".newName", repository, !p.has_name_key);
        break;
      case ImagePlace::Kind::marker:
        if (p.target.ends_with(":tag")) add(Kind::marker, p.target, tag);
        else if (p.target.ends_with(":digest")) add(Kind::marker, p.target, digest);
        else add(Kind::marker, p.target, p.repository + ":" + pinned);
        break;
    }
  }
  return out;
}

ImagePlaces find_image_places(std::string_view content, const std::string& file, const ImageShape& shape) {
  ImagePlaces out;
  out.file = file;
  Finder find(content, file, out);
  for (const auto& k : shape.tags) find.keys(ImagePlace::Kind::tag, k, false);
  if (shape.digests.empty()) {
    for (const auto& k : shape.tags)
      if (std::string d = digest_beside(k); !d.empty()) find.keys(ImagePlace::Kind::digest, d, true);
  } else {
    for (const auto& k : shape.digests) find.keys(ImagePlace::Kind::digest, k, false);
  }
  for (const auto& k : shape.refs) find.refs(k);
  for (const auto& n : shape.kustomize) find.kustomize(n);
  for (const auto& r : shape.images) find.images(r);
  for (const auto& m : shape.markers) find.markers(m);
  // Two whole-reference markers of one policy naming different repositories cannot take one edit.
  const ImagePlace* whole = nullptr;
  for (const auto& p : out.places) {
    if (p.kind != ImagePlace::Kind::marker || p.repository.empty()) continue;
    if (!whole) whole = &p;
    else if (p.repository != whole->repository)
      out.problems.push_back(whole->where() + " and " + p.where() + " name different repositories (" +
                             whole->repository + ", " + p.repository + ")");
  }
  return out;
}

}  // namespace hoist::promote
