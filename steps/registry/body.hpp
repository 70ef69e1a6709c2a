#pragma once
// Request bodies that can be replayed. A retried upload must start again from the first byte, so an upload never
// takes a stream: it takes a source that opens a fresh reader for every attempt (a file from its start, a blob
// downloaded again from another registry, bytes in memory).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace hoist::registry {

class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Fills up to `n` bytes; returns 0 at the end. Throws hoist::Error when the data cannot be read (or, for a
  // verified source, turns out not to be what it claimed to be).
  virtual size_t read(char* buffer, size_t n) = 0;
};

class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::uint64_t size() const = 0;
  // A reader positioned at the first byte; each call starts over.
  virtual std::unique_ptr<BodyReader> open() const = 0;
};

class FileBody : public BodySource {
 public:
  FileBody(std::filesystem::path path, std::uint64_t size) : path_(std::move(path)), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::unique_ptr<BodyReader> open() const override;

 private:
  std::filesystem::path path_;
  std::uint64_t size_;
};

class StringBody : public BodySource {
 public:
  explicit StringBody(std::string bytes) : bytes_(std::move(bytes)) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::unique_ptr<BodyReader> open() const override;

 private:
  std::string bytes_;
};

}  // namespace hoist::registry
