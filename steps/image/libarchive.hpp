#pragma once
// libarchive handles, wrapped once: an archive (reader or writer) and an entry, each freed by its owner.

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace hoist::image {

using ArchiveWriter = std::unique_ptr<archive, decltype(&archive_write_free)>;
using ArchiveReader = std::unique_ptr<archive, decltype(&archive_read_free)>;
using ArchiveEntry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

inline ArchiveWriter make_archive_writer() { return ArchiveWriter(archive_write_new(), &archive_write_free); }
inline ArchiveReader make_archive_reader() { return ArchiveReader(archive_read_new(), &archive_read_free); }
inline ArchiveEntry make_archive_entry() { return ArchiveEntry(archive_entry_new(), &archive_entry_free); }

}  // namespace hoist::image
