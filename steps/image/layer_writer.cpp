// See layer_writer.hpp.
#include "steps/image/layer_writer.hpp"

#include <fcntl.h>
#include <locale.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "runner/util/errors.hpp"
#include "runner/util/unique_fd.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/image/file_hash_memo.hpp"
#include "steps/image/libarchive.hpp"

namespace hoist::image {
namespace {

void write_all(int fd, const unsigned char* data, std::size_t size, const std::filesystem::path& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// libarchive writes pax names and link targets as UTF-8, converted from the charset of the current locale: under
// the C locale (a process's default) any non-ASCII name fails ("Can't translate linkname ... to UTF-8", e.g. the
// certificate links of Debian's ca-certificates). Names on Linux are bytes, which images carry as UTF-8 (as Go's
// archive/tar writes them), so this thread uses C.UTF-8 while a layer is written; the process's locale is untouched.
class Utf8ThreadLocale {
 public:
  Utf8ThreadLocale() : utf8_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0))) {
    if (utf8_) previous_ = ::uselocale(utf8_);
  }
  ~Utf8ThreadLocale() {
    if (!utf8_) return;
    ::uselocale(previous_);
    ::freelocale(utf8_);
  }
  Utf8ThreadLocale(const Utf8ThreadLocale&) = delete;
  Utf8ThreadLocale& operator=(const Utf8ThreadLocale&) = delete;

 private:
  locale_t utf8_;
  locale_t previous_ = static_cast<locale_t>(0);
};

// The chain behind libarchive: tar bytes in, compressed bytes out to the file, both hashed on the way. The
// encoder is declared after the hashes and counters its sink uses.
class Pipeline {
 public:
  Pipeline(const LayerOptions& options, int fd, const std::filesystem::path& path)
      : encoder_(make_encoder(
            options.compression, options.level,
            [this, fd, path](const unsigned char* data, std::size_t size) {
              blob_hash_.update(data, size);
              size_ += size;
              write_all(fd, data, size, path);
            },
            options.threads)) {}

  void tar_bytes(const void* data, std::size_t size) {
    tar_hash_.update(data, size);
    tar_size_ += size;
    encoder_->write(data, size);
  }

  LayerDigests finish() {
    encoder_->finish();
    return LayerDigests{blob_hash_.digest(), tar_hash_.digest(), size_, tar_size_};
  }

  // libarchive's write callback: C code above us, so exceptions are parked and rethrown by the caller.
  static la_ssize_t on_write(archive*, void* self, const void* data, size_t size) {
    auto* p = static_cast<Pipeline*>(self);
    try {
      p->tar_bytes(data, size);
      return static_cast<la_ssize_t>(size);
    } catch (...) {
      p->error_ = std::current_exception();
      return -1;
    }
  }

  void rethrow_or(archive* a, const std::string& what) {
    if (error_) std::rethrow_exception(error_);
    throw Error(what + ": " + (archive_error_string(a) ? archive_error_string(a) : "libarchive failed"));
  }

 private:
  Sha256 tar_hash_;
  Sha256 blob_hash_;
  std::uint64_t size_ = 0;
  std::uint64_t tar_size_ = 0;
  std::unique_ptr<Encoder> encoder_;
  std::exception_ptr error_;
};

void copy_contents(archive* a, Pipeline& pipeline, const TarItem& item, std::vector<char>& buf, Sha256* content) {
  UniqueFd fd(::open(item.source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) throw Error("cannot read " + item.source.string() + ": " + std::strerror(errno));
  std::uint64_t left = item.size;
  for (;;) {
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot read " + item.source.string() + ": " + std::strerror(errno));
    if (n == 0) break;
    if (static_cast<std::uint64_t>(n) > left) break;
    if (content) content->update(buf.data(), static_cast<std::size_t>(n));
    if (archive_write_data(a, buf.data(), static_cast<size_t>(n)) != n)
      pipeline.rethrow_or(a, "cannot write the layer");
    left -= static_cast<std::uint64_t>(n);
  }
  if (left != 0 || ::read(fd.get(), buf.data(), 1) != 0)
    throw Error(item.source.string() + " changed while the layer was being written");
}

}  // namespace

LayerDigests write_layer(const std::vector<TarItem>& items, const LayerOptions& options,
                         const std::filesystem::path& out, ContentHashes* hashes) {
  if (hashes) *hashes = ContentHashes{std::vector<std::string>(items.size()), std::vector<std::int64_t>(items.size())};
  UniqueFd fd(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) throw Error("cannot write " + out.string() + ": " + std::strerror(errno));
  Pipeline pipeline(options, fd.get(), out);

  Utf8ThreadLocale utf8;  // before the writer: its charset conversion is set up for the locale of its time
  ArchiveWriter writer = make_archive_writer();
  archive* a = writer.get();
  // pax_restricted: plain ustar headers unless a name, size or id needs a pax extension, as docker writes them.
  if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
      archive_write_open(a, &pipeline, nullptr, &Pipeline::on_write, nullptr) != ARCHIVE_OK)
    pipeline.rethrow_or(a, "cannot start the layer");

  std::vector<char> buf(1 << 16);
  for (std::size_t k = 0; k < items.size(); ++k) {
    const TarItem& item = items[k];
    ArchiveEntry entry = make_archive_entry();
    archive_entry* e = entry.get();
    bool dir = item.type == TarItem::Type::directory;
    archive_entry_set_pathname(e, dir ? (item.name + "/").c_str() : item.name.c_str());
    archive_entry_set_uid(e, item.uid);
    archive_entry_set_gid(e, item.gid);
    archive_entry_set_mtime(e, options.mtime, 0);
    switch (item.type) {
      case TarItem::Type::directory:
        archive_entry_set_filetype(e, AE_IFDIR);
        break;
      case TarItem::Type::file:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, static_cast<la_int64_t>(item.size));
        break;
      case TarItem::Type::symlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, item.link_target.c_str());
        break;
    }
    archive_entry_set_perm(e, item.mode);
    if (archive_write_header(a, e) != ARCHIVE_OK) pipeline.rethrow_or(a, "cannot add " + item.name + " to the layer");
    if (item.type != TarItem::Type::file) continue;
    if (!hashes) {
      copy_contents(a, pipeline, item, buf, nullptr);
      continue;
    }
    Sha256 content;
    hashes->read_at_ns[k] = realtime_ns();
    copy_contents(a, pipeline, item, buf, &content);
    hashes->digests[k] = content.digest();
  }
  if (archive_write_close(a) != ARCHIVE_OK) pipeline.rethrow_or(a, "cannot finish the layer");
  LayerDigests d = pipeline.finish();
  if (::fsync(fd.get()) != 0) throw Error("cannot write " + out.string() + ": " + std::strerror(errno));
  return d;
}

}  // namespace hoist::image
