// See prompt.hpp.

#include "runner/cli/prompt.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "runner/util/errors.hpp"

namespace hoist {
namespace {

class TerminalPrompt : public Prompt {
 public:
  bool interactive() const override {
    if (::isatty(STDIN_FILENO) != 1) return false;
    int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    ::close(fd);
    return true;
  }

  std::string ask(std::string_view text, std::string_view question) override {
    int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) return "";
    std::string out = std::string(text) + std::string(question);
    write_all(fd, out);
    std::string line;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
    ::close(fd);
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
