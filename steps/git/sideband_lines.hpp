#pragma once
// Remote messages ("remote: ...") reach libgit2's sideband callback in whatever pieces the server's packets cut them
// into: half a line, or one line and the start of the next. SidebandLines holds one transfer's text until a line
// ends (at '\n', or at '\r', with which progress meters rewrite their line) and hands out whole lines only; flush()
// hands out what is left when the transfer ends. A line that never ends is handed out at 64 KiB.
//
//   feed("Resolving del")  -> nothing
//   feed("tas: 100%\rok\nqa is fro") -> "Resolving deltas: 100%", "ok"
//   flush()                -> "qa is fro"

#include <functional>
#include <string>
#include <string_view>

namespace hoist {

class SidebandLines {
 public:
  using Emit = std::function<void(std::string_view line)>;
  static constexpr size_t max_line = 64 * 1024;

  // Emits every line completed by `chunk` (empty lines included), without its terminator.
  void feed(std::string_view chunk, const Emit& emit);
  // Emits the unterminated rest, if any, and starts over.
  void flush(const Emit& emit);

 private:
  std::string pending_;
};

}  // namespace hoist
