#!/usr/bin/env bash
# One run of every measurement in docs/performance.md, Java and the TypeScript SDK side by side, and the tables.
#
#   bench/compare-ts.sh [--quick] [--skip-build] [--no-jdk25] [--only crypto,transport,footprint,e2e,latency,server,server-ab,cluster,memory,codec]
#
# Steps (each writes JSON into bench/target/compare-ts/):
#   build      mvn -B -q package -pl bench -am -DskipTests (bench/target/benchmarks.jar), with crypto-jdk too when a
#              JDK 25 is found (see below); skipped with --skip-build
#   npm        npm ci --ignore-scripts in interop/ if interop/node_modules is missing (the SDK 2.9.1, as locked)
#   crypto     CryptoBenchmark (JMH), seal/open once more on 2 threads, then bench/ts/crypto-bench.mjs: the SDK's
#              UnifiedCrypto on the same inputs; then seal and open a second time on both sides. With a JDK 25
#              (.ci/jdk25: $JDK25_HOME, $JAVA_HOME, the java on the PATH or /usr/lib/jvm/*) the Java side runs on it,
#              for both crypto providers, bouncycastle and jdk (crypto-jdk), in the same run; without one, on the
#              java on the PATH for bouncycastle only. --no-jdk25 forces the latter.
#   transport  TransportBenchmark (JMH): the three Java transports against a Jetty echo endpoint (EchoServer, one
#              process); the SDK's transport (Node.js's global WebSocket) against the same process before and
#              after them (bench/ts/websocket-bench.mjs); --only transport runs just this step (about 4 minutes)
#   footprint  TransportFootprint: threads and heap per open connection of each Java transport (100 connections)
#   e2e        EndToEndBenchmark (JMH): 1 and 16 pairs through the server, every transport, H2 file; and once
#              with an in-memory database (java-websocket), to show what persistence costs
#   latency    LatencyRun: open loop at 1,000 msg/s over 16 pairs, every transport; and at 250 msg/s
#   server     ServerLoad: the server alone in its own process, driven by raw jdk connections with pre-sealed frames
#              (16 pairs): the echo floor of that transport and its latency at 1,000 and 2,500 frames/s, a closed
#              loop, open loops at 1,000 and 2,500 msg/s; once with server and generator pinned to one core each
#              (taskset; 2+ CPUs), once unpinned (each run after a 30-s warm-up: a fresh server's JIT is a third of
#              its CPU in the first 5 s; about 14 minutes; --only server runs just this step and needs no
#              TypeScript SDK)
#   server-ab  the group-commit A/B: ServerLoad unpinned (closed loop, open loop at 1,000 msg/s) on an H2 file and on
#              a throwaway local PostgreSQL cluster with its default settings (fsync on), each with group commit
#              forced on and off (-Ddemos.im.store.groupCommit=true|false); on PostgreSQL grouped once with one store
#              writer and once with each count in SERVER_AB_WRITERS (space-separated; default 2, the server's default;
#              -Ddemos.im.store.writers=N); on each database grouped once more with the commit delay off
#              (--commit-delay 0; docs/server.md); with h2 also a diagnostic run on an in-memory H2 database (what the
#              SQL engine costs apart from the file); SERVER_AB_DATABASES (default h2,postgresql) limits the databases;
#              PostgreSQL needs its initdb (skipped with a note without it); about 15 minutes; not in the default
#              list: --only server-ab
#   cluster    ClusterLoad: 1, 2 and 3 server processes on one PostgreSQL (a throwaway one started by .ci/with-postgres
#              --require: fsync off), driven by raw jdk connections with pre-sealed frames (12 pairs): delivered
#              msg/s of a closed loop for each node count, then delivery latency at an offered 500 msg/s on 3 nodes
#              (--placement: CLUSTER_PLACEMENT, default same: sender and recipient on one node; cross once the
#              server routes between nodes); writes cluster.json and cluster.md; about 3 minutes; not in the
#              default list: --only cluster
#   memory     IdleConnectionMemory: 1,000 idle registered connections on a forked server
#   codec      CodecBenchmark (JMH): every frame type, encode and decode (about 5 minutes: 62 forks)
# then prints the tables (bench/ts/report.mjs) and writes them to bench/target/compare-ts/table.md.
#
# --quick runs every step with minimal iterations (a smoke test of the script, not figures to quote).
# Benchmarks are CPU-bound on a shared machine: the machine step records the load average before and after.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/target/compare-ts"
jar="$here/target/benchmarks.jar"
quick=false
build=true
use_jdk25=true
only="crypto,transport,footprint,e2e,latency,server,memory,codec"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --skip-build) build=false ;;
    --no-jdk25) use_jdk25=false ;;
    --only) only="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--skip-build] [--no-jdk25] [--only crypto,transport,footprint,e2e,latency,server,server-ab,cluster,memory,codec]" >&2
       exit 2 ;;
  esac
  shift
