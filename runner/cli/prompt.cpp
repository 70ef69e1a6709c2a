// See prompt.hpp.

#include "runner/cli/prompt.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "runner/util/errors.hpp"
#include "runner/util/unique_fd.hpp"

namespace hoist {
namespace {

class TerminalPrompt : public Prompt {
 public:
  bool interactive() const override {
    if (::isatty(STDIN_FILENO) != 1) return false;
    return UniqueFd(::open("/dev/tty", O_RDWR | O_CLOEXEC)).valid();
  }

  std::string ask(std::string_view text, std::string_view question) override {
    UniqueFd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC));
    if (!tty) return "";
    write_all(tty.get(), std::string(text) + std::string(question));
    std::string line;
    char c;
    while (::read(tty.get(), &c, 1) == 1 && c != '\n') line += c;
    return line;
  }

 private:
  static void write_all(int fd, const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
      ssize_t n = ::write(fd, s.data() + done, s.size() - done);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }
};

}  // namespace

std::unique_ptr<Prompt> make_terminal_prompt() { return std::make_unique<TerminalPrompt>(); }

bool confirm(Prompt& prompt, bool yes, std::string_view text, const std::string& expected, const std::string& what) {
  if (yes) return true;
  if (!prompt.interactive())
    throw InputError("not a terminal: nothing is assumed without one; pass --yes to " + what +
                     " without confirmation");
  std::string answer = prompt.ask(text, "type '" + expected + "' to " + what + ": ");
  return answer == expected;
}

}  // namespace hoist
