// See body.hpp.

#include "steps/registry/body.hpp"

#include <cstring>
#include <fstream>

#include "runner/util/errors.hpp"

namespace hoist::registry {
namespace {

class FileReader : public BodyReader {
 public:
  explicit FileReader(const std::filesystem::path& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw Error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  size_t read(char* buffer, size_t n) override {
    in_.read(buffer, static_cast<std::streamsize>(n));
    if (in_.bad()) throw Error("cannot read " + path_.string());
    return static_cast<size_t>(in_.gcount());
  }

 private:
  std::filesystem::path path_;
  std::ifstream in_;
};

class StringReader : public BodyReader {
 public:
  explicit StringReader(const std::string& bytes) : bytes_(bytes) {}
  size_t read(char* buffer, size_t n) override {
    size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(buffer, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  const std::string& bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<BodyReader> FileBody::open() const { return std::make_unique<FileReader>(path_); }
std::unique_ptr<BodyReader> StringBody::open() const { return std::make_unique<StringReader>(bytes_); }

}  // namespace hoist::registry
