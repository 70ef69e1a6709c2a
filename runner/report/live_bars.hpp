#pragma once
// The live part of a terminal's output: one line per blob in flight, always kept below everything else printed.
// Anything else is written as erase() + the new lines + draw(): the bars are wiped (cursor up over them, clear to the
// end of the screen), the lines scroll up as usual, and the bars are drawn again under them, so a log line printed
// while blobs upload is never cut into a bar. A tick redraws the bars the same way. Lines must fit the terminal
// (progress_bar_line cuts them), or the count of lines to go back up over would be wrong.
//
//   erase()  "\r\033[2A\033[J"   two bars were drawn: back up two lines, clear from there down
//   draw()   "bar one\nbar two\n"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/report/blob_progress.hpp"

namespace hoist {

class LiveBars {
 public:
  // Adds a line at the bottom, or replaces the line with that key where it is.
  void set(const std::string& key, std::string line);
  void remove(const std::string& key);
  // Removes every line whose key starts with `prefix`.
  void remove_prefix(const std::string& prefix);
  bool empty() const { return lines_.empty(); }

  // ANSI that takes the cursor back over the lines last drawn and clears them; "" when none are on screen.
  std::string erase();
  // The current lines, each ending in '\n'; "" when there are none.
  std::string draw();

 private:
  std::vector<std::pair<std::string, std::string>> lines_;  // key, text, in the order they appeared
  size_t drawn_ = 0;                                         // lines on screen now
};

// One bar that fits in `columns` (one column is left free, so the terminal never wraps it):
//   "↑ image sha256:0123456789ab [=========>          ] 5.1 MiB / 12.3 MiB 4.5 MiB/s"
// The bar shrinks first, then goes; what is left is cut at the last column.
std::string progress_bar_line(const std::string& label, const BlobProgress& progress, int columns);

// Columns on screen of UTF-8 text (continuation bytes take none).
size_t display_width(std::string_view text);

}  // namespace hoist
