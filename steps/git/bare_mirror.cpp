// See bare_mirror.hpp.

#include "steps/git/bare_mirror.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "runner/util/whole_file.hpp"
#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUrlFile = "hoist-url";  // which repository this mirror mirrors (credential-free URL)

std::string read_all(const fs::path& p) { return read_whole_file(p).value_or(""); }

// Opens the mirror at `path` if it is one for `url`; nullptr (and why) otherwise.
GitPtr<git_repository> open_existing(const fs::path& path, const std::string& url, std::string& why) {
  git_repository* raw = nullptr;
  if (git_repository_open_bare(&raw, path.c_str()) < 0) {
    const git_error* e = git_error_last();
    why = std::string("cannot open it: ") + (e && e->message ? e->message : "unknown error");
    return nullptr;
  }
  GitPtr<git_repository> repo(raw);
  if (!fs::exists(path / kUrlFile) || read_all(path / kUrlFile) != url) {
    why = "it was made for another repository";
    return nullptr;
  }
  // Every ref must point at an object we have; a mirror with holes would make negotiation lie to the server.
  git_reference_iterator* it_raw = nullptr;
  if (git_reference_iterator_new(&it_raw, repo.get()) < 0) {
    why = "cannot list its references";
    return nullptr;
  }
  GitPtr<git_reference_iterator> it(it_raw);
  GitPtr<git_odb> odb = git_make<git_odb>("cannot open the object database", git_repository_odb, repo.get());
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it.get()) == 0) {
    GitPtr<git_reference> owned(ref);
    const git_oid* target = git_reference_target(ref);
    if (target && !git_odb_exists(odb.get(), target)) {
      why = std::string("reference ") + git_reference_name(ref) + " points at a missing object";
      return nullptr;
    }
  }
  return repo;
}

GitPtr<git_repository> create(const fs::path& path, const std::string& url) {
  auto repo = git_make<git_repository>("cannot create a bare repository", git_repository_init, path.c_str(), 1u);
  std::ofstream(path / kUrlFile, std::ios::binary) << url;
  return repo;
}

}  // namespace

std::string mirror_name(const std::string& url) {
  libgit2_init();
  git_oid oid;
  git_check(git_odb_hash(&oid, url.data(), url.size(), GIT_OBJECT_BLOB), "cannot hash the repository URL");
  std::string base = url;
  while (!base.empty() && (base.back() == '/')) base.pop_back();
  base = base.substr(base.find_last_of("/:") == std::string::npos ? 0 : base.find_last_of("/:") + 1);
  if (base.size() > 4 && base.ends_with(".git")) base.resize(base.size() - 4);
  std::string safe;
  for (char c : base) safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  if (safe.size() > 40) safe.resize(40);
  return (safe.empty() ? "repo" : safe) + "-" + to_hex(oid).substr(0, 12) + ".git";
}

BareMirror::BareMirror(const std::string& url, const std::optional<std::string>& cache_dir,
                       const std::function<void(std::string_view)>& warn) {
  try {
    init(url, cache_dir, warn);
  } catch (...) {
    release();  // the destructor does not run for a constructor that throws
    throw;
  }
}

void BareMirror::init(const std::string& url, const std::optional<std::string>& cache_dir,
                      const std::function<void(std::string_view)>& warn) {
  libgit2_init();
  if (!cache_dir || cache_dir->empty()) {
    std::string tmpl = (fs::temp_directory_path() / "hoist-git-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw Error("cannot create a temporary directory: " + std::string(std::strerror(errno)));
    path_ = tmpl;
    repo_ = create(path_, url);
    return;
  }
  cached_ = true;
  fs::path root = fs::path(*cache_dir) / "hoist-git";
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) throw Error("cannot create the cache directory " + root.string() + ": " + ec.message());
  path_ = root / mirror_name(url);

  std::string lock_path = path_.string() + ".lock";
  lock_fd_.reset(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!lock_fd_) throw Error("cannot open " + lock_path + ": " + std::strerror(errno));
  while (::flock(lock_fd_.get(), LOCK_EX) < 0) {
    if (errno != EINTR) throw Error("cannot lock " + lock_path + ": " + std::strerror(errno));
  }

  if (fs::exists(path_)) {
    std::string why;
    repo_ = open_existing(path_, url, why);
    if (repo_) return;
    if (warn) warn("discarding the git cache " + path_.string() + " (" + why + "); fetching again");
    fs::remove_all(path_, ec);
    if (ec) throw Error("cannot remove the git cache " + path_.string() + ": " + ec.message());
  }
  repo_ = create(path_, url);
}

BareMirror::~BareMirror() { release(); }

void BareMirror::release() noexcept {
  repo_.reset();
  std::error_code ec;
  if (!cached_ && !path_.empty()) fs::remove_all(path_, ec);
  lock_fd_.reset();  // releases the flock
}

}  // namespace hoist
