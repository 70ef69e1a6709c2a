// The credential scan of the test harness (see leak_check.hpp).
#include "tests/support/leak_check.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "runner/util/url_userinfo.hpp"
#include "steps/http/base64.hpp"
#include "tests/support/command.hpp"

namespace hoist::test {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kContext = 20;        // characters of excerpt either side of a finding
constexpr std::size_t kMinForm = 6;         // shorter forms would match by chance
constexpr std::size_t kChunk = 1 << 20;     // files are read in pieces of this size

std::size_t longest(const std::vector<Secret>& secrets) {
  std::size_t n = 0;
  for (const auto& s : secrets) n = std::max(n, s.value.size());
  return n;
}

// The text around [pos, pos+len) with the secret replaced by <label>: characters that belong to any secret
// occurrence become '*', characters that are not printable '.'.
std::string excerpt(const std::vector<Secret>& secrets, std::string_view text, std::size_t pos, std::size_t len,
                    const std::string& label) {
  const std::size_t reach = kContext + longest(secrets);
  const std::size_t from = pos > reach ? pos - reach : 0;
  const std::size_t to = std::min(text.size(), pos + len + reach);
  std::vector<bool> covered(to - from, false);
  const std::string_view window = text.substr(from, to - from);
  for (const auto& s : secrets) {
    if (s.value.empty()) continue;
    for (auto at = window.find(s.value); at != std::string_view::npos; at = window.find(s.value, at + 1))
      std::fill(covered.begin() + static_cast<long>(at), covered.begin() + static_cast<long>(at + s.value.size()), true);
  }
  auto show = [&](std::size_t a, std::size_t b) {
    std::string out;
    for (std::size_t i = a; i < b; ++i) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      out += covered[i - from] ? '*' : (std::isprint(c) ? static_cast<char>(c) : '.');
    }
    return out;
  };
  const std::size_t left = pos > kContext ? pos - kContext : 0;
  const std::size_t right = std::min(text.size(), pos + len + kContext);
  return (left > 0 ? "..." : "") + show(left, pos) + "<" + label + ">" + show(pos + len, right) +
         (right < text.size() ? "..." : "");
}

// Adds a Leak for the first occurrence of each secret not yet reported for this place.
void scan_into(const std::vector<Secret>& secrets, const std::string& where, std::string_view text,
               std::set<std::string>& reported, std::vector<Leak>& out) {
  for (const auto& s : secrets) {
    if (s.value.empty() || reported.contains(s.label)) continue;
    auto at = text.find(s.value);
    if (at == std::string_view::npos) continue;
    reported.insert(s.label);
    out.push_back({where, s.label, excerpt(secrets, text, at, s.value.size(), s.label)});
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// A git config file: remote URLs (url, pushurl, insteadOf) must not carry a password, and no Authorization header
// may be configured, whatever the value (a credential the suite does not know is still a credential).
void check_git_config(const std::string& where, const std::string& text, std::vector<Leak>& out) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = trimmed(std::string_view(text).substr(start, end - start));
    start = end + 1;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = lower(trimmed(std::string_view(line).substr(0, eq)));
    const std::string value = trimmed(std::string_view(line).substr(eq + 1));
    const bool is_url = key == "url" || key == "pushurl" || key.ends_with("insteadof");
    if (is_url && redact_url_userinfo(value).find(":********@") != std::string::npos) {
      out.push_back({where, "remote URL with a password", key + " = " + redact_url_userinfo(value)});
    } else if (key.ends_with("extraheader") && lower(value).find("authorization") != std::string::npos) {
      out.push_back({where, "Authorization header in git config", key + " = ********"});
    }
  }
}

bool is_git_config(const fs::path& file) {
  std::error_code ec;
  return file.filename() == "config" && fs::exists(file.parent_path() / "HEAD", ec);
}

