// See parallel_for.hpp.

#include "runner/util/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hoist {

void parallel_for(std::size_t n, std::size_t threads, const std::function<void(std::size_t)>& job) {
  threads = std::min(n, std::max<std::size_t>(1, threads));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first;
  std::mutex first_mutex;
  auto worker = [&] {
    for (std::size_t i; !failed && (i = next++) < n;) {
      try {
        job(i);
      } catch (...) {
        std::lock_guard lock(first_mutex);
        if (!first) first = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}

}  // namespace hoist
