// See backoff.hpp.
#include "steps/git/backoff.hpp"

#include <algorithm>
#include <random>

namespace hoist {

Backoff::Backoff(std::chrono::milliseconds floor, std::uint32_t seed)
    : floor_(floor), state_(seed ? seed : std::random_device{}()) {}

std::chrono::milliseconds Backoff::next(std::chrono::milliseconds observed_round) {
  std::mt19937 rng{state_};
  state_ = rng();
  const long long base = std::max<long long>(floor_.count(), observed_round.count());
  // The cap grows with the base so that a large herd (64 contenders) can spread over several rounds' time; at 32×
  // the branch sat idle between landings (bench/README.md), so 8×.
  const long long cap = std::max<long long>(kCapFloorMs, kCapRounds * base);
  const long long high = std::clamp<long long>(3 * (previous_ ? previous_ : base), base, cap);
  std::uniform_int_distribution<long long> pick(base, std::max(base, high));
  previous_ = pick(rng);
  return std::chrono::milliseconds(previous_);
}

void Backoff::landed(long long commits) {
  if (commits == 1) previous_ = 0;  // 0: not known, so nothing changes
}

}  // namespace hoist
