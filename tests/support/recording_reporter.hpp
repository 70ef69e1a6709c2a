#pragma once
// A Reporter that records every event as a line of text ("started test 1", "output test hello", ...), for
// asserting the exact sequence the executor produced. What it recorded goes to the leak check (known_secrets.hpp).

#include <mutex>
#include <string>
#include <vector>

#include "runner/report/reporter.hpp"
#include "tests/support/known_secrets.hpp"

namespace hoist::test {

class RecordingReporter : public Reporter {
 public:
  RecordingReporter() = default;
  RecordingReporter(const RecordingReporter&) = delete;
  RecordingReporter& operator=(const RecordingReporter&) = delete;
  ~RecordingReporter() override {
    std::string all;
    for (const auto& e : events_) all += e + "\n";
    capture_output("recorded report", all);
  }
  void step_started(const Step& step, int attempt) override { add("started " + step.id + " " + std::to_string(attempt)); }
  void step_output(const Step& step, std::string_view line, OutputStream) override {
    add("output " + step.id + " " + std::string(line));
  }
  void step_retrying(const Step& step, int attempt, const std::string& reason, std::chrono::milliseconds) override {
    add("retrying " + step.id + " " + std::to_string(attempt) + " " + reason);
  }
  void step_finished(const Step& step, const StepResult& r) override {
    add("finished " + step.id + " " + to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason));
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  void add(std::string e) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
  }
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

}  // namespace hoist::test
