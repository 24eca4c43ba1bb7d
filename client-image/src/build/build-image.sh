#!/usr/bin/env bash
# Builds the smallest client runtime: target/client-image/bin/demos-im-client, a jlink image of the client
# application with the api, the JSON codec, Bouncy Castle and the JDK transport (docs/jlink.md explains each step
# and what it saves). Called by Maven in the package phase: build-image.sh <target dir> <application jar> <java home>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"; app_jar="$2"; jdk="$3"
work="$target/client-image-work"
modules="$work/modules"
rm -rf "$work" "$target/client-image"
mkdir -p "$modules"
{ tr ':' '\n' < "$target/module-path.txt"; echo; } | while read -r jar; do [ -n "$jar" ] && cp "$jar" "$modules/"; done
cp "$app_jar" "$modules/"

# Bouncy Castle's module requires java.sql and java.naming, which pull in java.xml (about 4 MB of the image), for
# its LDAP certificate store and X.509 LDAP utilities only; the SDK uses its lightweight API, never those. Its
# descriptor is rewritten without them (everything else as it was), and the jar's signature, which no longer
# matches, is dropped.
bc_jar="$(ls "$modules"/bcprov-*.jar | head -1)"
mkdir -p "$work/bc-src"
"$jdk/bin/jar" --describe-module --file "$bc_jar" --release 17 > "$work/bc-module.txt"
{
  echo "module org.bouncycastle.provider {"
  awk '$1 == "requires" && $2 != "java.base" && $2 != "java.sql" && $2 != "java.naming" { print "    requires " $2 ";" }
       $1 == "exports" && NF == 2 { print "    exports " $2 ";" }
       $1 == "qualified" { print "    " $2 " " $3 " to " $5 ";" }
       $1 == "provides" { s = "    provides " $2 " with "; for (i = 4; i <= NF; i++) s = s $i (i < NF ? ", " : ""); print s ";" }' \
    "$work/bc-module.txt"
  echo "}"
} > "$work/bc-src/module-info.java"
mkdir -p "$work/bc-classes"
"$jdk/bin/javac" --release 9 -nowarn --patch-module org.bouncycastle.provider="$bc_jar" -d "$work/bc-classes" \
  "$work/bc-src/module-info.java"
"$jdk/bin/java" "$here/ReplaceJarEntry.java" "$bc_jar" "$work/bc-classes/module-info.class" \
  META-INF/versions/9/module-info.class

# Service providers are never added by jlink on its own: each is named. jdk.crypto.ec: the elliptic curves of
# TLS for wss:// (in java.base from JDK 22 on).
"$jdk/bin/jlink" \
  --module-path "$modules" \
  --add-modules io.github.demosim.clientimage,io.github.demosim.codec.json,io.github.demosim.crypto.bouncycastle,io.github.demosim.transport.jdk,jdk.crypto.ec \
  --launcher demos-im-client=io.github.demosim.clientimage/io.github.demosim.clientimage.Main \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$target/client-image"

# The JVM library is most of the image (24 MB of JDK 17's Debian build). Its symbol table serves crash reports
# only (the dynamic symbols stay): without it, about 3.5 MB less. Skipped where binutils' strip is missing.
if command -v strip >/dev/null 2>&1; then
  strip --strip-unneeded "$target/client-image/lib/server/libjvm.so"
else
  echo "client image: strip (binutils) not found, libjvm.so keeps its symbol table"
fi
echo "client image modules: $("$target/client-image/bin/java" --list-modules | cut -d@ -f1 | tr '\n' ' ')"
bytes="$(du -sb "$target/client-image" | cut -f1)"
echo "client jlink image: $bytes bytes ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }')) in $target/client-image"
