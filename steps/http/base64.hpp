#pragma once
// Base64 (standard alphabet, padded, no line breaks) through Poco, in one place: Basic authorization headers,
// docker config.json `auth` entries, and the tests that look for credentials in that form.

#include <string>
#include <string_view>

namespace hoist {

std::string base64_encode(std::string_view bytes);
// Decodes; characters outside the alphabet end the input (Poco's behaviour), so malformed text decodes short.
std::string base64_decode(std::string_view text);

}  // namespace hoist
