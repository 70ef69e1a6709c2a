#pragma once
// The waits of a bump that lost a race for its branch (steps/git/bump_transaction.hpp).
//
// Decorrelated jitter: each wait is drawn between the base and three times the previous wait (the first between the
// base and three times it), capped at 8 times the base, so contenders spread out quickly without marching in step.
// The base is the time one round (fetch, edit, commit, push) was seen to take, so the waits fit the server at hand:
// a fast loopback server retries in tens of milliseconds, a remote one with hooks in seconds.
//
// The herd thins as its bumps land, and then long waits only leave the branch idle: when the branch moved by just
// one commit (the one that beat us) over the whole of our last wait and round, the next wait starts again from the
// base (`landed(1)`). A herd still large moves the branch by several commits meanwhile, and the waits keep growing.
//
//   Backoff backoff(milliseconds(50));
//   wait(backoff.next(observed_round));  ... fetch ...  backoff.landed(commits_since_our_tip);

#include <chrono>
#include <cstdint>

namespace hoist {

class Backoff {
 public:
  static constexpr long long kCapRounds = 8;     // the cap, in bases
  static constexpr long long kCapFloorMs = 2000;  // ... but never below this

  explicit Backoff(std::chrono::milliseconds floor, std::uint32_t seed = 0);
  // The next wait; OBSERVED_ROUND (0 when unknown) raises the base above the floor.
  std::chrono::milliseconds next(std::chrono::milliseconds observed_round);
  // How many commits the branch moved by since the tip our refused push was built on (0: not known).
  void landed(long long commits);

 private:
  std::chrono::milliseconds floor_;
  long long previous_ = 0;
  std::uint32_t state_;
};

}  // namespace hoist
