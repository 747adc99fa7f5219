#!/usr/bin/env bash
# The schemathesis run of `.ci/run`: fuzzes a fresh reference server (the debug build the tests
# made, test control off, no rate limits so that every request reaches the code it probes) over
# the OpenAPI document exported from the same commit, with a fixed example budget. Exits
# non-zero on any failure outside known-artefacts.json, any schemathesis error or hang, or a
# server that does not answer /health afterwards. Reports go to .build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
budget="${SYNC_FUZZ_BUDGET:-200}"
out=.build/fuzz
venv=.build/fuzz-venv
rm -rf "$out" && mkdir -p "$out/data"

# The pinned tools in their own environment, rebuilt when the pins change.
if ! cmp -s Tests/Fuzz/requirements-fuzz.txt "$venv/requirements-fuzz.txt" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r Tests/Fuzz/requirements-fuzz.txt
    cp Tests/Fuzz/requirements-fuzz.txt "$venv/requirements-fuzz.txt"
fi

secret="fuzz-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SYNC_JWT_SECRET="$secret" .build/debug/sync-server serve --host 127.0.0.1 --port 0 \
    --db "$out/data/fuzz.sqlite" --data-dir "$out/data" --no-rate-limits > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 300); do
    port="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/server.log" | head -n 1)"
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$out/server.log"; exit 2; }
    sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start"; cat "$out/server.log"; exit 2; }

"$venv/bin/python" Tests/Fuzz/run_schemathesis.py --base-url "http://127.0.0.1:$port" \
    --openapi docs/spec/openapi.json --secret "$secret" --budget "$budget" \
    --report "$out/fuzz-report.md" --server-pid "$server" --server-log "$out/server.log"
