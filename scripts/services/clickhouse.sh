#!/usr/bin/env bash
# A ClickHouse cluster on loopback for the tests, from the configs in scripts/services/clickhouse/: two shards, the first
# with two replicas (three servers), replicated through one ZooKeeper.
#   clickhouse.sh start DIR   starts ZooKeeper (DDL ON CLUSTER and replication) and the three servers with their files
#                             under DIR, waits until all answer /ping, and prints the KEY=VALUE lines tests read:
#                             OVERLAP_TEST_CLICKHOUSE (shard 1's first replica's HTTP address),
#                             OVERLAP_TEST_CLICKHOUSE_REPLICA (shard 1's second replica's), OVERLAP_TEST_CLICKHOUSE_SHARD2
#                             (shard 2's) and OVERLAP_TEST_CLICKHOUSE_CLUSTER (the cluster all name: overlap_test).
#   clickhouse.sh stop DIR    stops what start started in DIR.
# Ports are picked free at start. Run as root (CI), the servers run as the clickhouse user when it exists.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
action="${1:-}" dir="${2:-}"
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 64; }

stop() {
  for pidfile in "$dir"/*/pid; do
    [ -e "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "$action" = stop ]; then
  stop
  exit 0
fi
[ "$action" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 64; }

# shellcheck source=../install-missing.sh
source "$here/../install-missing.sh"
command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ] \
  || install_missing clickhouse-server "the ClickHouse tests"
[ -e /usr/share/java/zookeeper.jar ] || install_missing zookeeper "the ClickHouse cluster tests"
server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)

# Free ports: bind port 0 and read what the system gave, all at once so they differ.
read -r -a ports <<<"$(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(10)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
)"
zk_port=${ports[0]}
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
user=""
if [ "$(id -u)" -eq 0 ] && id clickhouse >/dev/null 2>&1; then
  user=clickhouse
fi

# Each server's ports: HTTP, TCP and interserver at ports[base..base+2]. Servers as "shard:replica:folder", in the order
# of their ports: shard 1 replica r1, shard 2 replica r1, shard 1 replica r2.
servers=(1:r1:shard1 2:r1:shard2 1:r2:shard1-replica2)
fill() { # template, output, shard, http, tcp, interserver, server dir, replica
  sed -e "s|@DIR@|$7|g" -e "s|@HTTP_PORT@|$4|g" -e "s|@TCP_PORT@|$5|g" -e "s|@INTERSERVER_PORT@|$6|g" \
    -e "s|@SHARD1_TCP_PORT@|${ports[2]}|g" -e "s|@SHARD2_TCP_PORT@|${ports[5]}|g" \
    -e "s|@SHARD1_REPLICA2_TCP_PORT@|${ports[8]}|g" \
    -e "s|@ZOOKEEPER_PORT@|$zk_port|g" -e "s|@SHARD@|$3|g" -e "s|@REPLICA@|$8|g" "$1" >"$2"
}

# ZooKeeper, in the foreground of its own background process.
mkdir -p "$dir/zookeeper/data"
fill "$here/clickhouse/zoo.cfg" "$dir/zookeeper/zoo.cfg" 0 0 0 0 "$dir/zookeeper" -
( cd "$dir/zookeeper" && exec java -Xmx256m -Dzookeeper.log.dir="$dir/zookeeper" \
    -cp "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar:/usr/share/java/*" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zookeeper/zoo.cfg" >"$dir/zookeeper/out.log" 2>&1 ) &
echo $! >"$dir/zookeeper/pid"
# ClickHouse's DDL worker connects to ZooKeeper as the server starts: wait (up to 60 s) until ZooKeeper answers.
deadline=$((SECONDS + 60))
until [ "$( (exec 3<>"/dev/tcp/127.0.0.1/$zk_port" && printf ruok >&3 && timeout 2 cat <&3) 2>/dev/null || true)" = imok ]; do
  if [ $SECONDS -ge $deadline ]; then
    echo "ZooKeeper on port $zk_port did not answer within 60 s; see $dir/zookeeper/out.log" >&2
    stop
    exit 1
  fi
  sleep 0.2
done

for i in 0 1 2; do
  IFS=: read -r shard replica folder <<<"${servers[$i]}"
  base=$(( i * 3 + 1 ))
  shard_dir="$dir/$folder"
  mkdir -p "$shard_dir/data" "$shard_dir/tmp" "$shard_dir/user_files" "$shard_dir/format_schemas"
  fill "$here/clickhouse/config.xml" "$shard_dir/config.xml" "$shard" "${ports[$base]}" "${ports[$((base + 1))]}" \
    "${ports[$((base + 2))]}" "$shard_dir" "$replica"
  cp "$here/clickhouse/users.xml" "$shard_dir/users.xml"
done
if [ -n "$user" ]; then
  chown -R "$user" "$dir"
  # The folder holding DIR may be private to root (mktemp -d): let the server user pass through it.
  chmod o+x "$(dirname "$dir")" "$dir"
fi
for each in "${servers[@]}"; do
  shard_dir="$dir/${each##*:}"
  if [ -n "$user" ]; then
    ( cd "$shard_dir" && exec setpriv --reuid="$user" --regid="$user" --init-groups \
        "$server" --config-file="$shard_dir/config.xml" >"$shard_dir/out.log" 2>&1 ) &
  else
    ( cd "$shard_dir" && exec "$server" --config-file="$shard_dir/config.xml" >"$shard_dir/out.log" 2>&1 ) &
  fi
  echo $! >"$shard_dir/pid"
done

# Wait (up to 60 s: the machine may be busy) for every server's /ping.
deadline=$((SECONDS + 60))
for http in "${ports[1]}" "${ports[4]}" "${ports[7]}"; do
  until [ "$(curl -s --max-time 2 "http://127.0.0.1:$http/ping" || true)" = "Ok." ]; do
    if [ $SECONDS -ge $deadline ]; then
      echo "ClickHouse on port $http did not answer /ping within 60 s; see $dir/shard*/server.err.log" >&2
      stop
      exit 1
    fi
    sleep 0.2
  done
done
echo "OVERLAP_TEST_CLICKHOUSE=http://127.0.0.1:${ports[1]}"
echo "OVERLAP_TEST_CLICKHOUSE_REPLICA=http://127.0.0.1:${ports[7]}"
echo "OVERLAP_TEST_CLICKHOUSE_SHARD2=http://127.0.0.1:${ports[4]}"
echo "OVERLAP_TEST_CLICKHOUSE_CLUSTER=overlap_test"
