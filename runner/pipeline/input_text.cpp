#include "runner/pipeline/input_text.hpp"

#include <cstdio>

namespace hoist {

std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned min = 0, cp = 0;
    if ((b & 0xE0) == 0xC0) len = 2, min = 0x80, cp = b & 0x1F;
    else if ((b & 0xF0) == 0xE0) len = 3, min = 0x800, cp = b & 0x0F;
    else if ((b & 0xF8) == 0xF0) len = 4, min = 0x10000, cp = b & 0x07;
    else return i;
    if (i + len > text.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool check_input_text(std::string_view text, const std::string& file, const std::string& what, Diagnostics& diags) {
  if (text.size() > kMaxInputBytes) {
    diags.add(Location{file, 0, 0}, "the " + what + " is " + std::to_string(text.size()) + " bytes; the limit is " +
                                        std::to_string(kMaxInputBytes));
    return false;
  }
  const std::size_t bad = first_invalid_utf8(text);
  if (bad == std::string_view::npos) return true;
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < bad; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
  diags.add(Location{file, line, static_cast<int>(bad - line_start) + 1},
            "the " + what + " is not valid UTF-8 (byte " + hex + ")");
  return false;
}

}  // namespace hoist
