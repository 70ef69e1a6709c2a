// See junit.hpp. The shape, which GitLab parses (it reads testsuite/testcase, failure, skipped, system-out):
//   <testsuites name="P" tests="3" failures="1" errors="0" skipped="1" time="4.200">
//     <testsuite name="P" tests="3" failures="1" errors="0" skipped="1" time="4.200">
//       <testcase classname="P" name="test" file="pipelines/p.yaml" time="1.200">
//         <failure message="command exited with code 3" type="failed">command exited with code 3</failure>
//         <system-out>...</system-out>
//       </testcase>

#include "runner/report/junit.hpp"

#include <cstdio>

#include "runner/report/report_file.hpp"

namespace hoist {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

std::string seconds(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

bool allowed_in_xml(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when it is not valid UTF-8.
size_t decode_utf8(std::string_view s, size_t i, char32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t len;
  if (b < 0x80) { cp = b; return 1; }
  if (b >= 0xC2 && b <= 0xDF) { len = 2; cp = b & 0x1F; }
  else if (b >= 0xE0 && b <= 0xEF) { len = 3; cp = b & 0x0F; }
  else if (b >= 0xF0 && b <= 0xF4) { len = 4; cp = b & 0x07; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

}  // namespace

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t i = 0;
  while (i < text.size()) {
    // ANSI CSI sequences (colours): ESC '[' parameters, then a final byte in @..~.
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      size_t j = i + 2;
      while (j < text.size() && static_cast<unsigned char>(text[j]) >= 0x20 && static_cast<unsigned char>(text[j]) < 0x40)
        ++j;
      if (j < text.size() && text[j] >= '@' && text[j] <= '~') {
        i = j + 1;
        continue;
      }
    }
    char32_t cp = 0;
    size_t len = decode_utf8(text, i, cp);
    if (len == 0 || !allowed_in_xml(cp)) {
      out += replacement;
      i += len == 0 ? 1 : len;
      continue;
    }
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\'': out += attribute ? "&apos;" : "'"; break;
      // Attribute values normalise raw whitespace to spaces; character references keep it.
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;  // a raw CR in text would be normalised away too
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string junit_xml(const RunSummary& summary) {
  size_t failures = 0, skipped = 0;
  for (const auto& s : summary.steps) {
    if (s.status == StepStatus::failed || s.status == StepStatus::cancelled) ++failures;
    if (s.status == StepStatus::skipped || s.status == StepStatus::not_selected) ++skipped;
  }
  const std::string name = xml_escape(summary.pipeline, true);
  const std::string counts = " tests=\"" + std::to_string(summary.steps.size()) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"0\" skipped=\"" + std::to_string(skipped) +
                             "\" time=\"" + seconds(summary.duration) + "\"";

  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites name=\"" + name + "\"" + counts + ">\n";
  x += "  <testsuite name=\"" + name + "\"" + counts + ">\n";
  for (const auto& s : summary.steps) {
    x += "    <testcase classname=\"" + name + "\" name=\"" + xml_escape(s.id, true) + "\"";
    if (!summary.file.empty()) x += " file=\"" + xml_escape(summary.file, true) + "\"";
    x += " time=\"" + seconds(s.duration) + "\">\n";
    switch (s.status) {
      case StepStatus::failed:
      case StepStatus::cancelled: {
        std::string message = s.reason.empty() ? to_string(s.status) : s.reason;
        x += "      <failure message=\"" + xml_escape(message, true) + "\" type=\"" + to_string(s.status) + "\">" +
             xml_escape(message, false) + "</failure>\n";
        break;
      }
      case StepStatus::skipped:
      case StepStatus::not_selected:
        x += "      <skipped";
        if (!s.reason.empty()) x += " message=\"" + xml_escape(s.reason, true) + "\"";
        x += "/>\n";
        break;
      case StepStatus::succeeded: break;
    }
    if (!s.output_lines.empty()) {
      x += "      <system-out>";
      for (const auto& line : s.output_lines) x += xml_escape(line, false) + "\n";
      x += "</system-out>\n";
    }
    x += "    </testcase>\n";
  }
  x += "  </testsuite>\n</testsuites>\n";
  return x;
}

JunitReporter::JunitReporter(std::string path) : path_(std::move(path)) {}

void JunitReporter::pipeline_finished(const RunSummary& summary) { write_report_file(path_, junit_xml(summary)); }

}  // namespace hoist
