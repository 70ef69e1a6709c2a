// See sha256.hpp.
#include "steps/digest/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runner/util/errors.hpp"
#include "runner/util/unique_fd.hpp"

namespace hoist {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) throw Error("cannot initialise SHA-256");
}

void Sha256::update(const void* data, std::size_t size) {
  if (size > 0 && EVP_DigestUpdate(ctx_.get(), data, size) != 1) throw Error("SHA-256 update failed");
}

std::string Sha256::digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), md, &len) != 1) throw Error("SHA-256 final failed");
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 0xf];
  }
  return out;
}

std::string sha256_digest(std::string_view bytes) {
  Sha256 h;
  h.update(bytes.data(), bytes.size());
  return h.digest();
}

std::string sha256_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
  Sha256 h;
  std::vector<char> buf(1 << 16);
  for (;;) {
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
    if (n == 0) break;
    h.update(buf.data(), static_cast<std::size_t>(n));
  }
  return h.digest();
}

std::string digest_hex(const std::string& digest) {
  constexpr std::string_view prefix = "sha256:";
  bool ok = digest.size() == prefix.size() + 64 && digest.compare(0, prefix.size(), prefix) == 0;
  for (std::size_t i = prefix.size(); ok && i < digest.size(); ++i)
    ok = (digest[i] >= '0' && digest[i] <= '9') || (digest[i] >= 'a' && digest[i] <= 'f');
  if (!ok) throw Error("not a sha256 digest: '" + digest + "'");
  return digest.substr(prefix.size());
}

}  // namespace hoist
