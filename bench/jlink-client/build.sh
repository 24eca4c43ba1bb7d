#!/usr/bin/env bash
# The smallest runtime image of a demos-im client (issue 22): a jlink image, on JDK 25, of a small client
# application (bench/jlink-client/src: two users on each protocol) with the crypto-jdk provider, the JSON codec and
# one transport. No Bouncy Castle, so no signed jar and no --ignore-signing-information. Then the client runs from
# the image against this project's server (cli/target/image, on free loopback ports) and must see every message
# decrypted. Prints the image's size.
#
#   bench/jlink-client/build.sh [--crypto jdk|bouncycastle] [--transport java-websocket|tyrus] [--skip-build] [--no-run]
#
# --crypto bouncycastle builds the same client with Bouncy Castle (signed jar: --ignore-signing-information), the
# size to compare with. --skip-build reuses the jars under */target; --no-run only builds the image (the run needs
# cli/target/image, which `mvn -B verify` builds). JDK 25: .ci/jdk25 ($JDK25_HOME, $JAVA_HOME, java on the PATH,
# /usr/lib/jvm/*). Output: bench/target/jlink-client-<crypto>-<transport>/image. See docs/jlink.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
crypto=jdk
transport=java-websocket
build=true
run=true
while [ $# -gt 0 ]; do
  case "$1" in
    --crypto) crypto="$2"; shift ;;
    --transport) transport="$2"; shift ;;
    --skip-build) build=false ;;
    --no-run) run=false ;;
    *) echo "usage: $0 [--crypto jdk|bouncycastle] [--transport java-websocket|tyrus] [--skip-build] [--no-run]" >&2
       exit 2 ;;
  esac
  shift
done
case "$crypto" in jdk|bouncycastle) ;; *) echo "--crypto must be jdk or bouncycastle" >&2; exit 2 ;; esac
case "$transport" in java-websocket|tyrus) ;; *) echo "--transport must be java-websocket or tyrus" >&2; exit 2 ;; esac
jdk="$("$root/.ci/jdk25")"
crypto_dir="crypto-$crypto"
transport_dir="transport-${transport//-/}"
crypto_module="io.github.demosim.crypto.$crypto"
transport_module="io.github.demosim.transport.${transport//-/}"
out="$root/bench/target/jlink-client-$crypto-$transport"
work="$out/work"

if $build; then
  echo "jlink-client: building the provider jars (Maven on $jdk)"
  # MAVEN_OPTS: Maven 3.8's Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every run.
  (cd "$root" && JAVA_HOME="$jdk" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    mvn -B -q package dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/runtime-classpath.txt -pl "codec-json,$crypto_dir,$transport_dir" -am -DskipTests)
fi

rm -rf "$out"
mkdir -p "$work/modules" "$work/classes"
for module in codec-json "$crypto_dir" "$transport_dir"; do
  jar="$(ls "$root/$module"/target/demos-im-*.jar | grep -v -e sources -e javadoc | head -1)"
  cp "$jar" "$work/modules/"
  tr ':' '\n' < "$root/$module/target/runtime-classpath.txt" | while read -r dep; do
    [ -n "$dep" ] && cp "$dep" "$work/modules/"
  done
done

"$jdk/bin/javac" --release 25 -Xlint:all -Werror --module-path "$work/modules" -d "$work/classes" \
  $(find "$here/src" -name '*.java')
"$jdk/bin/jar" --create --file "$work/modules/small-client.jar" \
  --main-class io.github.demosim.bench.client.SmallClient -C "$work/classes" .

signing=()
[ "$crypto" = bouncycastle ] && signing=(--ignore-signing-information)   # bcprov is a signed jar
"$jdk/bin/jlink" --module-path "$work/modules" \
  --add-modules "io.github.demosim.bench.client,io.github.demosim.codec.json,$crypto_module,$transport_module" \
  --launcher small-client=io.github.demosim.bench.client \
  "${signing[@]}" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
  --output "$out/image"

# The JVM library is most of the image (29.8 MB of Temurin 25's); its symbol table serves crash reports only (the
# dynamic symbols stay): without it, 5 MB less. Skipped where binutils' strip is missing.
if command -v strip >/dev/null 2>&1; then
  strip --strip-unneeded "$out/image/lib/server/libjvm.so"
else
  echo "jlink-client: strip (binutils) not found, libjvm.so keeps its symbol table"
fi
modules="$("$out/image/bin/java" --list-modules | sed 's/@.*//' | tr '\n' ' ')"
if [ "$crypto" = jdk ] && [[ "$modules" == *org.bouncycastle* ]]; then
  echo "jlink-client: Bouncy Castle is in the image: $modules" >&2
  exit 1
fi
bytes="$(du -sb "$out/image" | cut -f1)"
echo "jlink-client: image $out/image: $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }') ($bytes bytes)," \
  "$(echo "$modules" | wc -w) modules"
echo "jlink-client: modules: $modules"

if $run; then
  server="$root/cli/target/image"
  [ -x "$server/bin/java" ] || { echo "jlink-client: no $server to run against: run mvn -B verify (or -pl cli -am package) first" >&2; exit 1; }
  data="$(mktemp -d /tmp/jlink-client.XXXXXX)"
  log="$data/server.log"
  # The image's java itself, not its bin/demos-im launcher script: that runs java as a child, which a kill of the
  # script would leave running.
  "$server/bin/java" -m io.github.demosim.cli/io.github.demosim.cli.Main server --l2ps-port 0 --legacy-port 0 \
    --data-dir "$data" --network jlink_client > "$log" 2>&1 &
  server_pid=$!
  # `|| true`: under set -e a non-zero status (the server's own, 143) would end the trap before the rm
  trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
  for _ in $(seq 1 600); do
    grep -q 'legacy signaling:' "$log" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "jlink-client: the server did not start" >&2; exit 1; }
    sleep 0.1
  done
  l2ps="$(sed -n 's/^ *L2PS messaging: *\(ws:[^ ]*\).*/\1/p' "$log")"
  legacy="$(sed -n 's/^ *legacy signaling: *\(ws:[^ ]*\).*/\1/p' "$log")"
  [ -n "$l2ps" ] && [ -n "$legacy" ] || { cat "$log" >&2; echo "jlink-client: no server ports in its output" >&2; exit 1; }
  echo "jlink-client: running the image's client against $l2ps and $legacy"
  "$out/image/bin/small-client" "$l2ps" "$legacy" jlink_client
fi
