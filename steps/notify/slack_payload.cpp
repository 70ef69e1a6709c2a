// See slack_payload.hpp. Slack limits a section's text to 3000 characters and a section to 10 fields; longer texts
// are cut with "…" rather than rejected by the receiver.
#include "steps/notify/slack_payload.hpp"

namespace hoist {
namespace {

constexpr size_t kMaxSectionText = 2900;  // below Slack's 3000, leaving room for the code fence
constexpr size_t kMaxFields = 10;

std::string cut(std::string text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a UTF-8 sequence
  return text.substr(0, end) + "…";
}

nlohmann::json mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }

}  // namespace

std::string slack_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

nlohmann::json slack_payload(const NotifyMessage& message) {
  nlohmann::json blocks = nlohmann::json::array();
  blocks.push_back({{"type", "section"}, {"text", mrkdwn(cut(slack_escape(message.text), kMaxSectionText))}});
  nlohmann::json fields = nlohmann::json::array();
  auto add = [&fields](const std::string& label, const std::string& value) {
    if (!value.empty() && fields.size() < kMaxFields) fields.push_back(mrkdwn("*" + label + "*\n" + value));
  };
  for (const auto& [label, value] : message.fields) add(label, cut(slack_escape(value), 1900));
  if (!message.link.empty()) add("Link", "<" + message.link + ">");
  if (!fields.empty()) blocks.push_back({{"type", "section"}, {"fields", fields}});
  if (!message.diff.empty()) {
    const std::string diff = "```" + cut(slack_escape(message.diff), kMaxSectionText) + "```";
    blocks.push_back({{"type", "section"}, {"text", mrkdwn(diff)}});
  }
  return {{"text", message.text}, {"blocks", blocks}};
}

}  // namespace hoist
