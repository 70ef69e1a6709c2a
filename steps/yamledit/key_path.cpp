// Key path parsing and printing; the grammar is in key_path.hpp.

#include "steps/yamledit/key_path.hpp"

#include <cctype>

#include "runner/util/errors.hpp"

namespace hoist::yamledit {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view path) : path_(path) {}

  std::vector<PathSegment> parse() {
    if (path_.empty()) fail("empty path", 0);
    std::vector<PathSegment> out;
    if (peek() == '[') {
      out.push_back(selector());
    } else {
      out.push_back(key_segment());
    }
    while (pos_ < path_.size()) {
      char c = path_[pos_];
      if (c == '.') {
        ++pos_;
        if (pos_ >= path_.size()) fail("expected a key after '.'", pos_);
        out.push_back(key_segment());
      } else if (c == '[') {
        out.push_back(selector());
      } else {
        fail(std::string("unexpected '") + c + "'", pos_);
      }
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& message, std::size_t at) const {
    throw InputError("bad key path '" + std::string(path_) + "': " + message + " at column " +
                     std::to_string(at + 1));
  }

  char peek() const { return pos_ < path_.size() ? path_[pos_] : '\0'; }

  static bool bare_char(char c) {
    return c != '.' && c != '[' && c != ']' && c != '"' && c != '=' && !std::isspace(static_cast<unsigned char>(c));
  }

  // A quoted string starting at pos_ (which holds the opening quote).
  std::string quoted() {
    std::size_t start = pos_;
    ++pos_;
    std::string out;
    while (pos_ < path_.size() && path_[pos_] != '"') {
      if (path_[pos_] == '\\') {
        if (pos_ + 1 >= path_.size()) break;
        char e = path_[pos_ + 1];
        if (e != '"' && e != '\\') fail(std::string("unknown escape '\\") + e + "'", pos_);
        out += e;
        pos_ += 2;
      } else {
        out += path_[pos_++];
      }
    }
    if (pos_ >= path_.size()) fail("unterminated quote", start);
    ++pos_;
    return out;
  }

  std::string key_text() {
    if (peek() == '"') {
      std::size_t start = pos_;
      std::string k = quoted();
      if (k.empty()) fail("empty key", start);
      return k;
    }
    std::size_t start = pos_;
    while (pos_ < path_.size() && bare_char(path_[pos_])) ++pos_;
    if (pos_ == start) {
      if (pos_ < path_.size() && path_[pos_] != '.' && path_[pos_] != '[')
        fail(std::string("unexpected '") + path_[pos_] + "'", pos_);
      fail("empty key", pos_);
    }
    return std::string(path_.substr(start, pos_ - start));
  }

  PathSegment key_segment() {
    PathSegment s;
    s.kind = PathSegment::Kind::key;
    s.column = static_cast<int>(pos_) + 1;
    s.key = key_text();
    return s;
  }

  PathSegment selector() {
    std::size_t open = pos_;
    ++pos_;  // '['
    PathSegment s;
    s.column = static_cast<int>(open) + 1;
    if (std::isdigit(static_cast<unsigned char>(peek()))) {
      std::size_t start = pos_;
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
      if (peek() != ']') fail("expected ']' after the index", pos_);
      std::string digits(path_.substr(start, pos_ - start));
      if (digits.size() > 9) fail("index too large", start);
      s.kind = PathSegment::Kind::index;
      s.index = std::stoul(digits);
      ++pos_;
      return s;
    }
    if (peek() == ']') fail("empty selector", pos_);
    bool was_quoted = peek() == '"';
    s.key = key_text();
    if (peek() == ']' && was_quoted) {
      ++pos_;
      s.kind = PathSegment::Kind::key;
      return s;
    }
    if (peek() != '=') fail("expected '=' or ']'", pos_);
    ++pos_;
    s.kind = PathSegment::Kind::match;
    if (peek() == '"') {
      s.value = quoted();
    } else {
      std::size_t start = pos_;
      while (pos_ < path_.size() && path_[pos_] != ']') ++pos_;
      s.value = std::string(path_.substr(start, pos_ - start));
    }
    if (peek() != ']') fail("expected ']'", pos_ < path_.size() ? pos_ : open);
    ++pos_;
    return s;
  }

  std::string_view path_;
  std::size_t pos_ = 0;
};

bool needs_quoting(const std::string& key) {
  if (key.empty()) return true;
  for (char c : key)
    if (c == '.' || c == '[' || c == ']' || c == '"' || c == '=' || std::isspace(static_cast<unsigned char>(c)))
      return true;
  return false;
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<PathSegment> parse_key_path(std::string_view path) { return Parser(path).parse(); }

std::string to_string(const PathSegment& s, bool first) {
  switch (s.kind) {
    case PathSegment::Kind::key: return (first ? "" : ".") + (needs_quoting(s.key) ? quote(s.key) : s.key);
    case PathSegment::Kind::index: return "[" + std::to_string(s.index) + "]";
    case PathSegment::Kind::match: {
      bool q = s.value.find(']') != std::string::npos || (!s.value.empty() && s.value[0] == '"');
      // A selector starting with a digit is read as an index, so such a field name is quoted: ["0a"=x].
      const bool quote_key = needs_quoting(s.key) || std::isdigit(static_cast<unsigned char>(s.key[0]));
      return "[" + (quote_key ? quote(s.key) : s.key) + "=" + (q ? quote(s.value) : s.value) + "]";
    }
  }
  return "";
}

std::string to_string(const std::vector<PathSegment>& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) out += to_string(path[i], i == 0);
  return out;
}

PathSegment key_seg(const std::string& key) {
  PathSegment s;
  s.key = key;
  return s;
}

PathSegment index_seg(std::size_t index) {
  PathSegment s;
  s.kind = PathSegment::Kind::index;
  s.index = index;
  return s;
}

}  // namespace hoist::yamledit
