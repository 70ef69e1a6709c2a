// Fuzzes ${...} templates: parsing never crashes, every error offset and reference offset lies inside the text,
// each reference is spelled exactly as the text has it, and rendering with every reference resolved never throws.
#include "fuzz/fuzz_target.hpp"
#include "runner/pipeline/template.hpp"

HOIST_FUZZ_TARGET(template) {
  using namespace hoist;
  const std::string_view text = fuzz::as_text(data, size);
  ParsedTemplate t = parse_template(text);
  for (const auto& [offset, message] : t.errors)
    if (offset >= text.size()) fuzz::fail("an error offset past the end: " + message);
  for (const auto& ref : t.references()) {
    if (ref.offset >= text.size() || text.substr(ref.offset, ref.spelled.size()) != ref.spelled)
      fuzz::fail("a reference not spelled at its offset: " + ref.spelled);
  }
  Text where{std::string(text), Location{"f.yaml", 1, 1}, false};
  for (const auto& ref : t.references()) (void)location_in(where, ref.offset);
  std::string out = render(t, [](const Reference& r) { return std::optional<std::string>("<" + r.name + ">"); });
  if (t.references().empty() && t.errors.empty() && text.find("$${") == std::string_view::npos && out != text)
    fuzz::fail("a text without references changed when rendered");
  return 0;
}
