#pragma once
// Reading a Slack-compatible payload back in notification tests.

#include <nlohmann/json.hpp>

#include <string>

namespace hoist::test {

// The text of the field labelled `label` in the payload's fields section, or "" when it has none.
inline std::string slack_field(const nlohmann::json& payload, const std::string& label) {
  for (const auto& block : payload["blocks"])
    if (block.contains("fields"))
      for (const auto& f : block["fields"]) {
        std::string t = f["text"];
        std::string head = "*" + label + "*\n";
        if (t.rfind(head, 0) == 0) return t.substr(head.size());
      }
  return "";
}

// The text of the payload's code block (the diff summary), without the fences, or "".
inline std::string slack_code_block(const nlohmann::json& payload) {
  for (const auto& block : payload["blocks"])
    if (block.contains("text")) {
      std::string t = block["text"]["text"];
      if (t.size() >= 6 && t.rfind("```", 0) == 0) return t.substr(3, t.size() - 6);
    }
  return "";
}

}  // namespace hoist::test
