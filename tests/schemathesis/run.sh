#!/usr/bin/env bash
# Schemathesis against a running `dualprev serve`: every operation of openapi/openapi.json, with a token of each
# role, generated requests (examples, coverage, fuzzing, stateful phases). Fails on any 5xx, any answer that does
# not match its documented schema, status code or content type.
#
#   tests/schemathesis/run.sh            # bounded, as in .ci/run (25 examples per operation and role)
#   MAX_EXAMPLES=500 tests/schemathesis/run.sh   # the full run
#
# Needs the debug binary (`cargo build --bin dualprev`) and schemathesis (`pip install schemathesis==4.32.5`).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/debug/dualprev
[ -x "$bin" ] || cargo build -q --bin dualprev
command -v st >/dev/null || { echo "FAIL: schemathesis (st) is not installed" >&2; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DUALPREV_JWT_SECRET="schemathesis-secret-of-at-least-32-bytes"
export DUALPREV_LOG=warn
unset DUALPREV_TEST_POSTGRES_URL
"$bin" serve --database "$work/st.db" --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/serve.log"; echo "FAIL: server not ready" >&2; exit 1; }

checks=not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance
run() { # role, extra args…
  local role=$1; shift
  local token
  token=$("$bin" token --role "$role" "$@")
  echo "==> schemathesis as $role"
  # Reads (the frozen report route excluded: it serves XLSX that schemathesis cannot check), then every POST route
  # with fewer examples (a report correction builds twelve reports).
  st_run "$token" --max-examples "${MAX_EXAMPLES:-25}" --exclude-path /api/v1/reports --exclude-method POST
  st_run "$token" --max-examples "${MAX_POST_EXAMPLES:-10}" --include-method POST
}
st_run() { # token, selection…
  local token=$1; shift
  if st run openapi/openapi.json --url "http://127.0.0.1:$port" -H "Authorization: Bearer $token" \
    --checks "$checks" --seed 20261129 --no-color "$@" >"$work/st.out" 2>&1; then
    grep -E "generated, .* passed" "$work/st.out"
  else
    cat "$work/st.out"
    echo "FAIL: schemathesis found failures" >&2
    exit 1
  fi
}
run province
run city --city 140100
run enterprise --company 140100001
run service
if grep -q "panicked" "$work/serve.log"; then
  grep -B2 -A5 panicked "$work/serve.log" >&2
  echo "FAIL: the server panicked" >&2
  exit 1
fi
echo "schemathesis: no failure"
