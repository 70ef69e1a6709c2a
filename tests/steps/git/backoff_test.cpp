// The waits of a bump that lost a race (steps/git/backoff.hpp): decorrelated jitter between the base and three times
// the previous wait, capped at 8 bases, and started again from the base when the herd has thinned.
#include <catch2/catch.hpp>

#include "steps/git/backoff.hpp"

using hoist::Backoff;
using std::chrono::milliseconds;

TEST_CASE("backoff: each wait between the base and three times the last, capped at 8 bases", "[git]") {
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    Backoff b(milliseconds(50), seed);
    long long previous = 1000;  // the base: the observed round, above the 50 ms floor
    for (int i = 0; i < 12; ++i) {
      const long long w = b.next(milliseconds(1000)).count();
      CHECK(w >= 1000);
      CHECK(w <= 3 * previous);
      CHECK(w <= Backoff::kCapRounds * 1000);
      previous = w;
    }
  }
  // A fast server: the cap is never below 2 s, the base never below the floor.
  Backoff fast(milliseconds(50), 7);
  for (int i = 0; i < 20; ++i) {
    const long long w = fast.next(milliseconds(10)).count();
    CHECK(w >= 50);
    CHECK(w <= Backoff::kCapFloorMs);
  }
}

TEST_CASE("backoff: waits grow while the herd is large and start over when one commit landed", "[git]") {
  // Over many seeds: after several refusals with the branch moving by many commits, waits sit near the cap; one
  // landing (ours was the only loser) brings the next wait back to within three bases.
  long long grown = 0, after_thin = 0;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    Backoff b(milliseconds(1), seed);
    long long w = 0;
    for (int i = 0; i < 10; ++i) {
      w = b.next(milliseconds(100)).count();
      b.landed(7);
    }
    grown += w;
    b.landed(1);
    const long long next = b.next(milliseconds(100)).count();
    CHECK(next >= 100);
    CHECK(next <= 300);
    after_thin += next;
    b.landed(0);  // not known: no change to how the next one is drawn (from the last wait)
  }
  CHECK(grown / 200 > 400);       // grown waits average well above 3 bases (the cap is 8)
  CHECK(after_thin / 200 < 300);  // started over
}
