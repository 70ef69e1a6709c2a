#pragma once
// Problems found in a user's input, each tied to a place in a file. Loaders collect every problem and report them
// all at once (mold-style checkpoint), rather than stopping at the first.

#include <string>
#include <vector>

namespace hoist {

struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

// "file:line:col" (or fewer parts when line/column are unknown).
std::string to_string(const Location& loc);

struct Diagnostic {
  Location loc;
  std::string message;
};

// "file:line:col: message"
std::string to_string(const Diagnostic& d);

class Diagnostics {
 public:
  void add(Location loc, std::string message);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Sorted by file, line, column; one "file:line:col: message" per line, each distinct one once.
  std::string format() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace hoist
