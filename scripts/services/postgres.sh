#!/usr/bin/env bash
# The PostgreSQL server the tests use, on loopback.
#   postgres.sh start DIR   initdb's a cluster for DIR with the config kept beside this script (a free port), starts
#                           it, waits until it answers and prints OVERLAP_TEST_POSTGRES=<connection string>
#   postgres.sh stop DIR    stops it (fast: open sessions are ended) and removes the cluster (and DIR, when empty)
# Installs Debian's postgresql-15 when it is missing. PostgreSQL refuses to run as root: as root, the cluster is made
# and run by the postgres user in a folder of its own, and DIR keeps only the path to it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { echo "usage: $0 start|stop DIR" >&2; exit 64; }
[ "$#" -eq 2 ] || usage
action=$1
dir=$2

bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ]; then
  # shellcheck source=../install-missing.sh
  source "$here/../install-missing.sh"
  install_missing postgresql-15 "the PostgreSQL tests"
fi
if [ ! -x "$bin/initdb" ]; then
  bin=$(pg_config --bindir 2>/dev/null || dirname "$(command -v initdb 2>/dev/null || echo /none/initdb)")
fi
[ -x "$bin/initdb" ] || { echo "PostgreSQL 15 (initdb, pg_ctl) is not installed: apt-get install postgresql-15" >&2; exit 69; }

# As root, every PostgreSQL command runs as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The folder that holds the cluster (data/) and its log: DIR itself, or as root a postgres-owned folder named in DIR/cluster.
cluster_home() {
  if [ -f "$dir/cluster" ]; then
    cat "$dir/cluster"
  elif [ "$(id -u)" -eq 0 ]; then
    local home
    home=$(runuser -u postgres -- mktemp -d "${TMPDIR:-/tmp}/overlap-postgres.XXXXXX")
    echo "$home" >"$dir/cluster"
    echo "$home"
  else
    echo "$dir"
  fi
}

# Below Linux's ephemeral range (32768 and up), where the kernel hands out ports to outgoing and port-0 sockets of the
# tests running beside this one: a port found free there could be taken before PostgreSQL binds it.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 12000))
    if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found on 127.0.0.1" >&2
  return 1
}

start() {
  mkdir -p "$dir"
  local home data port
  home=$(cluster_home)
  data="$home/data"
  if [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
    port=$(sed -n 4p "$data/postmaster.pid")
  else
    rm -rf "$data"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-instructions \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; echo "initdb failed in $data" >&2; exit 1; }
    # A port found free can still be taken before the server binds it: then another is tried, up to five.
    local started=""
    for _ in 1 2 3 4 5; do
      port=$(free_port)
      as_owner cp "$here/postgres/postgresql.conf" "$data/postgresql.conf"
      echo "port = $port" | as_owner tee -a "$data/postgresql.conf" >/dev/null
      if as_owner "$bin/pg_ctl" start -D "$data" -l "$home/postgres.log" -w -t 60 >/dev/null; then
        started=yes
        break
      fi
      grep -q "Address already in use" "$home/postgres.log" 2>/dev/null || break
    done
    if [ -z "$started" ]; then
      cat "$home/postgres.log" >&2 || true
      echo "PostgreSQL did not start in $data (log above)" >&2
      exit 1
    fi
  fi
  # pg_ctl -w waits for the server; this waits until it takes connections on the port the tests use.
  local ready=""
  for _ in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 1; then
      ready=yes
      break
    fi
    sleep 0.5
  done
  [ -n "$ready" ] || { echo "PostgreSQL on 127.0.0.1:$port did not answer within 30 s (log: $home/postgres.log)" >&2; exit 1; }
  echo "OVERLAP_TEST_POSTGRES=Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

stop() {
  [ -d "$dir" ] || return 0
  local home
  if [ -f "$dir/cluster" ]; then home=$(cat "$dir/cluster"); else home=$dir; fi
  if [ -f "$home/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" stop -D "$home/data" -m fast -w -t 60 >/dev/null
  fi
  rm -rf "$home/data" "$home/postgres.log"
  if [ -f "$dir/cluster" ]; then
    rmdir "$home" 2>/dev/null || true
    rm -f "$dir/cluster"
  fi
  rm -f "$dir/initdb.log"
  rmdir "$dir" 2>/dev/null || true
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
