#!/usr/bin/env bash
# The whole server topology on one machine, for a trial: PostgreSQL for state, a two-shard ClickHouse cluster (with
# ZooKeeper) for events, and N `overlap serve` instances sharing them, each with its own ingest log.
#   trial-cluster.sh start DIR [--instances N]   starts it all under DIR (N defaults to 2) and prints KEY=VALUE lines:
#       OVERLAP_TRIAL_POSTGRES      the connection string of the database the instances use (overlap)
#       OVERLAP_TRIAL_CLICKHOUSE    shard 1's HTTP address with ?database=overlap (the instances' --clickhouse has
#                                   shard 2's after it)
#       OVERLAP_TRIAL_CLICKHOUSE_SHARD2, OVERLAP_TRIAL_CLICKHOUSE_CLUSTER (overlap_test)
#       OVERLAP_TRIAL_KEY           an admin API key
#       OVERLAP_TRIAL_INSTANCES     the instances' addresses, comma separated (put a load balancer in front of them)
#       OVERLAP_TRIAL_INSTANCE_i, OVERLAP_TRIAL_PID_i   each instance's address and process id (i from 1)
#   trial-cluster.sh stop DIR                    stops the instances (SIGTERM: they drain), ClickHouse, ZooKeeper and
#                                                PostgreSQL, and removes DIR.
# The instances run the Release build of the CLI (src/Overlap.Cli/bin/Release/net10.0/overlap.dll), built first when it
# is missing; OVERLAP_CLI names another overlap.dll. PostgreSQL and ClickHouse are started by scripts/services/*.sh
# (installed from Debian when missing), on free loopback ports. Each instance logs to DIR/instance-i/serve.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
usage() { echo "usage: $0 start DIR [--instances N] | stop DIR" >&2; exit 64; }
[ "$#" -ge 2 ] || usage
action=$1
dir=$2
shift 2
instances=2
while [ "$#" -gt 0 ]; do
  case "$1" in
    --instances)
      [ "$#" -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "--instances needs a whole number of 1 or more" >&2; exit 64; }
      instances=$2
      shift 2
      ;;
    *) usage ;;
  esac
done

stop() {
  [ -d "$dir" ] || return 0
  for pidfile in "$dir"/instance-*/pid; do
    [ -e "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    # SIGTERM drains the ingest queue and the loader; give it a minute, then SIGKILL (nothing acknowledged is lost).
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  bash "$here/services/clickhouse.sh" stop "$dir/clickhouse" >/dev/null 2>&1 || true
  bash "$here/services/postgres.sh" stop "$dir/postgres" >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "$action" in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *) usage ;;
esac

cli=${OVERLAP_CLI:-$root/src/Overlap.Cli/bin/Release/net10.0/overlap.dll}
if [ ! -e "$cli" ]; then
  echo "Building the CLI (dotnet build src/Overlap.Cli -c Release)..." >&2
  dotnet build "$root/src/Overlap.Cli" -c Release -nologo -v quiet >&2 || { echo "the CLI did not build" >&2; exit 1; }
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# Whatever fails from here leaves nothing running.
trap 'echo "the trial topology did not start; stopping what did" >&2; stop' ERR

value() { sed -n "s/^$1=//p" <<<"$2"; }
pg_lines=$(bash "$here/services/postgres.sh" start "$dir/postgres")
admin=$(value OVERLAP_TEST_POSTGRES "$pg_lines")
# The instances' own database, beside the server's default one.
psql=/usr/lib/postgresql/15/bin/psql
[ -x "$psql" ] || psql=psql
pg_host=$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$admin")
pg_port=$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$admin")
"$psql" -q -h "$pg_host" -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE overlap" >/dev/null
postgres="Host=$pg_host;Port=$pg_port;Username=postgres;Database=overlap"

ch_lines=$(bash "$here/services/clickhouse.sh" start "$dir/clickhouse")
clickhouse="$(value OVERLAP_TEST_CLICKHOUSE "$ch_lines")/?database=overlap"
shard2=$(value OVERLAP_TEST_CLICKHOUSE_SHARD2 "$ch_lines")
cluster=$(value OVERLAP_TEST_CLICKHOUSE_CLUSTER "$ch_lines")

# Shard 2's server too: an erasure on replicated shards runs on one server of each (docs/operations.md).
export OVERLAP_POSTGRES="$postgres" OVERLAP_CLICKHOUSE="$clickhouse,$shard2" OVERLAP_CLICKHOUSE_CLUSTER="$cluster"
# The first command migrates both stores (under PostgreSQL's advisory lock) and makes the key.
key=$(dotnet "$cli" keys create --data "$dir/instance-1/data" --role admin --name trial | tail -n 1)

read -r -a ports <<<"$(python3 - "$instances" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
)"
urls=()
for i in $(seq 1 "$instances"); do
  home="$dir/instance-$i"
  url="http://127.0.0.1:${ports[$((i - 1))]}"
  mkdir -p "$home/data"
  # Its own session, so a Ctrl-C in the terminal that ran this script does not reach it; stop DIR stops it.
  setsid dotnet "$cli" serve --data "$home/data" --urls "$url" </dev/null >"$home/serve.log" 2>&1 &
  echo $! >"$home/pid"
  urls+=("$url")
done
for i in $(seq 1 "$instances"); do
  url=${urls[$((i - 1))]}
  deadline=$((SECONDS + 120))
  until curl -fs --max-time 2 "$url/healthz" >/dev/null; do
    if ! kill -0 "$(cat "$dir/instance-$i/pid")" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$dir/instance-$i/serve.log" >&2 || true
      echo "instance $i ($url) did not answer /healthz; its log is above" >&2
      false
    fi
    sleep 0.3
  done
done
trap - ERR

echo "OVERLAP_TRIAL_POSTGRES=$postgres"
echo "OVERLAP_TRIAL_CLICKHOUSE=$clickhouse"
echo "OVERLAP_TRIAL_CLICKHOUSE_SHARD2=$shard2"
echo "OVERLAP_TRIAL_CLICKHOUSE_CLUSTER=$cluster"
echo "OVERLAP_TRIAL_KEY=$key"
echo "OVERLAP_TRIAL_INSTANCES=$(IFS=,; echo "${urls[*]}")"
for i in $(seq 1 "$instances"); do
  echo "OVERLAP_TRIAL_INSTANCE_$i=${urls[$((i - 1))]}"
  echo "OVERLAP_TRIAL_PID_$i=$(cat "$dir/instance-$i/pid")"
done
