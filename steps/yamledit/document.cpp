// Parsing a YAML file for editing; see document.hpp.

#include "steps/yamledit/document.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/errors.hpp"

namespace hoist::yamledit {
namespace {

// Events are ignored: the parser is only run to count documents.
struct IgnoreEvents : YAML::EventHandler {
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// yaml-cpp 0.7 can stop advancing on some malformed input and then report empty documents forever, and LoadAll
// keeps every one of them until memory runs out (found by fuzzing: ", e: [0, 2]}\n1.\xff\xffb: *v\n..."). So the
// documents are counted first, cheaply, and a file with more than kMaxDocuments is refused.
void check_document_count(const std::string& body, const std::string& file) {
  std::istringstream in(body);
  YAML::Parser parser(in);
  IgnoreEvents ignore;
  for (std::size_t n = 0; parser.HandleNextDocument(ignore);)
    if (++n > kMaxDocuments)
      throw InputError(file + ": more than " + std::to_string(kMaxDocuments) + " YAML documents; refusing to edit it");
}

}  // namespace

Documents load_documents(std::string_view text, const std::string& file) {
  Documents d;
  if (text.starts_with("\xEF\xBB\xBF")) d.bom = 3;
  try {
    const std::string body(text.substr(d.bom));
    check_document_count(body, file);
    d.docs = YAML::LoadAll(body);
  } catch (const YAML::Exception& e) {
    throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
                     e.msg);
  }
  // The editor's walkers and the oracle visit every repetition of an aliased node; refuse what would not end.
  std::size_t left = kMaxManifestNodes;
  for (const YAML::Node& doc : d.docs) {
    if (!spend_expanded_size(doc, left))
      throw InputError(file + ": holds more than " + std::to_string(kMaxManifestNodes) +
                       " values once its aliases are expanded; refusing to edit it");
  }
  return d;
}

int line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace hoist::yamledit
