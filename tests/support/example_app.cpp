// See example_app.hpp.
#include "tests/support/example_app.hpp"

#include <stdexcept>

#include "tests/support/command.hpp"

namespace hoist::test {

void copy_from_source(const std::string& from, const std::filesystem::path& target) {
  std::filesystem::create_directories(target.parent_path());
  Command cp;
  cp.argv = {"cp", "-a", (std::filesystem::path(HOIST_SOURCE_DIR) / from).string(), target.string()};
  CommandResult r = run_command(cp);
  if (!r.ok()) throw std::runtime_error("cp " + from + ": " + r.err);
}

void copy_example_app(const std::filesystem::path& root) {
  for (const std::string path : {"pipelines/api-gateway.yaml", "examples/api-gateway"})
    copy_from_source(path, root / path);
}

}  // namespace hoist::test
