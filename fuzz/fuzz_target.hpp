#pragma once
// One fuzz target, two builds. With -DHOIST_FUZZ=ON (clang, libFuzzer) each fuzz/*_fuzz.cpp is its own program
// and HOIST_FUZZ_TARGET(name) is libFuzzer's LLVMFuzzerTestOneInput; a broken oracle aborts, which libFuzzer
// records as a crash. The test binary includes the same files with HOIST_FUZZ_REGRESSION defined
// (tests/fuzz/fuzz_regression_test.cpp): the target is then the plain function hoist_fuzz_NAME and a broken oracle
// throws, so the saved crashers in fuzz/regressions/NAME/ run as ordinary Catch2 tests on every build.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#ifdef HOIST_FUZZ_REGRESSION
#define HOIST_FUZZ_TARGET(name) int hoist_fuzz_##name(const std::uint8_t* data, std::size_t size)
#else
#define HOIST_FUZZ_TARGET(name) extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#endif

namespace hoist::fuzz {

// An oracle failed: the code under test did something it promises never to do.
[[noreturn]] inline void fail(const std::string& message) {
#ifdef HOIST_FUZZ_REGRESSION
  throw std::logic_error(message);
#else
  std::fprintf(stderr, "oracle failed: %s\n", message.c_str());
  std::abort();
#endif
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace hoist::fuzz
