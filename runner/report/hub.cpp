// See hub.hpp.

#include "runner/report/hub.hpp"

#include <exception>

#include "runner/util/duration.hpp"

namespace hoist {
namespace {

YAML::Node masked_node(const YAML::Node& node, const SecretMasker& m) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return YAML::Node(m.mask(node.Scalar()));
    case YAML::NodeType::Sequence: {
      YAML::Node out(YAML::NodeType::Sequence);
      for (const auto& child : node) out.push_back(masked_node(child, m));
      return out;
    }
    case YAML::NodeType::Map: {
      YAML::Node out(YAML::NodeType::Map);
      for (const auto& kv : node) out.force_insert(masked_node(kv.first, m), masked_node(kv.second, m));
      return out;
    }
    default: return YAML::Node(node.Type());
  }
}

void mask_text(Text& t, const SecretMasker& m) { t.value = m.mask(t.value); }

Step masked_step(const Step& step, const SecretMasker& m) {
  Step s = step;
  s.id = m.mask(s.id);
  s.kind = m.mask(s.kind);
  s.loc.file = m.mask(s.loc.file);
  s.kind_loc.file = m.mask(s.kind_loc.file);
  mask_text(s.run, m);
  // A fresh tree. Careful: YAML::Node copies share the original, and Node::operator= (so Step's copy assignment
  // too) writes *through* the shared node into the original; reset() only rebinds this one.
  s.with.reset(masked_node(step.with, m));
  for (auto& n : s.needs) n = m.mask(n);
  for (auto& [name, value] : s.env) mask_text(value, m);
  if (s.working_dir) mask_text(*s.working_dir, m);
  return s;
}

void mask_pipeline(Pipeline& p, const SecretMasker& m) {
  p.file = m.mask(p.file);
  p.name = m.mask(p.name);
  for (auto& [name, value] : p.vars) mask_text(value, m);
  for (auto& hook : p.notify) {
    mask_text(hook.webhook, m);
    if (hook.text) mask_text(*hook.text, m);
  }
  std::vector<Step> steps;  // built anew, never Step::operator= (see masked_step)
  steps.reserve(p.steps.size());
  for (const auto& s : p.steps) steps.push_back(masked_step(s, m));
  p.steps = std::move(steps);
}

}  // namespace

ReporterHub::ReporterHub(SecretMasker masker) : masker_(std::move(masker)) {}

void ReporterHub::add(std::unique_ptr<Reporter> reporter) {
  std::lock_guard lock(mutex_);
  reporters_.push_back(std::move(reporter));
}

void ReporterHub::add_secret(std::string_view value) {
  std::lock_guard lock(mutex_);
  masker_.add(value);
  // Everything kept so far was masked with the old set of secrets.
  masked_steps_.clear();
  if (masked_pipeline_) mask_pipeline(*masked_pipeline_, masker_);
  for (auto& [id, log] : logs_)
    for (auto& line : log.lines) line = masker_.mask(line);
}

std::string ReporterHub::mask(std::string_view text) const {
  std::lock_guard lock(mutex_);
  return masker_.mask(text);
}

