#pragma once
// Buildah (Debian's package) as the program that runs the images Hoist builds: `buildah from` pulls an image from a
// loopback registry into a private storage root (a temporary directory, vfs driver), `buildah run --isolation
// chroot` runs a command in it. Everything it made is removed when the object dies, so a test leaves nothing behind.

#include <string>
#include <vector>

#include "tests/support/command.hpp"
#include "tests/support/temp_dir.hpp"

namespace hoist::test {

class Buildah {
 public:
  Buildah();
  ~Buildah();  // `buildah rm --all`, `rmi --all --force`, then the storage root goes with its TempDir
  Buildah(const Buildah&) = delete;
  Buildah& operator=(const Buildah&) = delete;

  // A working container from `image` (pulled with TLS verification off: loopback registries over plain HTTP), for
  // `arch` when not empty ("arm64": the image an index lists for linux/arm64). Throws std::runtime_error with
  // buildah's message when it fails.
  std::string from(const std::string& image, const std::string& arch = "", const std::string& variant = "");
  // `buildah run --isolation chroot CONTAINER -- ARGV...`: the config's Env, WorkingDir and User apply. For commands
  // that print something: a run that printed nothing at all is run again (buildah.cpp says why).
  CommandResult run(const std::string& container, const std::vector<std::string>& argv);
  // The container's image as buildah read it (the OCIv1 part of `buildah inspect`), as JSON text, and its `config`.
  std::string image_json(const std::string& container);
  std::string config_json(const std::string& container);
  // Any buildah command with this storage root.
  CommandResult buildah(std::vector<std::string> args);

 private:
  TempDir dir_{"hoist-buildah"};
};

// The program and arguments a runtime starts for an image: its Entrypoint followed by its Cmd (as in the config).
std::vector<std::string> entrypoint_and_cmd(const std::string& config_json);

}  // namespace hoist::test
