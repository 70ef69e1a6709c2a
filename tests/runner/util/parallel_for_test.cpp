// parallel_for: every index once, on up to the given number of threads; the first failure stops new jobs and is
// rethrown after the running ones end.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "runner/util/parallel_for.hpp"

using hoist::parallel_for;

TEST_CASE("parallel_for runs every index once, on up to the given threads", "[parallel_for]") {
  std::vector<std::atomic<int>> runs(200);
  std::mutex m;
  std::set<std::thread::id> threads;
  std::atomic<int> running{0}, most{0};
  parallel_for(runs.size(), 4, [&](std::size_t i) {
    int now = ++running;
    for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++runs[i];
    {
      std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
    }
    --running;
  });
  for (const auto& r : runs) CHECK(r == 1);
  CHECK(most <= 4);
  CHECK(most >= 2);  // 200 sleeping jobs on 4 threads overlap
  CHECK(threads.size() <= 4);
  CHECK(threads.count(std::this_thread::get_id()) == 1);  // the caller works too
}

TEST_CASE("parallel_for with one thread runs in order on the caller's thread", "[parallel_for]") {
  std::vector<std::size_t> order;
  const auto caller = std::this_thread::get_id();
  parallel_for(5, 1, [&](std::size_t i) {
    CHECK(std::this_thread::get_id() == caller);
    order.push_back(i);
  });
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4});
  parallel_for(0, 8, [&](std::size_t) { FAIL("no job for n = 0"); });
}

TEST_CASE("parallel_for rethrows the first failure and starts no job after it", "[parallel_for]") {
  std::vector<std::size_t> ran;
  CHECK_THROWS_WITH(parallel_for(10, 1,
                                 [&](std::size_t i) {
                                   ran.push_back(i);
                                   if (i == 3) throw std::runtime_error("job 3 failed");
                                 }),
                    "job 3 failed");
  CHECK(ran == std::vector<std::size_t>{0, 1, 2, 3});
}
