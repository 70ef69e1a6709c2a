// See blob_progress.hpp.
#include "runner/report/blob_progress.hpp"

#include "runner/util/byte_size.hpp"
#include "runner/util/duration.hpp"

namespace hoist {

const char* to_string(BlobProgress::State state) {
  switch (state) {
    case BlobProgress::State::uploading: return "uploading";
    case BlobProgress::State::pushed: return "pushed";
    case BlobProgress::State::mounted: return "mounted";
    case BlobProgress::State::skipped: return "skipped";
    case BlobProgress::State::failed: return "failed";
  }
  return "failed";
}

std::string short_blob_digest(const std::string& digest) {
  auto colon = digest.find(':');
  return colon == std::string::npos ? digest.substr(0, 12) : digest.substr(0, colon + 1 + 12);
}

std::string describe(const BlobProgress& p) {
  const std::string what = std::string(to_string(p.state)) + " " + short_blob_digest(p.digest) + " ";
  switch (p.state) {
    case BlobProgress::State::pushed:
      return what + human_size(p.total) + " in " + format_duration(p.elapsed) + " (" + human_rate(p.rate) + ")";
    case BlobProgress::State::mounted: return what + human_size(p.total) + " (from another repository)";
    case BlobProgress::State::skipped: return what + human_size(p.total) + " (already there)";
    case BlobProgress::State::failed: return what + "after " + human_size(p.sent) + " of " + human_size(p.total);
    case BlobProgress::State::uploading: return what + human_size(p.sent) + " of " + human_size(p.total);
  }
  return what;
}

}  // namespace hoist
