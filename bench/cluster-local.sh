#!/usr/bin/env bash
# Three demos-im server processes on one machine against a local PostgreSQL: the recipe of docs/cluster.md.
#
#   bench/cluster-local.sh [--nodes N] [--base-port P] [--db JDBC_URL] [--check]
#
# Without --db it creates a PostgreSQL cluster of its own in a temporary directory (initdb and pg_ctl of the
# installed PostgreSQL server, as .ci/with-postgres does; on loopback, a free port), removed when the script ends.
# It then starts N (default 3) `./demos-im server --db …` processes, node i on L2PS port P+10i and legacy port
# P-1+10i (P default 3006: 3006/3005, 3016/3015, 3026/3025), waits until each listens, prints their URIs and runs
# until Ctrl-C, which stops the nodes and then PostgreSQL.
#
# --check instead runs a short check and stops everything: two identities (keygen); alice sends to bob, who is
# offline, through node 1; bob connects to node N and gets it from the queue, which every node shares; then bob
# listens on node N while alice sends through node 1 again, and the script says whether that message arrived live
# across the nodes (it needs routing between nodes; see docs/cluster.md). Exit status 0 when the offline message
# arrived (and the live one, with --check-live).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nodes=3
base=3006
db=""
check=false
check_live=false
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift ;;
    --base-port) base="$2"; shift ;;
    --db) db="$2"; shift ;;
    --check) check=true ;;
    --check-live) check=true; check_live=true ;;
    *) echo "usage: $0 [--nodes N] [--base-port P] [--db JDBC_URL] [--check|--check-live]" >&2; exit 2 ;;
  esac
  shift
done
work="$(mktemp -d /tmp/demos-im-cluster-local.XXXXXX)"
pgdir=""
pids=()
pgbin=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done   # SIGTERM: each node stops cleanly
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pgdir" ]; then
    run_pg "'$pgbin/pg_ctl' -D '$pgdir/data' -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

if [ -z "$db" ]; then
  pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    echo "cluster-local: no PostgreSQL server installed (/usr/lib/postgresql/*/bin/initdb); install Debian's" \
      "postgresql package, or pass --db jdbc:postgresql://HOST/DB?user=…" >&2
    exit 1
  fi
  pgdir="$(mktemp -d /tmp/demos-im-cluster-pg.XXXXXX)" # its own directory: PostgreSQL runs as postgres
  if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; fi
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  run_pg "'$pgbin/initdb' -D '$pgdir/data' -A trust -U postgres" >/dev/null
  run_pg "'$pgbin/pg_ctl' -D '$pgdir/data' -l '$pgdir/log' -w -o \"-p $port -k '$pgdir' -c listen_addresses=127.0.0.1\" start" >/dev/null
  db="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
  echo "cluster-local: PostgreSQL on 127.0.0.1:$port (data in $pgdir, removed at the end)"
fi

# The first call builds the command's image when needed (a minute or two); do it once, before the nodes.
"$root/demos-im" --version >/dev/null

l2ps_port() { echo $((base + 10 * $1)); }
legacy_port() { echo $((base - 1 + 10 * $1)); }
# One after the other: each waits until the previous one listens, so the first alone creates the schema in a new
# database (nodes started at the same moment on an empty database race on its CREATE TABLEs; see docs/cluster.md).
for i in $(seq 0 $((nodes - 1))); do
  log="$work/node-$((i + 1)).log"
  "$root/demos-im" server --db "$db" --l2ps-port "$(l2ps_port "$i")" --legacy-port "$(legacy_port "$i")" > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    grep -q "Press Ctrl-C to stop" "$log" 2>/dev/null && break
    kill -0 "${pids[$i]}" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "Press Ctrl-C to stop" "$log" || { cat "$log" >&2; echo "cluster-local: node $((i + 1)) did not start" >&2; exit 1; }
  echo "cluster-local: node $((i + 1)): L2PS ws://127.0.0.1:$(l2ps_port "$i")/  legacy ws://127.0.0.1:$(legacy_port "$i")/  (log $log)"
done

if ! $check; then
  echo "cluster-local: $nodes nodes on $db; clients may list every node (docs/failover.md), e.g."
  echo "  ./demos-im listen --seed-file bob.seed --server ws://127.0.0.1:$(l2ps_port $((nodes - 1)))/"
  echo "cluster-local: Ctrl-C stops the nodes and PostgreSQL"
  wait "${pids[@]}"
  exit 0
fi

first="ws://127.0.0.1:$(l2ps_port 0)/"
last="ws://127.0.0.1:$(l2ps_port $((nodes - 1)))/"
"$root/demos-im" keygen --out "$work/alice.seed" --json > "$work/alice.json"
"$root/demos-im" keygen --out "$work/bob.seed" --json > "$work/bob.json"
bob="$(sed -E 's/.*"ed25519PublicKey":"([^"]+)".*/\1/' "$work/bob.json")"
bob_kem="$(sed -E 's/.*"mlKemPublicKey":"([^"]+)".*/\1/' "$work/bob.json")"

echo "cluster-local: alice sends to bob (offline) through node 1"
"$root/demos-im" send --server "$first" --seed-file "$work/alice.seed" --to "$bob" --kem-key "$bob_kem" \
  --text "offline, through node 1"
echo "cluster-local: bob connects to node $nodes"
"$root/demos-im" listen --server "$last" --seed-file "$work/bob.seed" --count 1 --timeout 60 --json | tee "$work/offline.out"
grep -q "offline, through node 1" "$work/offline.out" || { echo "cluster-local: CHECK FAILED: bob did not get the queued message on node $nodes" >&2; exit 1; }
echo "cluster-local: OK: a message queued through node 1 was delivered by node $nodes"

echo "cluster-local: bob listens on node $nodes; alice sends through node 1"
"$root/demos-im" listen --server "$last" --seed-file "$work/bob.seed" --count 1 --timeout 20 --json > "$work/live.out" 2>&1 &
listener=$!
sleep 5 # bob registered
"$root/demos-im" send --server "$first" --seed-file "$work/alice.seed" --to "$bob" --kem-key "$bob_kem" \
  --text "live, node 1 to node $nodes"
wait "$listener" || true
if grep -q "live, node 1 to node $nodes" "$work/live.out"; then
  echo "cluster-local: OK: delivered live from node 1 to node $nodes"
else
  echo "cluster-local: NOT delivered live within 20 s (routing between nodes: docs/cluster.md); it waits in" \
    "bob's queue for his next connection"
  $check_live && exit 1
fi
exit 0
