# shellcheck shell=bash
# Shared by the benchmarks that bump a manifest repository on the project's git server (bench/bump, bench/remote).
# Source it after setting $bare (the bare repository on the server's disk) and defining die MESSAGE.

# Every git command: no user or system config, a fixed identity, credentials from the environment by a helper
# (HOIST_TEST_GIT_USERNAME / HOIST_TEST_GIT_PASSWORD, from the server's env file), never in a URL or command line.
# shellcheck disable=SC2016  # the helper expands the variables itself, from the environment
gitc() {
  GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 \
    GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@localhost \
    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=credential.helper \
    GIT_CONFIG_VALUE_0='!f() { test "$1" = get && printf "username=%s\npassword=%s\n" "$HOIST_TEST_GIT_USERNAME" "$HOIST_TEST_GIT_PASSWORD"; }; f' \
    git "$@"
}

# shellcheck disable=SC2154  # bare: set by the caller
tip() { git -C "$bare" rev-parse refs/heads/qa; }

# Did exactly one new commit land on qa on top of BEFORE, changing only PATH, which now holds `  tag: "TAG"`?
check_landed() {  # check_landed WHAT BEFORE PATH TAG
  local what=$1 before=$2 path=$3 tag=$4 now
  now=$(tip)
  [ "$now" != "$before" ] || die "$what: the branch did not move"
  [ "$(git -C "$bare" rev-parse "$now^")" = "$before" ] || die "$what: the new tip is not one commit on top of the old"
  [ "$(git -C "$bare" diff-tree --no-commit-id --name-only -r "$now")" = "$path" ] ||
    die "$what: the commit changed more than $path"
  git -C "$bare" show "$now:$path" | grep -qxF "  tag: \"$tag\"" || die "$what: $path does not hold tag $tag"
}
