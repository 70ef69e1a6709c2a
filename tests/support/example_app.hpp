#pragma once
// The example service's repository as a CI system checks it out: what pipelines/api-gateway.yaml needs (the pipeline
// and examples/api-gateway), copied from the source tree at the same paths, for the CI-system tests.

#include <filesystem>
#include <string>

namespace hoist::test {

// Copies FROM (a file or a directory, relative to the source tree) to TARGET, creating TARGET's parents. Throws
// std::runtime_error when cp fails.
void copy_from_source(const std::string& from, const std::filesystem::path& target);

// pipelines/api-gateway.yaml and examples/api-gateway, copied under ROOT.
void copy_example_app(const std::filesystem::path& root);

}  // namespace hoist::test
