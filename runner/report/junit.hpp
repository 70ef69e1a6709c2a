#pragma once
// A JUnit XML report (`--junit FILE`) for CI systems that show test reports (GitLab's artifacts:reports:junit,
// Bitbucket, Jenkins): one <testcase> per step, failed and cancelled steps as <failure>, skipped and not selected
// steps as <skipped/>, and each step's (masked) output in <system-out>. Written once, atomically, at the end.
// Missing parent directories are created (report_file.hpp).

#include <string>

#include "runner/report/reporter.hpp"

namespace hoist {

class JunitReporter : public Reporter {
 public:
  explicit JunitReporter(std::string path);
  // Throws hoist::Error when the file cannot be written.
  void pipeline_finished(const RunSummary& summary) override;

 private:
  std::string path_;
};

// The report as text; exposed for tests.
std::string junit_xml(const RunSummary& summary);

// `text` made safe for XML 1.0 character data and attribute values: markup characters escaped, invalid UTF-8 and
// characters XML forbids (control characters other than tab, newline, carriage return) replaced by U+FFFD, and
// ANSI colour sequences (ESC [ ... letter) removed. Exposed for tests.
std::string xml_escape(std::string_view text, bool attribute);

}  // namespace hoist
