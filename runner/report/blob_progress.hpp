#pragma once
// One blob on its way to a registry, as the registry client reports it and the reporters show it: while it uploads
// (bytes sent of the total and the rate, a few times a second at most), then once when it is done — pushed,
// mounted from another repository, skipped because the registry has it, or failed. Step kinds pass these on through
// StepContext::progress; the executor hands them to Reporter::blob_progress.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace hoist {

struct BlobProgress {
  enum class State { uploading, pushed, mounted, skipped, failed };
  State state = State::uploading;
  std::string digest;                     // "sha256:..." in full
  std::uint64_t sent = 0;                 // bytes of this attempt sent so far (pushed: all of them)
  std::uint64_t total = 0;                // the blob's size
  std::chrono::milliseconds elapsed{0};   // since the upload started (0 for mounted and skipped)
  double rate = 0;                        // bytes per second over `elapsed`; 0 when unknown

  bool done() const { return state != State::uploading; }
};

using BlobProgressSink = std::function<void(const BlobProgress&)>;

// "uploading", "pushed", "mounted", "skipped", "failed"
const char* to_string(BlobProgress::State state);

// "sha256:0123456789ab": the algorithm and the first 12 hex digits, as Hoist prints digests in progress lines.
std::string short_blob_digest(const std::string& digest);

// The event in one line, as plain output and step logs show it:
//   pushed sha256:0123456789ab 12.3 MiB in 310ms (39.7 MiB/s)
//   mounted sha256:0123456789ab 12.3 MiB (from another repository)
//   skipped sha256:0123456789ab 12.3 MiB (already there)
//   failed sha256:0123456789ab after 3.1 MiB of 12.3 MiB
//   uploading sha256:0123456789ab 3.1 MiB of 12.3 MiB
std::string describe(const BlobProgress& progress);

}  // namespace hoist
