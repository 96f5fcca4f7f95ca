#!/usr/bin/env bash
# Schemathesis as an independent oracle for vouch's contracts and mock (issue #13).
#
# Starts `vouch mock serve` on a free loopback port, runs Schemathesis (pinned) with every check
# against every contract in contracts/*.yaml (the mock serves the API `<name>` of
# `contracts/<name>.yaml` under `/<name>`), and fails on any finding that is not listed in the
# reviewed allow-list contracts/schemathesis-allow.txt.
#
#   scripts/schemathesis.sh [VOUCH_BINARY]    default: `cargo build --release`, then target/release/vouch
#
# A finding is identified by `<api> <check> <METHOD> <path> <status>` (the operation as the
# contract names it, the status the mock answered), e.g.
# `trusona positive_data_acceptance POST /api/v1/verifications 400`, or by `<api> error:<kind>
# <METHOD> <path>` when Schemathesis could not test an operation (e.g. it cannot generate data
# for its schema). Request values (ids, generated bodies) are not part of it, so it is the same
# from run to run. An allow-list line is such an identifier, then ` # ` and the reason; `#` starts a
# comment line. Allowed findings that did not occur are reported as stale (they fail the run only
# with ST_STRICT=1).
#
# Environment (all optional):
#   ST_SEED=1             Hypothesis seed (with one worker and no example database, runs repeat)
#   ST_MAX_EXAMPLES=100   test cases per operation and phase (Schemathesis' default)
#   ST_CLOCK_STEP=2       seconds the mock clock advances before every request (see below; 0: off)
#   ST_ONLY=name          run one contract only
#   ST_REPORT_DIR=dir     keep Schemathesis' reports (ndjson, junit) and logs there
#   ST_STRICT=1           stale allow-list entries fail the run too
#
# The mock clock: time-based mock rules (Truework's per-token rate limit of 30 requests a minute,
# Trusona's 15-minute links, Peach's sessions and throttling) would otherwise depend on how fast
# this machine sends requests, so which requests get 429 (and so which findings appear) would vary
# from run to run. A Schemathesis hook advances the mock clock by ST_CLOCK_STEP seconds before
# every request (POST /__admin/clock/advance), so mock time depends on the request count only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

st_version=4.32.5
seed=${ST_SEED:-1}
max_examples=${ST_MAX_EXAMPLES:-100}
clock_step=${ST_CLOCK_STEP:-2}
allow_file=contracts/schemathesis-allow.txt

# Schemathesis, pinned, in the CI venv.
. scripts/lib.sh
ensure_pip schemathesis "$st_version"
py=$root/$venv/bin/python

# The mock validates requests with the contracts embedded in the binary at build time
# (`vouch mock serve --contracts DIR` is accepted but not yet used by the mock; passed below for
# when it is). So without an argument, build (a no-op when target/release is up to date) to make
# the embedded contracts this checkout's.
vouch_binary schemathesis.sh release "$@"