void scan_file(const std::vector<Secret>& secrets, const fs::path& file, std::vector<Leak>& out) {
  const bool git_config = is_git_config(file);
  if (secrets.empty() && !git_config) return;
  std::ifstream in(file, std::ios::binary);
  if (!in) return;
  const std::string where = file.string();
  const std::size_t overlap = longest(secrets);
  std::set<std::string> reported;
  std::string buffer;
  std::string whole;  // kept only for a git config, which is small
  std::vector<char> chunk(kChunk);
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    buffer.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (git_config) whole.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    scan_into(secrets, where, buffer, reported, out);
    // Keep the tail a secret could start in, so one split across two chunks is still found.
    if (buffer.size() > overlap) buffer.erase(0, buffer.size() - overlap);
  }
  if (git_config) check_git_config(where, whole, out);
}

// A git directory: HEAD beside objects/.
bool is_git_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "HEAD", ec) && fs::is_directory(dir / "objects", ec);
}

// Git compresses its objects, so a secret committed in a file or a commit message is invisible to a byte scan: read
// every object of the repository, reachable or not, through git itself.
void scan_git_objects(const std::vector<Secret>& secrets, const fs::path& git_dir, std::vector<Leak>& out) {
  Command cat = git_command({"--git-dir=" + git_dir.string(), "cat-file", "--batch-all-objects", "--batch"});
  cat.leak_checked = false;  // the check's own read; its findings are reported below
  CommandResult objects = run_command(cat);
  std::set<std::string> reported;
  scan_into(secrets, git_dir.string() + " (git objects)", objects.out, reported, out);
}

}  // namespace

std::vector<Secret> credential_secrets(const std::string& label, const std::string& username,
                                       const std::string& password) {
  std::vector<Secret> out;
  auto add = [&](const std::string& form, const std::string& how) {
    if (form.size() >= kMinForm) out.push_back({label + how, form});
  };
  add(password, "");
  if (percent_encode(password) != password) add(percent_encode(password), " (percent-encoded)");
  if (!username.empty()) add(hoist::base64_encode(username + ":" + password), " (base64 of user:password)");
  const std::string b = hoist::base64_encode(password);
  add(b.substr(0, (password.size() / 3) * 4), " (base64)");
  return out;
}

std::vector<Leak> scan_text(const std::vector<Secret>& secrets, const std::string& where, std::string_view text) {
  std::vector<Leak> out;
  std::set<std::string> reported;
  scan_into(secrets, where, text, reported, out);
  return out;
}

std::vector<Leak> scan_tree(const std::vector<Secret>& secrets, const fs::path& root,
                            const std::set<fs::path>& inputs) {
  std::vector<Leak> out;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_symlink(ec)) continue;
    if (it->is_directory(ec)) {
      if (!secrets.empty() && is_git_dir(it->path())) scan_git_objects(secrets, it->path(), out);
      continue;
    }
    if (!it->is_regular_file(ec) || inputs.contains(it->path())) continue;
    scan_file(secrets, it->path(), out);
  }
  if (!secrets.empty() && is_git_dir(root)) scan_git_objects(secrets, root, out);
  return out;
}

std::vector<std::string> credential_forms(const std::string& username, const std::string& password) {
  std::vector<std::string> out;
  for (auto& s : credential_secrets("", username, password)) out.push_back(std::move(s.value));
  return out;
}

std::vector<std::string> find_leaks(const std::vector<std::string>& credentials,
                                    const std::map<std::string, std::string>& outputs,
                                    const std::vector<std::filesystem::path>& trees) {
  std::vector<Secret> secrets;
  for (std::size_t i = 0; i < credentials.size(); ++i)
    if (!credentials[i].empty()) secrets.push_back({"credential #" + std::to_string(i), credentials[i]});
  std::vector<Leak> leaks;
  for (const auto& [name, text] : outputs)
    for (auto& l : scan_text(secrets, name, text)) leaks.push_back(std::move(l));
  for (const auto& tree : trees)
    for (auto& l : scan_tree(secrets, tree)) leaks.push_back(std::move(l));
  std::vector<std::string> found;
  for (const auto& l : leaks) found.push_back(l.where + ": contains " + l.what);
  return found;
}

}  // namespace hoist::test
