#include "runner/pipeline/template.hpp"

#include <cctype>

#include "runner/util/errors.hpp"

namespace hoist {
namespace {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_name_start(char c) { return is_letter(c) || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_id_char(char c) { return is_name_char(c) || c == '-'; }

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

// Parses the inside of "${...}".
std::optional<Reference> parse_reference(std::string_view inner, std::string& error) {
  Reference ref;
  if (inner.starts_with("steps.")) {
    std::string_view rest = inner.substr(6);
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) {
      error = "a step output reference is ${steps.ID.OUTPUT}";
      return std::nullopt;
    }
    std::string_view id = rest.substr(0, dot), output = rest.substr(dot + 1);
    if (!all_of(id, is_id_char) || !all_of(output, is_id_char)) {
      error = "a step output reference is ${steps.ID.OUTPUT} (letters, digits, '_' and '-')";
      return std::nullopt;
    }
    ref.kind = Reference::Kind::step_output;
    ref.name = id;
    ref.output = output;
    return ref;
  }
  if (inner.empty() || !is_name_start(inner[0]) || !all_of(inner, is_name_char)) {
    error = "a variable name has letters, digits and '_' and does not start with a digit";
    return std::nullopt;
  }
  ref.name = inner;
  return ref;
}

}  // namespace

std::vector<Reference> ParsedTemplate::references() const {
  std::vector<Reference> out;
  for (const auto& p : parts)
    if (p.ref) out.push_back(*p.ref);
  return out;
}

ParsedTemplate parse_template(std::string_view text) {
  ParsedTemplate t;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      literal += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") == 0) {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        t.errors.emplace_back(i, "unterminated '${' (write '$${' for a literal '${')");
        literal += text.substr(i);
        break;
      }
      std::string_view inner = text.substr(i + 2, close - i - 2);
      std::string error;
      auto ref = parse_reference(inner, error);
      if (!ref) {
        t.errors.emplace_back(i, "invalid reference '${" + std::string(inner) + "}': " + error);
        literal += text.substr(i, close + 1 - i);
      } else {
        ref->offset = i;
        ref->spelled = std::string(text.substr(i, close + 1 - i));
        t.parts.push_back(TemplatePart{std::move(literal), std::move(ref)});
        literal.clear();
      }
      i = close + 1;
      continue;
    }
    literal += text[i++];
  }
  if (!literal.empty()) t.parts.push_back(TemplatePart{std::move(literal), std::nullopt});
  return t;
}

Location location_in(const Text& text, size_t offset) {
  Location loc = text.loc;
  if (loc.line == 0) return loc;
  std::string_view before = std::string_view(text.value).substr(0, offset);
  if (before.find('\n') != std::string_view::npos) return loc;  // a block scalar: point at its start
  loc.column += static_cast<int>(offset) + (text.quoted ? 1 : 0);
  return loc;
}

std::string render(const ParsedTemplate& t, const Resolver& resolve, const Text* where) {
  std::string out;
  for (const auto& part : t.parts) {
    out += part.literal;
    if (!part.ref) continue;
    auto value = resolve(*part.ref);
    if (!value) {
      std::string what = part.ref->kind == Reference::Kind::variable
                             ? "undefined variable '" + part.ref->name + "'"
                             : "output '" + part.ref->output + "' of step '" + part.ref->name + "' is not set";
      std::string prefix = where ? to_string(location_in(*where, part.ref->offset)) + ": " : "";
      throw InputError(prefix + what);
    }
    out += *value;
  }
  return out;
}

Resolver environment_resolver(const std::map<std::string, std::string>& env) {
  return [&env](const Reference& ref) -> std::optional<std::string> {
    auto it = env.find(ref.name);
    if (ref.kind != Reference::Kind::variable || it == env.end()) return std::nullopt;
    return it->second;
  };
}

bool is_variable_name(std::string_view name) { return !name.empty() && is_name_start(name[0]) && all_of(name, is_name_char); }

bool is_step_id(std::string_view id) { return !id.empty() && id[0] != '-' && all_of(id, is_id_char); }

std::string render(const Text& text, const Resolver& resolve) {
  return render(parse_template(text.value), resolve, &text);
}

}  // namespace hoist
