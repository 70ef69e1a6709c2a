// See libgit2.hpp.

#include "steps/git/libgit2.hpp"

#include <cstdlib>

#include "runner/util/url_userinfo.hpp"

namespace hoist {
namespace {

// Holds libgit2's global state for the life of the process.
class Libgit2Global {
 public:
  Libgit2Global() {
    if (git_libgit2_init() < 0) throw Error("cannot initialise libgit2");
    // Reading an object does not hash it again: a pack is checked once, when it is indexed after the fetch (as git
    // itself does). Re-hashing every tree a history walk reads was most of the time of a bump on a long history.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  }
  ~Libgit2Global() { git_libgit2_shutdown(); }
  Libgit2Global(const Libgit2Global&) = delete;
  Libgit2Global& operator=(const Libgit2Global&) = delete;
};

}  // namespace

void libgit2_init() {
  static Libgit2Global global;  // C++ guarantees one thread-safe initialisation
}

void use_environment_ca_locations() {
  libgit2_init();
  // libgit2's TLS (mbedTLS on Debian) does not read these as OpenSSL does. Parsing them costs mbedTLS about 100 ms
  // of CPU (a bundle and a directory of some 300 files), which a process that never speaks https should not pay:
  // so this runs once, when an https remote is first used (parse_remote), and a step's ca_file, set after it,
  // still overrides.
  static const bool applied = [] {
    const char* file = std::getenv("SSL_CERT_FILE");
    const char* dir = std::getenv("SSL_CERT_DIR");
    if ((file && *file) || (dir && *dir))
      git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file && *file ? file : nullptr, dir && *dir ? dir : nullptr);
    return true;
  }();
  (void)applied;
}

int git_check(int rc, std::string_view what) {
  if (rc >= 0) return rc;
  const git_error* e = git_error_last();
  std::string detail = e && e->message ? e->message : "libgit2 error " + std::to_string(rc);
  // libgit2 quotes remote URLs in some messages; a URL may carry a token.
  throw GitError(redact_url_userinfo(std::string(what) + ": " + detail), rc);
}

git_oid parse_oid(const std::string& hex) {
  git_oid oid;
  git_check(git_oid_fromstr(&oid, hex.c_str()), "invalid commit id '" + hex + "'");
  return oid;
}

std::string git_global_config(const char* name) {
  libgit2_init();
  git_config* raw = nullptr;
  if (git_config_open_default(&raw) < 0) return "";
  GitPtr<git_config> config(raw);
  GitBuf value;
  if (git_config_get_string_buf(value.get(), config.get(), name) < 0) return "";
  return value.str();
}

std::string to_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

}  // namespace hoist
