// See blob_meter.hpp.
#include "steps/registry/blob_meter.hpp"

namespace hoist::registry {

BlobMeter::BlobMeter(BlobProgressSink sink, std::string digest, std::uint64_t total,
                     std::chrono::milliseconds interval, Clock clock)
    : sink_(std::move(sink)), digest_(std::move(digest)), total_(total), interval_(interval),
      clock_(std::move(clock)) {
  started_ = clock_();
}

void BlobMeter::start() {
  if (!sink_) return;
  std::lock_guard lock(mutex_);
  started_ = clock_();
  sent_ = 0;
  last_sent_ = 0;
}

BlobProgress BlobMeter::event(BlobProgress::State state, std::uint64_t sent) const {
  BlobProgress p;
  p.state = state;
  p.digest = digest_;
  p.sent = sent;
  p.total = total_;
  auto elapsed = clock_() - started_;
  p.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed);
  double seconds = std::chrono::duration<double>(elapsed).count();
  p.rate = seconds > 0 ? static_cast<double>(sent) / seconds : 0;
  return p;
}

void BlobMeter::sent(std::uint64_t sent) {
  if (!sink_) return;
  BlobProgress p;
  {
    std::lock_guard lock(mutex_);
    sent_ = sent;
    auto now = clock_();
    bool first = last_sent_ == 0;
    if (sent == last_sent_ || (!first && now - last_tick_ < interval_)) return;
    last_tick_ = now;
    last_sent_ = sent;
    p = event(BlobProgress::State::uploading, sent);
  }
  sink_(p);
}

void BlobMeter::finish(BlobProgress::State state) {
  if (!sink_) return;
  BlobProgress last, done;
  bool tick = false;
  {
    std::lock_guard lock(mutex_);
    if (state == BlobProgress::State::pushed) {
      tick = last_sent_ != total_;
      sent_ = total_;
      last_sent_ = total_;
      last = event(BlobProgress::State::uploading, total_);
    }
    done = event(state, state == BlobProgress::State::pushed ? total_ : sent_);
    if (state == BlobProgress::State::mounted || state == BlobProgress::State::skipped) {
      done.elapsed = std::chrono::milliseconds(0);
      done.rate = 0;
    }
  }
  if (tick) sink_(last);
  sink_(done);
}

}  // namespace hoist::registry
