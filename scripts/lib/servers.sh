# shellcheck shell=bash
# Shared by scripts/start-registry, scripts/start-git-server and scripts/stop-servers: the parts of the test-server
# contract that must behave the same for every server (ports, secrets, readiness, pid files, env files).
# Sourced, not executed. Only loopback addresses, ever.

servers_die() {
  echo "${0##*/}: error: $*" >&2
  exit 1
}

# Random lowercase hex of $1 bytes, from openssl (a dependency anyway for TLS).
servers_random_hex() {
  openssl rand -hex "$1"
}

# A random port below the kernel's ephemeral range, so outgoing connections rarely collide with it.
# Nothing is reserved here: the caller starts the server on it and retries on "address in use".
servers_random_port() {
  local low=32768 port
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  fi
  [ "$low" -gt 11024 ] || low=61000  # unusual range: use the top instead
  if [ "$low" -eq 61000 ]; then
    port=$((61000 + RANDOM % 4000))
  else
    port=$((10000 + RANDOM % (low - 11024)))
  fi
  echo "$port"
}

# True when something already accepts connections on 127.0.0.1:$1.
servers_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True while any thread of pid $1 runs. A zombie counts as gone (it holds no port and will never answer), but only
# once all its threads have exited: a multi-threaded server's main thread turns zombie first, and the others hold its
# listening socket until each has exited. Read with bash alone (no fork per check).
servers_alive() {
  local stat line state
  [ -r "/proc/$1/stat" ] || return 1
  for stat in "/proc/$1/stat" "/proc/$1"/task/*/stat; do
    { read -r line <"$stat"; } 2>/dev/null || continue
    state=${line##*) }
    state=${state%% *}
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ] && return 0
  done
  return 1
}

# True when pid $1 is one we started under directory $2: its command line mentions the directory. Guards against
# killing an unrelated process that reused a stale pid.
servers_owned() {
  local cmdline
  [ -r "/proc/$1/cmdline" ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) "
  [[ $cmdline == *"$2/"* || $cmdline == *"$2 "* ]]
}

# servers_wait_ready PID LOG PATTERN SECONDS CHECK...
# Waits until PID is alive, LOG contains PATTERN (the server's own "I am listening" line, which proves that *our*
# process owns the port and not some other server that happens to answer there) and CHECK... succeeds.
# Returns 0 when ready, 1 when PID exited, 2 on timeout.
servers_wait_ready() {
  local pid=$1 log=$2 pattern=$3 seconds=$4
  shift 4
  local deadline=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    servers_alive "$pid" || return 1
    if grep -qF -- "$pattern" "$log" 2>/dev/null && "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  return 2
}

# Prints the last lines of a server log to stderr, so a failed start explains itself.
servers_show_log() {
  if [ -s "$1" ]; then
    echo "--- last lines of $1 ---" >&2
    tail -n 40 "$1" >&2
  fi
}

# servers_make_tls DIR: a throwaway CA (DIR/ca.crt, DIR/ca.key) and a server certificate for 127.0.0.1 and localhost
# signed by it (DIR/server.crt, DIR/server.key), valid 7 days. EC keys: fast to generate. openssl's words go to
# DIR/openssl.log, shown when a step fails.
servers_make_tls() {
  local tls=$1
  mkdir -p "$tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
    -subj "/CN=Hoist test CA $(servers_random_hex 4)" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>"$tls/openssl.log" || servers_tls_failed "$tls" "CA generation failed"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$tls/server.key" -out "$tls/server.csr" 2>>"$tls/openssl.log" ||
    servers_tls_failed "$tls" "server key generation failed"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
    -CAserial "$tls/ca.srl" -days 7 -extfile "$tls/server.ext" -out "$tls/server.crt" 2>>"$tls/openssl.log" ||
    servers_tls_failed "$tls" "server certificate signing failed"
  chmod 0644 "$tls/ca.crt"
}

# servers_tls_failed DIR MESSAGE: shows DIR/openssl.log and dies with MESSAGE.
servers_tls_failed() {
  cat "$1/openssl.log" >&2
  servers_die "$2"
}

# servers_stop_pid PID DIR: TERM, wait up to 10 s, then KILL. Only touches processes we own.
servers_stop_pid() {
  local pid=$1 dir=$2 i
  servers_alive "$pid" || return 0
  servers_owned "$pid" "$dir" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    servers_alive "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    servers_alive "$pid" || return 0
    sleep 0.1
  done
  echo "${0##*/}: warning: pid $pid did not exit" >&2
  return 1
}

# servers_start_watchdog SERVER_PID NAME DIR: when $HOIST_TEST_SERVER_OWNER_PID is set, a small background loop
# stops the server once that process is gone, so a crashed or killed test run never leaks servers.
# Its pid goes into DIR/NAME.watchdog.pid.
servers_start_watchdog() {
  local server=$1 name=$2 dir=$3 owner=${HOIST_TEST_SERVER_OWNER_PID:-}
  [ -n "$owner" ] || return 0
  (
    while servers_alive "$owner" && servers_alive "$server"; do sleep 1; done
    servers_stop_pid "$server" "$dir"
  ) </dev/null >/dev/null 2>&1 &
  echo $! >"$dir/$name.watchdog.pid"
}

# Drops REGISTRY_* variables, which Distribution reads as configuration overrides.
servers_clean_environment() {
  local v
  for v in $(compgen -e); do
    case $v in REGISTRY_*) unset "$v" ;; esac
  done
}

# servers_refuse_if_running NAME DIR: one server of each kind per directory.
servers_refuse_if_running() {
  local pidfile="$2/$1.pid" pid
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    if servers_alive "$pid" && servers_owned "$pid" "$2"; then
      servers_die "a $1 server already runs under $2 (pid $pid); run scripts/stop-servers $2 first"
    fi
  fi
}

# servers_guard_start NAME DIR: until servers_started is called, exiting the start script for any reason (an error,
# a signal) kills the server it launched (the global $pid) and removes DIR/NAME.pid, so a failed start never leaves
# a server behind.
servers_guard_start() {
  servers_guard_name=$1
  servers_guard_dir=$2
  servers_guard_done=0
  trap servers_guard_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

servers_guard_cleanup() {
  [ "$servers_guard_done" = 1 ] && return 0
  if [ -n "${pid:-}" ]; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$servers_guard_dir/$servers_guard_name.pid"
}

servers_started() {
  servers_guard_done=1
}
