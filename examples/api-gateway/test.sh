#!/bin/sh
# The example service's tests: the server starts and its routes file is there.
set -eu
here=$(dirname "$0")
out=$(PORT=9090 "$here/app/server")
case "$out" in
  *":9090"*) echo "ok - server reports its port" ;;
  *) echo "not ok - server said: $out"; exit 1 ;;
esac
grep -q '^routes:' "$here/app/routes.yaml" && echo "ok - routes file present"
