// See dotenv.hpp.

#include "runner/report/dotenv.hpp"

#include <iostream>
#include <set>

#include "runner/report/report_file.hpp"

namespace hoist {

std::string dotenv_name(std::string_view step_id, std::string_view output) {
  std::string name = std::string(step_id) + "_" + std::string(output);
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) c = '_';
  }
  return name;
}

std::string dotenv_text(const RunSummary& summary, const DotenvReporter::Warn& warn) {
  std::string text;
  std::set<std::string> written;
  for (const auto& step : summary.steps) {
    if (step.status != StepStatus::succeeded) continue;
    for (const auto& [output, value] : step.outputs) {
      std::string name = dotenv_name(step.id, output);
      std::string what = "output '" + output + "' of step '" + step.id + "'";
      if (value.find_first_of("\r\n") != std::string::npos) {
        warn(what + " spans several lines; dotenv reports cannot hold that, so " + name + " was left out");
        continue;
      }
      if (!written.insert(name).second) {
        warn(what + " is also named " + name + " in the dotenv report; the first one was kept");
        continue;
      }
      text += name + "=" + value + "\n";
    }
  }
  return text;
}

DotenvReporter::DotenvReporter(std::string path, Warn warn) : path_(std::move(path)), warn_(std::move(warn)) {
  if (!warn_) warn_ = [](const std::string& m) { std::cerr << "hoist: warning: " << m << '\n'; };
}

void DotenvReporter::pipeline_finished(const RunSummary& summary) {
  write_report_file(path_, dotenv_text(summary, warn_));
}

}  // namespace hoist
