#pragma once
// Image references the way Docker parses them, so that what a user types in a pipeline means what it means to
// `docker pull`: "nginx" is docker.io/library/nginx:latest, "host:5000/a/b:t" names a registry by its port,
// "repo@sha256:..." pins a digest.

#include <string>
#include <string_view>

namespace hoist::registry {

struct Reference {
  std::string registry;    // "docker.io", "127.0.0.1:5000", "localhost", "[::1]:5000"
  std::string repository;  // "library/nginx", "a/b"
  std::string tag;         // empty when the reference gave only a digest
  std::string digest;      // "sha256:<64 hex>", or empty

  // The host the API is served from: registry-1.docker.io for docker.io, else `registry`.
  std::string api_host() const;
  // "registry/repository".
  std::string name() const;
  // What goes after /manifests/: the digest when there is one, else the tag.
  std::string identifier() const;
  // The canonical form: "registry/repository[:tag][@digest]".
  std::string str() const;

  Reference with_tag(std::string new_tag) const;        // drops the digest
  Reference with_digest(std::string new_digest) const;  // drops the tag
  bool operator==(const Reference&) const = default;
};

// Parses a reference; a missing registry is docker.io (one-component names get "library/"), a missing tag and digest
// is ":latest". Throws hoist::InputError naming the value when it is not a valid reference.
Reference parse_reference(std::string_view text);

// Docker's rule for the first path component of an image name: it is a registry host when it holds '.' or ':', is
// "localhost", has an upper-case letter, or is an IPv6 literal ("[::1]:5000"); otherwise the name is on Docker Hub.
bool names_registry_host(std::string_view first_component);

// True for "sha256:<64 lowercase hex>" and other well-formed "algorithm:hex" digests.
bool is_valid_digest(std::string_view digest);

}  // namespace hoist::registry
