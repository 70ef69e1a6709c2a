// See layer_plan.hpp for the rules.
#include "steps/image/layer_plan.hpp"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "runner/util/errors.hpp"

namespace hoist::image {
namespace fs = std::filesystem;
namespace {

struct Walk {
  const LayerEntry& entry;
  fs::path build_root;           // canonical
  std::map<std::string, TarItem>& items;
};

struct stat lstat_or_throw(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) throw Error("cannot read " + p.string() + ": " + std::strerror(errno));
  return st;
}

bool inside(const fs::path& root, const fs::path& p) {
  auto rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

bool excluded(const std::vector<std::string>& patterns, const std::string& rel) {
  std::string base = rel.substr(rel.rfind('/') + 1);
  for (const auto& pat : patterns) {
    if (::fnmatch(pat.c_str(), rel.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) return true;
    if (pat.find('/') == std::string::npos && ::fnmatch(pat.c_str(), base.c_str(), FNM_PERIOD) == 0) return true;
  }
  return false;
}

std::string join(const std::string& dir, const std::string& name) { return dir.empty() ? name : dir + "/" + name; }

void add_parents(const std::string& name, std::map<std::string, TarItem>& items) {
  for (auto slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
    TarItem dir;
    dir.name = name.substr(0, slash);
    dir.type = TarItem::Type::directory;
    dir.mode = 0755;
    items.emplace(dir.name, dir);  // an explicit entry for the same directory wins
  }
}

// Adds the item for `path` (already lstat'ed) as `name`, recursing into directories.
void add(const Walk& w, const fs::path& path, const struct stat& st, const std::string& name, const std::string& rel) {
  TarItem item;
  item.name = name;
  item.uid = w.entry.uid.value_or(0);
  item.gid = w.entry.gid.value_or(0);
  item.mode = w.entry.mode.value_or(st.st_mode & 07777);
  if (S_ISREG(st.st_mode)) {
    item.type = TarItem::Type::file;
    item.source = path;
    item.size = static_cast<std::uint64_t>(st.st_size);
    item.source_stat = st;
  } else if (S_ISLNK(st.st_mode)) {
    item.type = TarItem::Type::symlink;
    item.mode = 0777;
    item.link_target = fs::read_symlink(path).string();
    fs::path target(item.link_target);
    if (target.is_relative() && !inside(w.build_root, (path.parent_path() / target).lexically_normal()))
      throw InputError("symlink " + path.string() + " -> " + item.link_target + " points outside the build directory " +
                       w.build_root.string());
  } else if (S_ISDIR(st.st_mode)) {
    item.type = TarItem::Type::directory;
  } else {
    throw InputError("cannot put " + path.string() + " in a layer: only files, directories and symlinks can be");
  }
  if (!name.empty()) {
    w.items.insert_or_assign(name, item);
    add_parents(name, w.items);
  }
  if (item.type != TarItem::Type::directory) return;
  std::vector<std::string> children;
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    children.push_back(it->path().filename().string());
  if (ec) throw Error("cannot read directory " + path.string() + ": " + ec.message());
  std::sort(children.begin(), children.end());
  for (const auto& child : children) {
    std::string child_rel = join(rel, child);
    if (excluded(w.entry.exclude, child_rel)) continue;
    fs::path child_path = path / child;
    add(w, child_path, lstat_or_throw(child_path), join(name, child), child_rel);
  }
}

}  // namespace

std::string normalize_dest(const std::string& dest) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= dest.size()) {
    std::size_t slash = dest.find('/', start);
    if (slash == std::string::npos) slash = dest.size();
    std::string part = dest.substr(start, slash - start);
    if (part == "..") {
      if (parts.empty()) throw InputError("dest '" + dest + "' is outside the image root");
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out = join(out, p);
  return out;
}

std::vector<TarItem> plan_layer(const std::vector<LayerEntry>& entries, const fs::path& build_dir) {
  std::error_code ec;
  fs::path build_root = fs::canonical(build_dir, ec);
  if (ec) throw InputError("build directory " + build_dir.string() + " does not exist");
  std::map<std::string, TarItem> items;
  for (const auto& entry : entries) {
    if (entry.src.empty()) throw InputError("a layer entry has an empty src");
    std::string dest = normalize_dest(entry.dest);
    fs::path given = fs::path(entry.src).is_absolute() ? fs::path(entry.src) : build_root / entry.src;
    if (!fs::exists(fs::symlink_status(given, ec))) throw InputError("src '" + entry.src + "' does not exist");
    fs::path resolved = fs::canonical(given, ec);
    if (ec) throw InputError("src '" + entry.src + "' cannot be resolved: " + ec.message());
    if (resolved != build_root && !inside(build_root, resolved))
      throw InputError("src '" + entry.src + "' resolves to " + resolved.string() + ", outside the build directory " +
                       build_root.string());
    struct stat st = lstat_or_throw(resolved);
    if (!S_ISDIR(st.st_mode) && (entry.dest.empty() || entry.dest.back() == '/'))
      dest = join(dest, resolved.filename().string());
    if (dest.empty() && !S_ISDIR(st.st_mode)) throw InputError("dest '" + entry.dest + "' names the image root");
    Walk w{entry, build_root, items};
    add(w, resolved, st, dest, "");
  }
  std::vector<TarItem> out;
  out.reserve(items.size());
  for (auto& [_, item] : items) out.push_back(std::move(item));
  return out;
}

}  // namespace hoist::image
