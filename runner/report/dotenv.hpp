#pragma once
// A dotenv file of step outputs (`--dotenv FILE`), for GitLab's artifacts:reports:dotenv, so that later CI jobs get
// ${steps.deploy-qa.commit} as $DEPLOY_QA_COMMIT. One NAME=value line per output of every succeeded step, in file
// order; NAME is the step id, "_", the output name, upper-cased, with every character outside [A-Z0-9_] as "_".
//
// GitLab's parser takes each line literally: no quoting, no escapes, no multi-line values, no empty lines or
// comments. So a value with a newline or carriage return cannot be written faithfully: it is left out and a
// warning names it (never its value). Two outputs that map to the same name: the first is kept, with a warning.
// Written once, atomically, at the end; missing parent directories are created (report_file.hpp).

#include <functional>
#include <string>

#include "runner/report/reporter.hpp"

namespace hoist {

class DotenvReporter : public Reporter {
 public:
  using Warn = std::function<void(const std::string& message)>;
  // `warn` gets one message per left-out output; by default "hoist: warning: ..." on stderr.
  explicit DotenvReporter(std::string path, Warn warn = {});
  // Throws hoist::Error when the file cannot be written.
  void pipeline_finished(const RunSummary& summary) override;

 private:
  std::string path_;
  Warn warn_;
};

// "deploy-qa", "commit" -> "DEPLOY_QA_COMMIT"
std::string dotenv_name(std::string_view step_id, std::string_view output);

// The file's text; warnings go to `warn`. Exposed for tests.
std::string dotenv_text(const RunSummary& summary, const DotenvReporter::Warn& warn);

}  // namespace hoist