work=$(mktemp -d "${TMPDIR:-/tmp}/vouch-schemathesis.XXXXXX")
mock_pid=
st_pid=
cleanup() {
  local status=$?
  # Schemathesis runs in the background and is waited for, so a signal reaches this at once.
  if [ -n "$st_pid" ] && kill -0 "$st_pid" 2>/dev/null; then
    pkill -TERM -P "$st_pid" 2>/dev/null || true
    kill "$st_pid" 2>/dev/null || true
    wait "$st_pid" 2>/dev/null || true
  fi
  if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  if [ -n "${ST_REPORT_DIR:-}" ]; then
    mkdir -p "$ST_REPORT_DIR"
    cp -r "$work"/. "$ST_REPORT_DIR"/ 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The mock, on a port the kernel picks. It prints its URL and, per API, the accepted
# credentials, the default one first (parsed below; the script needs no secret of its own).
"$vouch" mock serve --addr 127.0.0.1:0 --contracts contracts >"$work/mock.out" 2>&1 &
mock_pid=$!
for _ in $(seq 1 100); do
  grep -q '^vouch mock listening on ' "$work/mock.out" 2>/dev/null && grep -q '^  admin ' "$work/mock.out" && break
  kill -0 "$mock_pid" 2>/dev/null || { echo "schemathesis.sh: the mock exited:" >&2; cat "$work/mock.out" >&2; exit 2; }
  sleep 0.1
done
base=$(sed -n 's|^vouch mock listening on \(http://[^ ]*\)$|\1|p' "$work/mock.out")
[ -n "$base" ] || { echo "schemathesis.sh: the mock did not start:" >&2; cat "$work/mock.out" >&2; exit 2; }
echo "== vouch mock at $base (pid $mock_pid)"

# The hook that moves the mock clock (see the header).
mkdir -p "$work/hooks"
cat >"$work/hooks/vouch_clock.py" <<'PY'
import json
import os
import urllib.request

import schemathesis

ADVANCE = os.environ["VOUCH_ADMIN_URL"] + "/clock/advance"
STEP = int(os.environ.get("VOUCH_CLOCK_STEP", "0"))


@schemathesis.hook
def before_call(context, case, kwargs):
    if STEP > 0:
        body = json.dumps({"seconds": STEP}).encode()
        request = urllib.request.Request(ADVANCE, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
PY

# The credential header for an API: its contract's first security scheme, filled with the first
# (default) credential the mock printed under the API's URL.
auth_header() {
  local api=$1 contract=$2 secret
  # The banner: the API's line ends with its URL (after its title and version); each tenant
  # line reads `tenant NAME credential SECRET [flags]`.
  secret=$(awk -v url="$base/$api" '
    $NF == url { found = 1; next }
    found && /^ +tenant / { for (i = 1; i < NF; i++) if ($i == "credential") { print $(i + 1); exit } }
    found && /^  [^ ]/ { exit }' "$work/mock.out")
  [ -n "$secret" ] || return 1
  "$py" - "$contract" "$secret" <<'PY'
import sys
import yaml
contract, secret = sys.argv[1], sys.argv[2]
doc = yaml.safe_load(open(contract, encoding="utf-8"))
schemes = doc.get("components", {}).get("securitySchemes", {})
requirement = (doc.get("security") or [{}])[0]
name = next(iter(requirement), None) or next(iter(schemes), None)
scheme = schemes.get(name, {})
if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
    print(f"Authorization: Bearer {secret}")
elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
    print(f"{scheme['name']}: {secret}")
else:
    sys.exit(f"{contract}: unsupported security scheme {name!r}")
PY
}

# Findings of one run, from its NDJSON event stream: one identifier per failed check and
# operation, and per operation Schemathesis could not test, each with one example.
findings() {
  "$py" - "$1" "$2" <<'PY'
import base64
import json
import sys

api, path = sys.argv[1], sys.argv[2]
found = {}
with open(path, encoding="utf-8") as events:
    for line in events:
        event = json.loads(line)
        kind, data = next(iter(event.items()))
        if kind == "NonFatalError":
            key = f"{api} error:{data['value'].get('type', 'Error')} {data.get('label', '?')}"
            found.setdefault(key, data["value"].get("message", "").splitlines()[0][:160])
        if kind != "ScenarioFinished" or not data.get("recorder"):
            continue
        recorder = data["recorder"]
        for case_id, checks in (recorder.get("checks") or {}).items():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                interaction = (recorder.get("interactions") or {}).get(case_id) or {}
                request = interaction.get("request") or {}
                response = interaction.get("response") or {}
                operation = failure.get("operation") or recorder.get("label")
                key = f"{api} {check['name']} {operation} {response.get('status_code', '-')}"
                if key in found:
                    continue
                body = ""
                content = response.get("content") or {}
                if "$base64" in content:
                    body = base64.b64decode(content["$base64"]).decode("utf-8", "replace")
                found[key] = (f"{failure.get('title')}: {request.get('method')} {request.get('uri')}"
                              f" -> {response.get('status_code')} {body[:160]}")
for key in sorted(found):
    print(f"{key}\t{found[key]}")
PY
}

: >"$work/findings.tsv"
status=0
shopt -s nullglob
contracts=(contracts/*.yaml)
[ ${#contracts[@]} -gt 0 ] || { echo "schemathesis.sh: no contracts/*.yaml" >&2; exit 2; }
for contract in "${contracts[@]}"; do
  api=$(basename "$contract" .yaml)
  [ -z "${ST_ONLY:-}" ] || [ "$ST_ONLY" = "$api" ] || continue
  if ! header=$(auth_header "$api" "$contract"); then
    echo "schemathesis.sh: the mock printed no URL or credential for $api" >&2
    status=1
    continue
  fi
  mkdir -p "$work/$api"
  started=$(date +%s)
  set +e
  (
    cd "$work/$api"
    PYTHONPATH="$work/hooks" SCHEMATHESIS_HOOKS=vouch_clock \
    VOUCH_ADMIN_URL="$base/__admin" VOUCH_CLOCK_STEP="$clock_step" \
      "$root/$venv/bin/st" run "$root/$contract" \
        --url "$base/$api" -H "$header" \
        --checks all --continue-on-failure \
        --seed "$seed" --max-examples "$max_examples" --workers 1 \
        --generation-database none \
        --report ndjson,junit --report-dir "$work/$api" \
        --output-sanitize false --no-color
  ) >"$work/$api.log" 2>&1 &
  st_pid=$!
  wait "$st_pid"
  st_status=$?
  st_pid=
  set -e
  elapsed=$(($(date +%s) - started))
  events=$(ls "$work/$api"/ndjson-*.ndjson 2>/dev/null | head -n 1 || true)
  if [ -z "$events" ] || ! grep -q '"EngineFinished"' "$events"; then
    echo "== $api: Schemathesis did not finish (exit $st_status, ${elapsed}s); its output:" >&2
    tail -n 40 "$work/$api.log" >&2
    status=1
    continue
  fi
  findings "$api" "$events" >>"$work/findings.tsv"
  echo "== $api: $(grep -c "^$api " "$work/findings.tsv" || true) finding(s), Schemathesis exit $st_status, ${elapsed}s ($(grep -m1 -E '^ +[0-9]+ generated' "$work/$api.log" | sed 's/^ *//'))"
done

# Against the allow-list.
"$py" - "$allow_file" "$work/findings.tsv" "${ST_ONLY:-}" "${ST_STRICT:-0}" <<'PY' || status=1
import sys

allow_path, findings_path, only, strict = sys.argv[1:5]
allowed, bad = {}, []
try:
    lines = open(allow_path, encoding="utf-8").read().splitlines()
except FileNotFoundError:
    lines = []
for number, line in enumerate(lines, 1):
    text = line.strip()
    if not text or text.startswith("#"):
        continue
    key, sep, reason = text.partition(" # ")
    if not sep or not reason.strip():
        bad.append(f"{allow_path}:{number}: no ` # reason`: {text}")
        continue
    allowed[" ".join(key.split())] = reason.strip()
found = {}
for line in open(findings_path, encoding="utf-8"):
    key, _, example = line.rstrip("\n").partition("\t")
    found[key] = example
new = sorted(k for k in found if k not in allowed)
known = sorted(k for k in found if k in allowed)
stale = sorted(k for k in allowed if k not in found and (not only or k.split(" ", 1)[0] == only))
print(f"== {len(found)} finding(s): {len(known)} allowed, {len(new)} new; {len(stale)} stale allow-list entr{'y' if len(stale) == 1 else 'ies'}")
for key in known:
    print(f"  allowed  {key}")
for key in stale:
    print(f"  stale    {key}  (not found in this run: fixed, or it needs another seed or example count; see its reason)")
for key in new:
    print(f"  NEW      {key}\n           {found[key]}")
for message in bad:
    print(f"  {message}")
failed = bool(new or bad or (stale and strict == "1"))
if new:
    print(f"New findings: triage each, then fix it or add `<identifier> # <reason>` to {allow_path}.")
sys.exit(1 if failed else 0)
PY
exit "$status"
