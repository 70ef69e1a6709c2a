#pragma once
// Renderer tests run the real kustomize (or kubectl kustomize). Where neither is installed (a fresh Debian: neither
// is a Debian package) they must not count as passed: require_kustomize() fails the test with a message starting
// "HOIST-NOT-RUN:", which ctest reports by name as "Not Run (Skipped)" (SKIP_REGULAR_EXPRESSION in CMakeLists.txt);
// run directly, hoist_tests counts them as failed. scripts/setup says how to install kubectl.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/process/process.hpp"
#include "steps/render/renderer.hpp"

namespace hoist::test {

inline void require_kustomize() {
  const auto env = current_environment();
  if (rendering::find_on_path("kustomize", env).empty() && rendering::find_on_path("kubectl", env).empty())
    FAIL("HOIST-NOT-RUN: neither kustomize nor kubectl is on PATH, so this renderer test did not run "
         "(scripts/setup says how to install kubectl)");
}

// The Deployment the renderer tests' overlays set the image of: one container, `server`, image without a tag.
inline const char* const kShopDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-gateway
spec:
  selector: {matchLabels: {app: api-gateway}}
  template:
    metadata: {labels: {app: api-gateway}}
    spec:
      containers:
        - name: server
          image: registry.example.com/shop/api-gateway
)";

// The outputs of the last step_finished event of a `--output json` run (one JSON event per line); null if none.
inline nlohmann::json last_step_outputs(const std::string& events) {
  nlohmann::json outputs;
  std::istringstream lines(events);
  for (std::string line; std::getline(lines, line);) {
    auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_object() && e.value("event", "") == "step_finished") outputs = e["outputs"];
  }
  return outputs;
}

}  // namespace hoist::test
