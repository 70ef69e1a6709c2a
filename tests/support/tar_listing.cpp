// See tar_listing.hpp.
#include "tests/support/tar_listing.hpp"

#include <stdexcept>

#include "steps/image/libarchive.hpp"

namespace hoist::test {

std::vector<TarListing> list_tar(const std::filesystem::path& path) {
  auto reader = image::make_archive_reader();
  archive* a = reader.get();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw std::runtime_error("cannot open " + path.string() + ": " + archive_error_string(a));
  std::vector<TarListing> out;
  archive_entry* e = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    TarListing t;
    t.name = archive_entry_pathname(e);
    auto ft = archive_entry_filetype(e);
    t.type = ft == AE_IFDIR ? 'd' : ft == AE_IFREG ? 'f' : ft == AE_IFLNK ? 'l' : '?';
    t.mode = archive_entry_perm(e);
    t.uid = archive_entry_uid(e);
    t.gid = archive_entry_gid(e);
    t.mtime = archive_entry_mtime(e);
    t.has_atime = archive_entry_atime_is_set(e);
    t.has_ctime = archive_entry_ctime_is_set(e);
    t.uname = archive_entry_uname(e) ? archive_entry_uname(e) : "";
    t.gname = archive_entry_gname(e) ? archive_entry_gname(e) : "";
    t.link_target = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
    t.xattrs = archive_entry_xattr_count(e);
    if (t.type == 'f') {
      char buf[8192];
      la_ssize_t n;
      while ((n = archive_read_data(a, buf, sizeof buf)) > 0) t.contents.append(buf, static_cast<size_t>(n));
      if (n < 0) throw std::runtime_error("cannot read " + t.name + " from " + path.string());
    }
    out.push_back(std::move(t));
  }
  if (rc != ARCHIVE_EOF) throw std::runtime_error("bad tar " + path.string() + ": " + archive_error_string(a));
  return out;
}

}  // namespace hoist::test
