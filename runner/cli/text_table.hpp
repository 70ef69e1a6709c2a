#pragma once
// Columns for the text output of `hoist status` and `hoist history`: a header row, then rows, each column as wide
// as its widest cell (in terminal columns), two spaces between columns, no trailing spaces. An empty cell prints as "-".
//
//   TextTable t({"ENV", "TAG"});
//   t.add({"staging", "1.1.0"});
//   t.print(out, "  ");   // "  ENV      TAG\n  staging  1.1.0\n"

#include <ostream>
#include <string>
#include <vector>

namespace hoist {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);
  void add(std::vector<std::string> row);  // as many cells as the header
  void print(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<std::vector<std::string>> rows_;  // the header first
};

}  // namespace hoist
