# shellcheck shell=bash
# Shared by scripts/demo and scripts/hoist-image: the example manifest repository (examples/manifests) as a bare
# repository a test git server serves, with branches qa, staging and master (production, holding hoist.yaml).
# Sourced, not executed.

# seed_example_manifests ROOT WORK REGISTRY BARE: examples/manifests of the source tree ROOT, with REGISTRY written
# where the files say REGISTRY, committed in WORK/seed and cloned bare to BARE (pushes allowed).
seed_example_manifests() {
  local root=$1 seed=$2/seed registry=$3 bare=$4
  git init -q -b master "$seed"
  cp -r "$root/examples/manifests/." "$seed/"
  grep -rl REGISTRY "$seed" --exclude-dir=.git | xargs sed -i "s#REGISTRY#$registry#g"
  git -C "$seed" -c user.name=demo -c user.email=demo@example.invalid add -A
  git -C "$seed" -c user.name=demo -c user.email=demo@example.invalid commit -qm "seed"
  git -C "$seed" branch qa && git -C "$seed" branch staging
  git clone -q --bare "$seed" "$bare"
  git -C "$bare" config http.receivepack true
}
