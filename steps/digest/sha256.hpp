#pragma once
// SHA-256 through OpenSSL's EVP interface, the one place Hoist touches libcrypto's digests. Blob digests and
// diff_ids are computed while bytes stream past, so no blob ever has to sit in memory to be hashed; manifest and blob
// digests are computed from the exact bytes sent or received, never taken on a server's word. Used by the image
// builder (steps/image) and the registry client (steps/registry).

#include <openssl/evp.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace hoist {

class Sha256 {
 public:
  Sha256();  // throws hoist::Error when libcrypto cannot set up the digest
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // "sha256:<64 hex digits>"; the object cannot be updated afterwards.
  std::string digest();

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

// "sha256:<hex>" of a byte string / of a whole file (read in chunks; throws hoist::Error naming the path).
std::string sha256_digest(std::string_view bytes);
std::string sha256_file(const std::filesystem::path& path);

// The hex part of "sha256:<hex>"; throws hoist::Error when `digest` is not a well-formed sha256 digest.
std::string digest_hex(const std::string& digest);

}  // namespace hoist
