#!/usr/bin/env bash
# Builds the example application against the installed demos-im artifacts (run `mvn -B install -DskipTests` at
# the repository root first), runs it on the module path once per transport, builds its jlink image with the
# embedded server and runs that too, and checks that every published artifact came with -sources and -javadoc.
# Extra arguments go to Maven, e.g. examples/build.sh -Dmaven.repo.local=/path/to/repo (a private repository).
# Called by .ci/run. docs/use-it.md walks through the same steps.
set -euo pipefail
cd "$(dirname "$0")"
repo="$HOME/.m2/repository"
for arg in "$@"; do
  case "$arg" in -Dmaven.repo.local=*) repo="${arg#-Dmaven.repo.local=}" ;; esac
done
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
version="$(sed -n 's:.*<demos-im.version>\(.*\)</demos-im.version>.*:\1:p' pom.xml)"

echo "examples: building against demos-im $version in $repo"
mvn -B -q "$@" clean package
app=target/chat-1.0.jar

for transport in jdk java-websocket tyrus; do
  echo "examples: module path, transport $transport"
  "$java_home/bin/java" -Ddemos.im.transport="$transport" --module-path "target/modules:$app" \
    --module com.example.chat/com.example.chat.Main
done

echo "examples: without H2 (as in a jlink image that leaves it out) the server's start names the fix"
providers=io.github.demosim.codec.json,io.github.demosim.crypto.bouncycastle,io.github.demosim.transport.javawebsocket,org.slf4j.nop
if out="$("$java_home/bin/java" -Ddemos.im.transport=java-websocket --module-path "target/modules:$app" \
    --limit-modules "com.example.chat,$providers" --module com.example.chat/com.example.chat.Main 2>&1)"; then
  echo "examples: the server started without its JDBC driver" >&2; exit 1
fi
if ! grep -q -- "No suitable driver.*--add-modules com.h2database" <<<"$out"; then
  echo "examples: the missing-driver failure does not name the fix:" >&2; echo "$out" >&2; exit 1
fi
echo "examples: $(grep -o 'The H2 driver is missing[^;]*' <<<"$out" | head -1)"

echo "examples: jlink image with the embedded server"
# tag::h2-module[]
# H2 is an automatic module (no module-info), which jlink refuses: give a copy of its jar a module-info.
mkdir -p target/jlink-modules
cp target/modules/*.jar target/jlink-modules/
h2="$(ls target/jlink-modules/h2-*.jar)"
jdeps --multi-release 17 --ignore-missing-deps --generate-module-info target/h2-info "$h2"
javac --release 17 -nowarn --patch-module com.h2database="$h2" -d target/h2-classes \
  "$(find target/h2-info -name module-info.java)"
jar --update --file "$h2" -C target/h2-classes module-info.class
# end::h2-module[]
PATH="$java_home/bin:$PATH"
# tag::jlink[]
# jlink adds no service provider by itself: name every provider module, and H2 (the server's JDBC driver).
jlink --module-path "target/jlink-modules:target/chat-1.0.jar" \
  --add-modules com.example.chat,io.github.demosim.codec.json,io.github.demosim.crypto.bouncycastle,io.github.demosim.transport.jdk,io.github.demosim.transport.javawebsocket,io.github.demosim.transport.tyrus,com.h2database,org.slf4j.nop \
  --ignore-signing-information --strip-debug --no-header-files --no-man-pages --compress=2 \
  --launcher chat=com.example.chat/com.example.chat.Main \
  --output target/image
# end::jlink[]
du -sh target/image | awk '{print "examples: image " $1}'
for transport in jdk java-websocket tyrus; do
  echo "examples: jlink image, transport $transport"
  target/image/bin/java -Ddemos.im.transport="$transport" --module com.example.chat/com.example.chat.Main
done

echo "examples: -sources and -javadoc jars of every published artifact"
missing=0
for artifact in $(sed -n 's:.*<artifactId>\(demos-im-[a-z-]*\)</artifactId>.*:\1:p' "$repo/io/github/demosim/demos-im-bom/$version/demos-im-bom-$version.pom"); do
  [ "$artifact" = demos-im-bom ] && continue   # the BOM itself: a pom, no jars
  if [ "$artifact" = demos-im-crypto-jdk ] && [ ! -d "$repo/io/github/demosim/$artifact/$version" ]; then
    echo "examples: $artifact not installed (built only when Maven runs on JDK 25+, docs/providers.md)"; continue
  fi
  for kind in sources javadoc; do
    f="$repo/io/github/demosim/$artifact/$version/$artifact-$version-$kind.jar"
    if [ ! -s "$f" ]; then echo "examples: missing $f" >&2; missing=1; fi
  done
done
[ "$missing" = 0 ] && echo "examples: all passed"
exit "$missing"