template <typename F>
void ReporterHub::forward(F&& call) {
  std::exception_ptr first;
  for (auto& r : reporters_) {
    try {
      call(*r);
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

const Step& ReporterHub::masked(const Step& step) {
  auto it = masked_steps_.find(step.id);
  if (it == masked_steps_.end()) it = masked_steps_.emplace(step.id, masked_step(step, masker_)).first;
  return it->second;
}

StepResult ReporterHub::masked(const StepResult& result) {
  StepResult r;
  r.id = masker_.mask(result.id);
  r.kind = masker_.mask(result.kind);
  r.status = result.status;
  r.reason = masker_.mask(result.reason);
  r.attempts = result.attempts;
  r.duration = result.duration;
  for (const auto& [k, v] : result.outputs) r.outputs[masker_.mask(k)] = masker_.mask(v);
  if (!result.output_lines.empty()) {
    r.output_lines.reserve(result.output_lines.size());
    for (const auto& line : result.output_lines) r.output_lines.push_back(masker_.mask(line));
  } else if (auto it = logs_.find(result.id); it != logs_.end()) {
    const StepLog& log = it->second;
    if (log.omitted > 0)
      r.output_lines.push_back("[hoist] " + std::to_string(log.omitted) + " earlier lines omitted");
    r.output_lines.insert(r.output_lines.end(), log.lines.begin(), log.lines.end());
  }
  return r;
}

void ReporterHub::append_log(const std::string& id, std::string line) {
  StepLog& log = logs_[id];
  log.bytes += line.size() + 1;
  log.lines.push_back(std::move(line));
  while (log.bytes > max_output_bytes_per_step && log.lines.size() > 1) {
    log.bytes -= log.lines.front().size() + 1;
    log.lines.pop_front();
    ++log.omitted;
  }
}

void ReporterHub::pipeline_started(const Pipeline& pipeline, Mode mode) {
  std::lock_guard lock(mutex_);
  masked_pipeline_.reset();
  masked_pipeline_.emplace(pipeline);  // copy-constructed, not assigned (see masked_step)
  mask_pipeline(*masked_pipeline_, masker_);
  masked_steps_.clear();
  logs_.clear();
  forward([&](Reporter& r) { r.pipeline_started(*masked_pipeline_, mode); });
}

void ReporterHub::step_started(const Step& step, int attempt) {
  std::lock_guard lock(mutex_);
  const Step& s = masked(step);
  forward([&](Reporter& r) { r.step_started(s, attempt); });
}

void ReporterHub::step_output(const Step& step, std::string_view line, OutputStream stream) {
  std::lock_guard lock(mutex_);
  const Step& s = masked(step);
  std::string masked_line = masker_.mask(line);
  append_log(step.id, masked_line);
  forward([&](Reporter& r) { r.step_output(s, masked_line, stream); });
}

void ReporterHub::step_retrying(const Step& step, int attempt, const std::string& reason,
                                std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  const Step& s = masked(step);
  std::string masked_reason = masker_.mask(reason);
  append_log(step.id, "[hoist] retrying in " + format_duration(delay) + " (attempt " + std::to_string(attempt) +
                          "): " + masked_reason);
  forward([&](Reporter& r) { r.step_retrying(s, attempt, masked_reason, delay); });
}

void ReporterHub::blob_progress(const Step& step, const BlobProgress& progress) {
  std::lock_guard lock(mutex_);
  const Step& s = masked(step);
  BlobProgress p = progress;
  p.digest = masker_.mask(progress.digest);
  if (p.done()) append_log(step.id, describe(p));
  forward([&](Reporter& r) { r.blob_progress(s, p); });
}

void ReporterHub::step_finished(const Step& step, const StepResult& result) {
  std::lock_guard lock(mutex_);
  const Step& s = masked(step);
  StepResult r = masked(result);
  forward([&](Reporter& rep) { rep.step_finished(s, r); });
}

void ReporterHub::pipeline_finished(const RunSummary& summary) {
  std::lock_guard lock(mutex_);
  RunSummary m;
  m.pipeline = masker_.mask(summary.pipeline);
  m.file = masker_.mask(summary.file);
  m.mode = summary.mode;
  m.duration = summary.duration;
  m.interrupted = summary.interrupted;
  m.steps.reserve(summary.steps.size());
  for (const auto& s : summary.steps) m.steps.push_back(masked(s));
  forward([&](Reporter& r) { r.pipeline_finished(m); });
}

void ReporterHub::notification_finished(const NotificationResult& result) {
  std::lock_guard lock(mutex_);
  NotificationResult m = result;
  m.event = masker_.mask(result.event);
  m.target = masker_.mask(result.target);
  m.problem = masker_.mask(result.problem);
  forward([&](Reporter& r) { r.notification_finished(m); });
}

}  // namespace hoist
