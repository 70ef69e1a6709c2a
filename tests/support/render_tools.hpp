#pragma once
// Renderer tests run the real kustomize (or kubectl kustomize). Where neither is installed (a fresh Debian: neither
// is a Debian package) they must not count as passed: require_kustomize() fails the test with a message starting
// "HOIST-NOT-RUN:", which ctest reports by name as "Not Run (Skipped)" (SKIP_REGULAR_EXPRESSION in CMakeLists.txt);
// run directly, hoist_tests counts them as failed. scripts/setup says how to install kubectl.

#include <catch2/catch.hpp>

#include "runner/process/process.hpp"
#include "steps/render/renderer.hpp"

namespace hoist::test {

inline void require_kustomize() {
  const auto env = current_environment();
  if (rendering::find_on_path("kustomize", env).empty() && rendering::find_on_path("kubectl", env).empty())
    FAIL("HOIST-NOT-RUN: neither kustomize nor kubectl is on PATH, so this renderer test did not run "
         "(scripts/setup says how to install kubectl)");
}

}  // namespace hoist::test
