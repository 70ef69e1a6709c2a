#pragma once
// Asking the person at the terminal to confirm (type the environment's name), behind an interface so tests can
// answer. Hoist never prompts without a terminal: then nothing is assumed, and only --yes skips the confirmation
// (never a gate rule).

#include <memory>
#include <string>
#include <string_view>

namespace hoist {

class Prompt {
 public:
  virtual ~Prompt() = default;
  // Whether a person can be asked (stdin is a terminal and /dev/tty opens).
  virtual bool interactive() const = 0;
  // Shows TEXT and QUESTION, returns the line typed (without the newline); "" on end of input.
  virtual std::string ask(std::string_view text, std::string_view question) = 0;
};

// Reads and writes /dev/tty, so piped stdout/stderr do not hide the question.
std::unique_ptr<Prompt> make_terminal_prompt();

// The confirmation of promote/rollback/approve: with --yes, true at once; on a terminal, shows TEXT and asks to type
// EXPECTED (the environment name), true only when typed exactly; without a terminal, throws InputError saying that
// --yes is needed (nothing is assumed). WHAT names the action in messages ("promote to prod").
bool confirm(Prompt& prompt, bool yes, std::string_view text, const std::string& expected, const std::string& what);

}  // namespace hoist
