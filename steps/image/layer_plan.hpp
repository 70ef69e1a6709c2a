#pragma once
// What goes into a layer, decided before a byte is written: the build's `{src, dest, mode, uid, gid, exclude}`
// entries walked into one sorted list of tar items. Everything that could make two builds of the same files differ
// (directory order, owners, mtimes, atimes, xattrs, hard links) is left out here, so the tar writer only has to
// copy what the plan says.
//
// Rules:
// - `src` is relative to the build directory (or absolute inside it). A `src` that is itself a symlink is followed,
//   but it must resolve inside the build directory. A directory `src` becomes `dest` itself and everything below
//   it; a file `src` becomes `dest`, or `dest/<name>` when `dest` ends with '/'.
// - `dest` is a path in the image; ".." that would climb above the image root is refused.
// - Symlinks below a directory `src` are kept as symlinks. A relative target that, resolved from the link's place,
//   leaves the build directory is refused; absolute targets name paths inside the image and are kept.
// - Parent directories of `dest` are added as 0755 root:root directories (unless an entry provides them).
// - `mode` replaces the permission bits of the files and directories from `src` (not of symlinks); otherwise they
//   are kept. uid/gid are 0 unless given. Hard links are stored as separate files. Devices, FIFOs and sockets are
//   refused.
// - `exclude` patterns (fnmatch) are matched against the path relative to `src`; a pattern without '/' also
//   matches any single name at any depth. An excluded directory is skipped with everything below it.
// - When two entries produce the same path, the later one wins.

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hoist::image {

struct LayerEntry {
  std::string src;
  std::string dest;
  std::optional<unsigned> mode;
  std::optional<long long> uid;
  std::optional<long long> gid;
  std::vector<std::string> exclude;
};

struct TarItem {
  enum class Type { directory, file, symlink };
  std::string name;                // in the image, without a leading '/': "app/bin/server"
  Type type = Type::file;
  std::filesystem::path source;    // where a file's contents come from; empty for directories and symlinks
  unsigned mode = 0;               // permission bits (07777)
  long long uid = 0;
  long long gid = 0;
  std::uint64_t size = 0;          // of a file
  std::string link_target;         // of a symlink, as written
  struct stat source_stat {};      // of a file's source, when planned (for the file hash memo: no second stat)
};

// Walks the entries into items sorted by name. Throws hoist::InputError naming the offending path for a missing
// `src`, a `src` or symlink escaping the build directory, a `dest` outside the image root, or an unsupported file
// type.
std::vector<TarItem> plan_layer(const std::vector<LayerEntry>& entries, const std::filesystem::path& build_dir);

// `dest` as a path in the image without the leading '/' ("" for the root), or InputError when it leaves the root.
std::string normalize_dest(const std::string& dest);

}  // namespace hoist::image
