#!/usr/bin/env bash
# Checks the jlink image's `server` command against what a user may type (docs/cli.md): a mistyped H2 URL is
# refused with the fix, and, when the build has a PostgreSQL database (.ci/with-postgres exports
# DEMOS_IM_TEST_POSTGRES_URL), `--db jdbc:postgresql://...` starts the server from the image: its driver is in it.
# Called by Maven in the integration-test phase: image-checks.sh <target dir>.
set -euo pipefail
image="$1/image/bin/demos-im"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

set +e
"$image" server --l2ps-port 0 --legacy-port 0 --db "jdbc:h2:fil:$work/x" >"$work/out" 2>"$work/err"
status=$?
set -e
if [ "$status" -ne 1 ] || ! grep -q "did you mean jdbc:h2:file:$work/x" "$work/err" || [ -e "fil:" ]; then
  echo "image-checks: a mistyped H2 URL was not refused as documented (status $status):" >&2
  cat "$work/out" "$work/err" >&2
  exit 1
fi
echo "image-checks: jdbc:h2:fil:... refused with the fix"

if [ -z "${DEMOS_IM_TEST_POSTGRES_URL:-}" ]; then
  echo "image-checks: no DEMOS_IM_TEST_POSTGRES_URL (run the build with .ci/with-postgres): PostgreSQL not checked"
  exit 0
fi
"$image" server --l2ps-port 0 --legacy-port 0 --db "$DEMOS_IM_TEST_POSTGRES_URL" >"$work/pg-out" 2>"$work/pg-err" &
server=$!
for _ in $(seq 1 600); do
  if grep -q "Press Ctrl-C" "$work/pg-out" || ! kill -0 "$server" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if ! grep -q "Press Ctrl-C" "$work/pg-out"; then
  kill -9 "$server" 2>/dev/null || true
  echo "image-checks: the image's server did not start on PostgreSQL:" >&2
  cat "$work/pg-out" "$work/pg-err" >&2
  exit 1
fi
kill -TERM "$server"
wait "$server" || true
grep -q "demos-im server stopped" "$work/pg-out" || { echo "image-checks: no graceful stop" >&2; cat "$work/pg-out" >&2; exit 1; }
echo "image-checks: server --db jdbc:postgresql://... started and stopped from the image"
