#pragma once
// `hoist man`: the manual page in man(7) roff, generated from the help table (help.hpp), so it says what --help says.

#include <string>

namespace hoist {

std::string man_page();

}  // namespace hoist
