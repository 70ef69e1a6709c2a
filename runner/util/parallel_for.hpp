#pragma once
// Runs job(i) for every i in [0, n) on up to `threads` threads (the caller's among them). After the first failure no
// new job starts; once every running job has ended, that first failure is rethrown.

#include <cstddef>
#include <functional>

namespace hoist {

void parallel_for(std::size_t n, std::size_t threads, const std::function<void(std::size_t)>& job);

}  // namespace hoist