done
wants() { [[ ",$only," == *",$1,"* ]]; }
step() { echo "== $* ($(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2; }

command -v node >/dev/null || { echo "compare-ts.sh needs Node.js 20+ (node) for the TypeScript SDK side" >&2; exit 1; }
command -v java >/dev/null || { echo "compare-ts.sh needs a JDK 17+ (java)" >&2; exit 1; }

# The crypto step's JVM and providers: on a JDK 25 both providers side by side, crypto-jdk's jar added to the class path
# (the benchmark jar itself stays free of it, so the other steps run on any JDK 17+ with the one provider).
jdk25=""
$use_jdk25 && wants crypto && jdk25="$("$root/.ci/jdk25" 2>/dev/null || true)"
if $build; then
  if [ -n "$jdk25" ]; then
    step "build (Maven on $jdk25, with crypto-jdk)"
    # MAVEN_OPTS: Maven 3.8's Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every run.
    (cd "$root" && JAVA_HOME="$jdk25" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
      mvn -B -q package -pl bench,crypto-jdk -am -DskipTests)
  else
    step "build"
    (cd "$root" && mvn -B -q package -pl bench -am -DskipTests)
  fi
fi
[ -f "$jar" ] || { echo "no $jar: build it with mvn -B -q package -pl bench -am -DskipTests" >&2; exit 1; }
crypto_java=java
crypto_cp="$jar"
providers=bouncycastle
if [ -n "$jdk25" ]; then
  jdk_jar="$(ls "$root"/crypto-jdk/target/demos-im-crypto-jdk-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1)"
  [ -n "$jdk_jar" ] || { echo "no crypto-jdk jar: build it with JAVA_HOME=$jdk25 mvn -B -q package -pl bench,crypto-jdk -am -DskipTests" >&2; exit 1; }
  crypto_java="$jdk25/bin/java"
  crypto_cp="$jar:$jdk_jar"
  providers=bouncycastle,jdk
fi
if [ ! -d "$root/interop/node_modules" ] && { wants crypto || wants transport; }; then
  step "npm ci (interop/): the TypeScript SDK as locked"
  (cd "$root/interop" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
fi

rm -rf "$out"
mkdir -p "$out"
node_flags=()
[ "$(node -p 'Number(process.versions.node.split(".")[0])')" -lt 22 ] && node_flags=(--experimental-websocket)

if $quick; then
  crypto_opts=(-wi 1 -w 1s -i 1 -r 1s); ts_crypto=(--warmup-iterations 1 --iterations 1 --seconds 1)
  short_opts=(-wi 1 -w 1s -i 1 -r 2s); ts_ws=(--warmup-iterations 1 --iterations 1 --seconds 1); e2e_opts=("${short_opts[@]}")
  codec_opts=(-wi 1 -w 1s -i 1 -r 1s); latency=(--warmup 2 --seconds 5); connections=200
  server_load=(--warmup 1 --seconds 3 --drain 20)
else
  # Many short iterations rather than a few long ones: other processes take the CPU in bursts, and the report
  # also shows each result's best iteration, which more iterations make likelier to be a clean one.
  # Crypto warms up for 3 x 2 s: on a loaded machine the JIT compiler threads share the CPU too, and the
  # benchmark must not be measured before they have compiled it.
  crypto_opts=(-wi 3 -w 2s -i 6 -r 1s); ts_crypto=(--warmup-iterations 3 --iterations 6 --seconds 1)
  short_opts=(-wi 2 -w 2s -i 5 -r 2s); ts_ws=(--warmup-iterations 2 --iterations 5 --seconds 2)
  # End to end warms up 4 x 4 s: with 2 x 2 s its iterations were still rising (server, clients and their crypto
  # are all being compiled, on the same two cores).
  e2e_opts=(-wi 4 -w 4s -i 5 -r 2s)
  codec_opts=(-wi 1 -w 1s -i 3 -r 1s); latency=(--warmup 10 --seconds 30); connections=1000
  server_load=(--warmup 30 --seconds 20 --drain 60)
fi
# JMH: one fork per benchmark, results as JSON; the human-readable log goes to a file next to it.
# --quick ignores JMH's machine-wide lock (/tmp/jmh.lock): its figures are not quoted, and it must not fail because
# another JMH run is under way; a full run keeps the lock, so two measured runs never share the CPU unnoticed.
jmh_lock=()
$quick && jmh_lock=(-Djmh.ignoreLock=true)
# A benchmark that fails (JMH prints "<failure>" and goes on with the next) fails the run.
jmh() { local name="$1"; shift; java "${jmh_lock[@]}" -jar "$jar" "$@" -f 1 -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1 \
  || { tail -30 "$out/$name.log" >&2; exit 1; }
  if grep -q "<failure>" "$out/$name.log"; then grep -m1 -A12 "<failure>" "$out/$name.log" >&2; exit 1; fi; }
# The crypto benchmarks: on the crypto JVM, for every provider (JMH forks with the same java and class path).
# CpuTimeProfiler adds the CPU time per operation beside the wall-clock time (docs/performance.md, Method).
jmh_crypto() { local name="$1"; shift; "$crypto_java" "${jmh_lock[@]}" -cp "$crypto_cp" org.openjdk.jmh.Main "$@" \
  -p provider="$providers" -prof io.github.demosim.bench.CpuTimeProfiler -f 1 -rf json -rff "$out/$name.json" \
  > "$out/$name.log" 2>&1 \
  || { tail -30 "$out/$name.log" >&2; exit 1; }
  if grep -q "<failure>" "$out/$name.log"; then grep -m1 -A12 "<failure>" "$out/$name.log" >&2; exit 1; fi; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
stat_before="$(head -1 /proc/stat)"

if wants crypto; then
  step "crypto: Java (CryptoBenchmark; providers $providers; $("$crypto_java" -version 2>&1 | sed -n 2p))"
  jmh_crypto jmh-crypto CryptoBenchmark "${crypto_opts[@]}"
  step "crypto: Java on both cores (seal and open of 100 B, 2 threads)"
  jmh_crypto jmh-crypto-2threads 'CryptoBenchmark\.(seal|open)$' -p size=100 -t 2 -bm thrpt -tu s "${crypto_opts[@]}"
  step "crypto: TypeScript SDK (bench/ts/crypto-bench.mjs)"
  node "$here/ts/crypto-bench.mjs" "${ts_crypto[@]}" > "$out/ts-crypto.json" 2> "$out/ts-crypto.log"
  # The targeted operations once more on each side, so that a burst of other work during one side's turn
  # does not decide the ratio: the report pools the iterations of both rounds.
  step "crypto: seal and open again, Java then TypeScript SDK (round 2)"
  jmh_crypto jmh-crypto-round2 'CryptoBenchmark\.(seal|open)$' "${crypto_opts[@]}"
  node "$here/ts/crypto-bench.mjs" "${ts_crypto[@]}" --only '^(seal|open)$' > "$out/ts-crypto-round2.json" \
    2> "$out/ts-crypto-round2.log"
fi

java -cp "$jar" io.github.demosim.bench.RealisticFrames > "$out/frames.json" 2>/dev/null
frame_chars="$(node -p "require('$out/frames.json')['l2ps-client/send']")"

if wants transport; then
  # One echo server process for both sides (EchoServer, Jetty, as DemosImServer is set up): Node.js measures
  # before and after the Java transports, and the report pools its two rounds, so that a change in the machine's
  # load during the Java run does not decide the ratio.
  coproc ECHO { exec java -cp "$jar" io.github.demosim.bench.EchoServer 2>/dev/null; }
  read -r echo_uri <&"${ECHO[0]}"
  step "transport: the TypeScript SDK's WebSocket against the echo endpoint (round 1)"
  node "${node_flags[@]}" "$here/ts/websocket-bench.mjs" --uri "$echo_uri" --frame-chars "$frame_chars" "${ts_ws[@]}" \
    > "$out/ts-websocket.json" 2> "$out/ts-websocket.log"
  step "transport: Java transports against the same endpoint (TransportBenchmark)"
  jmh jmh-transport TransportBenchmark -p echoUri="$echo_uri" "${short_opts[@]}"
  step "transport: the TypeScript SDK's WebSocket again (round 2)"
  node "${node_flags[@]}" "$here/ts/websocket-bench.mjs" --uri "$echo_uri" --frame-chars "$frame_chars" "${ts_ws[@]}" \
    > "$out/ts-websocket-round2.json" 2> "$out/ts-websocket-round2.log"
  exec {ECHO[1]}>&-   # closing its stdin stops the echo server
  wait "$ECHO_PID" 2>/dev/null || true
fi

if wants footprint; then
  for transport in jdk java-websocket tyrus; do
    step "footprint: $transport, 100 open connections (TransportFootprint)"
    java -cp "$jar" io.github.demosim.bench.TransportFootprint --transport "$transport" --connections 100 \
      --json "$out/footprint-$transport.json" > "$out/footprint-$transport.log" 2>&1 \
      || { tail -20 "$out/footprint-$transport.log" >&2; exit 1; }
  done
fi

if wants e2e; then
  step "e2e: through the server, H2 file (EndToEndBenchmark)"
  jmh jmh-e2e EndToEndBenchmark "${e2e_opts[@]}"
  step "e2e: diagnostic, in-memory database"
  jmh jmh-e2e-memory EndToEndBenchmark -p transport=java-websocket -p database=h2-memory "${e2e_opts[@]}"
fi

if wants latency; then
  for transport in jdk java-websocket tyrus; do
    step "latency: $transport, 1,000 msg/s over 16 pairs (LatencyRun)"
    java -cp "$jar" io.github.demosim.bench.LatencyRun --transport "$transport" --rate 1000 --pairs 16 "${latency[@]}" \
      --json "$out/latency-$transport-1000.json" > "$out/latency-$transport-1000.log" 2>&1 \
      || { tail -20 "$out/latency-$transport-1000.log" >&2; exit 1; }
  done
  step "latency: java-websocket, 250 msg/s over 16 pairs"
  java -cp "$jar" io.github.demosim.bench.LatencyRun --transport java-websocket --rate 250 --pairs 16 "${latency[@]}" \
    --json "$out/latency-java-websocket-0250.json" > "$out/latency-java-websocket-0250.log" 2>&1 \
    || { tail -20 "$out/latency-java-websocket-0250.log" >&2; exit 1; }
fi

if wants server; then
  placements=(none)
  if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    placements=("0,1" none)
  else
    echo "server: no taskset or fewer than 2 CPUs: unpinned only" >&2
  fi
  for pin in "${placements[@]}"; do
    label=pinned; [ "$pin" = none ] && label=unpinned
    step "server: the server alone, $label (ServerLoad: echo floor, its latency at 1,000 and 2,500 frames/s, closed loop, open loop at 1,000 and 2,500 msg/s)"
    java -cp "$jar" io.github.demosim.bench.ServerLoad --pin "$pin" --runs floor,floor@1000,floor@2500,closed,1000,2500 "${server_load[@]}" \
      --json "$out/server-load-$label.json" > "$out/server-load-$label.log" 2>&1 \
      || { tail -20 "$out/server-load-$label.log" >&2; exit 1; }
  done
fi

if wants server-ab; then
  # database label, JDBC URL or "", group commit true|false, store writers (or "": the server's default), commit
  # delay in ms (or "": the server's default)
  ab_run() {
    local name="server-ab-$1-$3${4:+-w$4}${5:+-d$5}"
    step "server-ab: the server alone on $1, group commit $3${4:+, store writers: $4}${5:+, commit delay: $5 ms} (ServerLoad: closed loop, open loop at 1,000 msg/s)"
    java -cp "$jar" io.github.demosim.bench.ServerLoad --pin none --runs closed,1000 "${server_load[@]}" \
      ${2:+--db "$2"} ${5:+--commit-delay "$5"} \
      --server-jvm "-Ddemos.im.store.groupCommit=$3${4:+ -Ddemos.im.store.writers=$4}" \
      --json "$out/$name.json" > "$out/$name.log" 2>&1 || { tail -20 "$out/$name.log" >&2; exit 1; }
  }
  ab_databases=",${SERVER_AB_DATABASES:-h2,postgresql},"
  if [[ "$ab_databases" == *,h2,* ]]; then
    ab_run h2 "" true
    ab_run h2 "" false
    ab_run h2 "" true "" 0 # the commit delay off (docs/server.md "Commit delay")
    # Diagnostic: the same server on an in-memory H2 database (nothing written to a file), to show how much of the
    # server's CPU the SQL engine costs apart from the file.
    ab_run h2mem "jdbc:h2:mem:demos-im-bench" true
  fi
  pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [[ "$ab_databases" != *,postgresql,* ]]; then
    :
  elif [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ] || ! id postgres >/dev/null 2>&1; then
    echo "server-ab: no PostgreSQL server installed (initdb): PostgreSQL skipped" >&2
  else
    pgdir="$(mktemp -d /tmp/demos-im-bench-pg.XXXXXX)"
    chown postgres "$pgdir"
    pgport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
    stop_pg() { run_pg "'$pgbin/pg_ctl' -D '$pgdir/data' -m fast stop" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
    trap stop_pg EXIT
    run_pg "'$pgbin/initdb' -D '$pgdir/data' -A trust -U postgres" >/dev/null
    # Default settings (fsync and synchronous_commit on): each commit waits for its WAL flush, as in production.
    run_pg "'$pgbin/pg_ctl' -D '$pgdir/data' -l '$pgdir/log' -w -o \"-p $pgport -k '$pgdir' -c listen_addresses=127.0.0.1\" start" >/dev/null
    pgurl="jdbc:postgresql://127.0.0.1:$pgport/postgres?user=postgres"
    ab_run postgresql "$pgurl" true 1
    for writers in ${SERVER_AB_WRITERS:-2}; do
      [ "$writers" = 1 ] || ab_run postgresql "$pgurl" true "$writers"
    done
    ab_run postgresql "$pgurl" true "" 0 # the commit delay off, the server's writers
    ab_run postgresql "$pgurl" false
    stop_pg
    trap - EXIT
  fi
fi

if wants cluster; then
  placement="${CLUSTER_PLACEMENT:-same}"
  step "cluster: 1, 2 and 3 nodes on one PostgreSQL, then 500 msg/s on 3 nodes, placement $placement (ClusterLoad)"
  "$root/.ci/with-postgres" --require bash -c 'exec java -cp "$1" io.github.demosim.bench.ClusterLoad \
    --db "$DEMOS_IM_TEST_POSTGRES_URL" --nodes 1,2,3 --rate 500 --placement "$2" "${@:5}" --json "$3" --table "$4"' \
    cluster "$jar" "$placement" "$out/cluster.json" "$out/cluster.md" "${server_load[@]}" \
    > "$out/cluster.log" 2>&1 || { tail -20 "$out/cluster.log" >&2; exit 1; }
fi

if wants memory; then
  step "memory: $connections idle registered connections (IdleConnectionMemory)"
  java -cp "$jar" io.github.demosim.bench.IdleConnectionMemory --connections "$connections" --json "$out/memory.json" \
    > "$out/memory.log" 2>&1 || { tail -20 "$out/memory.log" >&2; exit 1; }
fi

if wants codec; then
  step "codec: every frame type (CodecBenchmark)"
  jmh jmh-codec CodecBenchmark "${codec_opts[@]}"
fi

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
stat_after="$(head -1 /proc/stat)"
# CPU seconds this script's children used (bash's `times`, second line: user and system of the children).
# `times` writes to a file: in a pipeline or $(…) it would run in a subshell, which has no children.
times > "$out/times.txt"
children_cpu="$(sed -n 2p "$out/times.txt" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); s += p[1] * 60 + p[2] } print s }')"
sdk_version="$(node -p "require('$root/interop/node_modules/@kynesyslabs/demosdk/package.json').version" 2>/dev/null \
  || echo "not installed")"
NPROC="$(nproc)" CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
MEMORY="$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo)" \
JAVA="$(java -version 2>&1 | sed -n 2p)" JAVA_CRYPTO="$("$crypto_java" -version 2>&1 | sed -n 2p)" SDK="$sdk_version" LOAD_BEFORE="$load_before" LOAD_AFTER="$load_after" \
STAT_BEFORE="$stat_before" STAT_AFTER="$stat_after" CHILDREN_CPU="$children_cpu" HZ="$(getconf CLK_TCK)" \
COMMAND="bench/compare-ts.sh $([ "$quick" = true ] && echo --quick) $([ "$use_jdk25" = false ] && echo --no-jdk25) --only $only" \
node -e 'const e = process.env;
  // host CPU busy time over the run (jiffies), minus what this run used: the share other processes took
  const j = l => l.trim().split(/\s+/).slice(1, 9).map(Number);
  const [a, b] = [j(e.STAT_BEFORE), j(e.STAT_AFTER)];
  const d = b.map((x, i) => x - a[i]);
  const total = d.reduce((x, y) => x + y, 0);
  const busy = total - d[3] - d[4];
  const othersCpuShare = Math.max(0, (busy - Number(e.CHILDREN_CPU) * Number(e.HZ)) / total);
  process.stdout.write(JSON.stringify({nproc: e.NPROC, cpu: e.CPU, memory: e.MEMORY, java: e.JAVA, javaCrypto: e.JAVA_CRYPTO,
    node: process.version, sdk: e.SDK, loadBefore: e.LOAD_BEFORE, loadAfter: e.LOAD_AFTER, othersCpuShare,
    date: new Date().toISOString(), command: e.COMMAND}))' > "$out/machine.json"

step "report"
node "$here/ts/report.mjs" "$out" | tee "$out/table.md"
if [ -f "$out/cluster.md" ]; then
  # ClusterLoad writes its own table (bench/ts/report.mjs does not read cluster.json)
  { echo; echo "### Several server processes on one PostgreSQL (ClusterLoad)"; echo; cat "$out/cluster.md"; } \
    | tee -a "$out/table.md"
fi
