#pragma once
// The Slack-compatible message body both the `notify` step and the pipeline-level `notify:` hooks send: `text` (the
// fallback shown in notifications) and `blocks`: a section with the text, a section of fields (service, environment,
// tag, digest, who, pipeline link, or a run summary), and the diff summary when there is one. Mattermost, Rocket.Chat
// and Teams' Slack-compatible endpoints read the same shape.

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace hoist {

struct NotifyMessage {
  std::string text;
  std::vector<std::pair<std::string, std::string>> fields;  // label, value; empty values are left out
  std::string link;                                         // the pipeline's URL; a field "Link" when set
  std::string diff;                                         // a diff summary; a code block when set
};

// Escapes &, < and > as Slack's mrkdwn requires.
std::string slack_escape(const std::string& text);

nlohmann::json slack_payload(const NotifyMessage& message);

}  // namespace hoist
