#pragma once
// SHA-256 over a stream (OpenSSL EVP, wrapped once): blob and manifest digests are computed from the exact bytes
// sent or received, never taken on a server's word.

#include <memory>
#include <string>
#include <string_view>

namespace hoist::registry {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // "sha256:<64 lowercase hex>". The hasher is spent afterwards.
  std::string digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "sha256:<hex>" of `bytes`.
std::string sha256_digest(std::string_view bytes);

}  // namespace hoist::registry
