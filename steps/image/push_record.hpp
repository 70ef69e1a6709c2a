#pragma once
// What this machine already pushed: "manifest D was accepted by repository R" (R with its registry), one empty file
// per fact under `<store>/pushed/`, named by the SHA-256 of "R@D". An unchanged rebuild into the same repository
// then puts its tags at once, without the HEAD of every blob, the copy of the base and the put of the manifest by
// digest.
//
// A record is a hint, never trusted blindly: a registry checks, when a manifest is put, that every blob and child
// manifest it names is in the repository, so a tag put on a record whose content has since been deleted (garbage
// collection, a deleted repository) is refused, and image/build then forgets the record and pushes the whole way
// (HEAD, upload what is missing, manifests, tags).

#include <filesystem>
#include <string>

#include "steps/image/content_store.hpp"

namespace hoist::image {

class PushRecords {
 public:
  explicit PushRecords(const ContentStore& store) : dir_(store.root() / "pushed") {}

  // `repository` as a Reference's name() gives it ("127.0.0.1:5000/shop/app"); `digest` "sha256:…".
  bool has(const std::string& repository, const std::string& digest) const;
  void remember(const std::string& repository, const std::string& digest) const;  // best effort: a cache
  void forget(const std::string& repository, const std::string& digest) const;

 private:
  std::filesystem::path file(const std::string& repository, const std::string& digest) const;
  std::filesystem::path dir_;
};

}  // namespace hoist::image
