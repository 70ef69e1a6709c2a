#pragma once
// A GitLab child pipeline with one job per Hoist pipeline file, for monorepos with many services: a parent job runs
// `hoist ci gitlab-child pipelines/*.yaml --output child.yml` and triggers the result (`trigger: include: artifact`),
// so each service's `hoist run` is its own job and the work spreads over GitLab's runners. Each job starts at once
// (`needs: []`), writes its JUnit and dotenv reports under hoist-reports/, and is named after the pipeline's `name`,
// so a job keeps its name (and its history in GitLab) as long as the pipeline keeps its name. A job with `paths`
// has `rules: changes:` for them (runner/cli/pipeline_paths.hpp), so a push runs only the services it touched.

#include <optional>
#include <string>
#include <vector>

namespace hoist {

struct ChildJob {
  std::string file;  // the pipeline file, as given
  std::string name;  // the pipeline's `name`; empty when it has none (the file's stem is used)
  std::vector<std::string> paths = {};  // globs for `rules: changes:`; none: the job always runs
};

// The pipeline's `name` or else its file's stem.
std::string child_base_name(const ChildJob& job);

// The job name for a pipeline: "hoist:" + its name (or file stem), every character outside [A-Za-z0-9._-] as "-".
// The prefix keeps names clear of GitLab's reserved top-level keys (image, variables, pages, ...).
std::string child_job_name(const ChildJob& job);

// Two pipelines whose job names collide: "FILE_A and FILE_B both make job NAME" for each collision; empty when none.
std::vector<std::string> child_job_name_clashes(const std::vector<ChildJob>& jobs);

// The child pipeline's YAML text. `image`: the jobs' image (Hoist's own, with its `hoist` entrypoint cleared for
// GitLab's shell); without one, jobs run in the runner's default image or shell. `command_line` is recorded in the
// header comment so the file says how to regenerate it.
std::string gitlab_child_yaml(const std::vector<ChildJob>& jobs, const std::optional<std::string>& image,
                              const std::string& command_line);

}  // namespace hoist
