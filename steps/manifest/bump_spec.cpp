#include "steps/manifest/bump_spec.hpp"

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/duration.hpp"
#include "runner/util/errors.hpp"
#include "steps/signing/commit_signer.hpp"
#include "steps/yamledit/key_path.hpp"

namespace hoist {
namespace {

const std::vector<std::string> kKeys = {"repo",    "branch",   "file",     "set",       "images",  "markers",
                                        "edits",   "create",   "all",      "message",   "author",  "digest",
                                        "username", "password", "ssh_key", "ca_file", "cache_dir", "timeout",
                                        "signing_key", "signing_format"};
const std::vector<std::string> kEditKeys = {"file", "set", "images", "markers", "digest"};

bool templated(const YAML::Node& n) { return n.IsScalar() && n.Scalar().find("${") != std::string::npos; }

class Reader {
 public:
  Reader(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  BumpSpec read(const YAML::Node& with) {
    BumpSpec spec;
    if (!with || with.IsNull()) {
      diags_.add(Location{file_, 0, 0}, "manifest/bump needs 'with' (repo, branch, file and an edit)");
      return spec;
    }
    if (!expect_map(with, "with", file_, diags_)) return spec;
    check_keys(with, kKeys, "manifest/bump's with", file_, diags_);
    spec.repo = required_string(with, "repo");
    spec.branch = required_string(with, "branch");
    bool create = flag(with, "create"), all = flag(with, "all");
    if (auto edits = with["edits"]) {
      for (const char* k : {"file", "set", "images", "markers"})
        if (with[k]) diags_.add(location_of(with[k], file_), std::string("'") + k + "' goes inside each of 'edits' when 'edits' is given");
      if (!edits.IsSequence() || edits.size() == 0) {
        diags_.add(location_of(edits, file_), "'edits' must be a non-empty list of {file, set, images, markers, digest}");
      } else {
        for (const auto& item : edits) {
          if (!expect_map(item, "edits entry", file_, diags_)) continue;
          check_keys(item, kEditKeys, "an edits entry", file_, diags_);
          spec.files.push_back(read_file_edits(item, create, all));
          spec.files.back().digest = optional_string(item, "digest");
          check_file_once(spec.files, item);
        }
      }
    } else {
      spec.files.push_back(read_file_edits(with, create, all));
    }
    spec.message = optional_string(with, "message");
    spec.author = optional_string(with, "author");
    spec.digest = optional_string(with, "digest");
    spec.username = optional_string(with, "username");
    spec.password = optional_string(with, "password");
    spec.ssh_key = optional_string(with, "ssh_key");
    spec.ca_file = optional_string(with, "ca_file");
    spec.cache_dir = optional_string(with, "cache_dir");
    spec.signing_key = optional_string(with, "signing_key");
    spec.signing_format = optional_string(with, "signing_format");
    if (auto n = with["signing_format"]; spec.signing_format && !templated(n) && !is_signing_format(*spec.signing_format))
      diags_.add(location_of(n, file_), "'signing_format' must be openpgp or ssh, got '" + *spec.signing_format + "'");
    if (auto n = with["timeout"]; n && !templated(n)) {
      if (auto text = read_string(n, "timeout", file_, diags_)) {
        auto d = parse_duration(*text);
        if (!d || d->count() < 1000 || *d > std::chrono::hours(24))
          diags_.add(location_of(n, file_), "'timeout' must be a duration between 1s and 24h (90s, 5m...), got '" +
                                                *text + "'");
        else
          spec.timeout = *d;
      }
    }
    if (spec.author && !templated(with["author"]) && !parse_ok_author(*spec.author))
      diags_.add(location_of(with["author"], file_), "'author' must look like 'Name <email>', got '" + *spec.author + "'");
    return spec;
  }

 private:
  static bool parse_ok_author(const std::string& a) {
    auto lt = a.find('<');
    return lt != std::string::npos && lt > 0 && a.back() == '>' && a.find('>') == a.size() - 1;
  }

  std::string required_string(const YAML::Node& map, const std::string& key) {
    auto n = map[key];
    if (!n) {
      diags_.add(location_of(map, file_), "manifest/bump needs '" + key + "'");
      return "";
    }
    auto v = read_string(n, key, file_, diags_);
    if (v && v->empty()) diags_.add(location_of(n, file_), "'" + key + "' is empty");
    return v.value_or("");
  }

  std::optional<std::string> optional_string(const YAML::Node& map, const std::string& key) {
    auto n = map[key];
    if (!n) return std::nullopt;
    return read_string(n, key, file_, diags_);
  }

  bool flag(const YAML::Node& map, const std::string& key) {
    auto n = map[key];
    if (!n || templated(n)) return false;
    return read_bool(n, key, file_, diags_).value_or(false);
  }

  // A file of the manifest repository: relative, no '.', '..' or '.git' parts ("/etc/passwd" is not one).
  void check_repo_path(const YAML::Node& map, const std::string& path) {
    if (path.empty() || templated(map["file"])) return;
    bool inside = path.front() != '/' && path.back() != '/';
    for (std::size_t start = 0; inside && start <= path.size();) {
      std::size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      const std::string part = path.substr(start, end - start);
      if (part.empty() || part == "." || part == ".." || part == ".git") inside = false;
      start = end + 1;
    }
    if (!inside)
      diags_.add(location_of(map["file"], file_),
                 "'file' must be a path inside the manifest repository, like api-gateway/qa.values.yaml, got '" +
                     path + "'");
  }

  FileEdits read_file_edits(const YAML::Node& map, bool create, bool all) {
    FileEdits fe;
    fe.file = required_string(map, "file");
    check_repo_path(map, fe.file);
    if (auto set = map["set"]; set && expect_map(set, "set", file_, diags_)) {
      check_duplicate_keys(set, "set", file_, diags_);
      for (auto it = set.begin(); it != set.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        auto value = read_string(it->second, it->first.Scalar(), file_, diags_);
        if (!value) continue;
        check_key_path(it->first);
        fe.edits.push_back({yamledit::Edit::Kind::key_path, it->first.Scalar(), *value, create, all});
      }
    }
    if (auto images = map["images"]) {
      if (auto list = read_string_list(images, "images", file_, diags_)) {
        size_t i = 0;
        for (const auto& ref : *list) {
          const YAML::Node item = images[i++];
          if (templated(item)) continue;  // checked once its value is known
          if (auto edit = image_edit(ref))
            fe.edits.push_back(*edit);
          else
            diags_.add(location_of(item, file_), "'images' entries are REPOSITORY:TAG, REPOSITORY@DIGEST or "
                                                 "REPOSITORY:TAG@DIGEST, got '" + ref + "'");
        }
      }
    }
    if (auto markers = map["markers"]; markers && expect_map(markers, "markers", file_, diags_)) {
      check_duplicate_keys(markers, "markers", file_, diags_);
      for (auto it = markers.begin(); it != markers.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        auto value = read_string(it->second, it->first.Scalar(), file_, diags_);
        if (value) fe.edits.push_back({yamledit::Edit::Kind::marker, it->first.Scalar(), *value, false, false});
      }
    }
    if (fe.edits.empty() && !map["set"] && !map["images"] && !map["markers"])
      diags_.add(location_of(map, file_), "give at least one edit: set, images or markers");
    return fe;
  }

  // Each file once: a second entry for the same file would be applied to the file as it was, losing the first's
  // edits.
  void check_file_once(const std::vector<FileEdits>& files, const YAML::Node& item) {
    const std::string& last = files.back().file;
    if (last.empty() || templated(item["file"])) return;
    for (std::size_t i = 0; i + 1 < files.size(); ++i)
      if (files[i].file == last)
        diags_.add(location_of(item["file"], file_), "'" + last + "' is already edited by edits entry " +
                                                         std::to_string(i + 1) + ": give all its edits in one entry");
  }

  void check_key_path(const YAML::Node& key) {
    if (templated(key)) return;
    try {
      yamledit::parse_key_path(key.Scalar());
    } catch (const InputError& e) {
      diags_.add(location_of(key, file_), e.what());
    }
  }

  // "host/repo:tag@digest" → an image edit: target "host/repo", value "tag@digest".
  static std::optional<yamledit::Edit> image_edit(const std::string& ref) {
    auto slash = ref.rfind('/');
    size_t from = slash == std::string::npos ? 0 : slash + 1;
    auto at = ref.find('@', from);
    auto colon = ref.find(':', from);
    size_t split = std::min(at, colon);
    if (split == std::string::npos || split == 0 || split + 1 >= ref.size()) return std::nullopt;
    return yamledit::Edit{yamledit::Edit::Kind::image, ref.substr(0, split),
                          ref[split] == ':' ? ref.substr(split + 1) : ref.substr(split), false, false};
  }

  const std::string& file_;
  Diagnostics& diags_;
};

}  // namespace

BumpSpec read_bump_spec(const YAML::Node& with, const std::string& file, Diagnostics& diags) {
  return Reader(file, diags).read(with);
}

}  // namespace hoist
