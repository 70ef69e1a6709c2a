// See sideband_lines.hpp.

#include "steps/git/sideband_lines.hpp"

namespace hoist {

void SidebandLines::feed(std::string_view chunk, const Emit& emit) {
  size_t start = 0;
  while (start < chunk.size()) {
    size_t end = chunk.find_first_of("\r\n", start);
    if (end == std::string_view::npos) {
      pending_.append(chunk.substr(start));
      if (pending_.size() >= max_line) flush(emit);
      return;
    }
    pending_.append(chunk.substr(start, end - start));
    std::string line = std::move(pending_);
    pending_.clear();
    emit(line);
    start = end + 1;
  }
}

void SidebandLines::flush(const Emit& emit) {
  if (pending_.empty()) return;
  std::string line = std::move(pending_);
  pending_.clear();
  emit(line);
}

}  // namespace hoist
