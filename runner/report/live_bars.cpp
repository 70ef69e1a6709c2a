// See live_bars.hpp.
#include "runner/report/live_bars.hpp"

#include <algorithm>

#include "runner/util/byte_size.hpp"

namespace hoist {
namespace {

// `text` cut to at most `columns` columns, never inside a UTF-8 sequence.
std::string cut_to(const std::string& text, size_t columns) {
  size_t w = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    bool starts_char = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_char && ++w > columns) return text.substr(0, i);
  }
  return text;
}

}  // namespace

size_t display_width(std::string_view text) {
  size_t w = 0;
  for (unsigned char c : text) w += (c & 0xC0) != 0x80;
  return w;
}

void LiveBars::set(const std::string& key, std::string line) {
  for (auto& [k, text] : lines_)
    if (k == key) {
      text = std::move(line);
      return;
    }
  lines_.emplace_back(key, std::move(line));
}

void LiveBars::remove(const std::string& key) {
  lines_.erase(std::remove_if(lines_.begin(), lines_.end(), [&](const auto& l) { return l.first == key; }),
               lines_.end());
}

void LiveBars::remove_prefix(const std::string& prefix) {
  lines_.erase(std::remove_if(lines_.begin(), lines_.end(),
                              [&](const auto& l) { return l.first.rfind(prefix, 0) == 0; }),
               lines_.end());
}

std::string LiveBars::erase() {
  if (drawn_ == 0) return "";
  std::string out = "\r\033[" + std::to_string(drawn_) + "A\033[J";
  drawn_ = 0;
  return out;
}

std::string LiveBars::draw() {
  std::string out;
  for (const auto& [key, text] : lines_) out += text + "\n";
  drawn_ = lines_.size();
  return out;
}

std::string progress_bar_line(const std::string& label, const BlobProgress& p, int columns) {
  const size_t room = columns > 1 ? static_cast<size_t>(columns - 1) : 0;
  const std::string left = label + " " + short_blob_digest(p.digest) + " ";
  const std::string right = " " + human_size(p.sent) + " / " + human_size(p.total) + " " + human_rate(p.rate);
  const size_t fixed = display_width(left) + display_width(right) + 2;  // + the brackets
  constexpr size_t kMinBar = 5, kMaxBar = 40;
  if (room < fixed + kMinBar) return cut_to(left + right.substr(1), room);
  const size_t bar = std::min(kMaxBar, room - fixed);
  size_t filled = p.total == 0 ? bar : static_cast<size_t>(static_cast<double>(bar) * p.sent / p.total);
  filled = std::min(filled, bar);
  std::string cells(filled, '=');
  if (filled < bar) {
    if (filled > 0) cells.back() = '>';
    cells.append(bar - filled, ' ');
  }
  return left + "[" + cells + "]" + right;
}

}  // namespace hoist
