#pragma once
// A step kind for executor tests, driven by its `with`:
//   fail_attempts: N     fail the first N attempts ("scripted failure N")
//   outputs: {k: v}      set these outputs
//   rendezvous: K        wait (up to 2 s) until K steps are inside their rendezvous at once; fail if not
//   wait_cancel: true    block until the step's cancel token is set, then fail
//   print: text          print one line
// It records the order in which steps started and the `with` each attempt saw.

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "runner/exec/step_kind.hpp"
#include "runner/util/errors.hpp"

namespace hoist::test {

class ScriptedKind : public StepKind {
 public:
  explicit ScriptedKind(std::string name = "test/scripted") : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  void validate(const Step&, const std::string&, Diagnostics&) const override {}
  OutputSpec outputs() const override { return {{"value"}, false}; }

  void plan(StepContext& ctx) const override {
    record(ctx);
    ctx.print("would do " + ctx.step.id, OutputStream::out);
  }

  void apply(StepContext& ctx) const override {
    int attempt = record(ctx);
    if (auto p = ctx.with["print"]) ctx.print(p.as<std::string>(), OutputStream::out);
    if (auto r = ctx.with["rendezvous"]) rendezvous(r.as<int>());
    if (auto w = ctx.with["wait_cancel"]) {  // true, or the message to fail with
      while (!ctx.cancel.sleep_for(std::chrono::milliseconds(20))) {
      }
      const std::string message = w.Scalar() == "true" ? "cancelled while waiting" : w.Scalar();
      if (ctx.with["says_timed_out"]) throw TimeoutError(message);
      throw Error(message);
    }
    if (auto f = ctx.with["fail_attempts"]; f && attempt <= f.as<int>())
      throw Error("scripted failure " + std::to_string(attempt));
    if (auto outs = ctx.with["outputs"])
      for (auto it = outs.begin(); it != outs.end(); ++it) ctx.outputs[it->first.Scalar()] = it->second.Scalar();
  }

  std::vector<std::string> started() const {
    std::lock_guard lock(mutex_);
    return started_;
  }
  std::vector<YAML::Node> withs(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = withs_.find(id);
    return it == withs_.end() ? std::vector<YAML::Node>{} : it->second;
  }

 private:
  int record(const StepContext& ctx) const {
    std::lock_guard lock(mutex_);
    started_.push_back(ctx.step.id);
    withs_[ctx.step.id].push_back(YAML::Clone(ctx.with));
    return static_cast<int>(withs_[ctx.step.id].size());
  }

  void rendezvous(int count) const {
    std::unique_lock lock(mutex_);
    ++inside_;
    cv_.notify_all();
    bool met = cv_.wait_for(lock, std::chrono::seconds(2), [&] { return inside_ >= count; });
    if (!met) throw Error("rendezvous of " + std::to_string(count) + " not met");
  }

  std::string name_;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  mutable int inside_ = 0;
  mutable std::vector<std::string> started_;
  mutable std::map<std::string, std::vector<YAML::Node>> withs_;
};

}  // namespace hoist::test
