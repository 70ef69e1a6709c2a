// See production_policy.hpp.

#include "steps/gate/production_policy.hpp"

#include "runner/util/errors.hpp"

namespace hoist::promote {

ProductionPolicy read_production_policy(ManifestRepo& repo) {
  ProductionPolicy out;
  out.branch = repo.default_branch();
  out.commit = repo.tip(out.branch);
  std::optional<std::string> text = repo.read(out.commit, "hoist.yaml");
  if (!text)
    throw InputError("no hoist.yaml at the root of branch '" + out.branch + "' (the default branch) of " +
                     repo.display() + ": promotions need a policy on the production branch");
  out.policy = load_policy(*text, "hoist.yaml");
  std::vector<std::string> order = out.policy.promotion_order();
  if (order.empty()) throw InputError("hoist.yaml on branch '" + out.branch + "' defines no environments");
  out.environment = order.back();
  const Environment& prod = out.policy.environment(out.environment);
  if (prod.branch != out.branch)
    throw InputError("hoist.yaml on branch '" + out.branch + "' (the default branch of " + repo.display() +
                     ") says the production environment '" + prod.name + "' lives on branch '" + prod.branch +
                     "': the policy is only read from the production branch, which must be the default branch");
  return out;
}

}  // namespace hoist::promote
