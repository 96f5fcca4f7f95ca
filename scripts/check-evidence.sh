#!/usr/bin/env bash
# Checks every payload of the vendor-evidence corpus (tests/vendor-evidence/manifest.json) against
# the contracts in contracts/ with `vouch validate`, and prints per API `accepted/total` and each
# rejection. A stop-gap until a Rust command replaces it (issue #14).
#
#   scripts/check-evidence.sh [API ...]     (default: every API in the manifest)
#
# A violation listed in tests/vendor-evidence/expected-failures.txt (`<file> <pointer> # reason`)
# is reported as expected; a file whose violations are all expected counts as "expected", not as
# a rejection. Exit status: 0 when every rejection is expected (and every expected failure still
# occurs), 1 otherwise.
# Uses the working tree's contracts (--contracts), so contract edits need no rebuild. Set VOUCH to
# a vouch binary to skip the `cargo build`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ -z "${VOUCH:-}" ]; then
  cargo build -q --bin vouch
  VOUCH="$root/target/debug/vouch"
fi
export VOUCH ROOT="$root"
python3 - "$@" <<'PY'
import json, os, subprocess, sys
from collections import OrderedDict

root = os.environ["ROOT"]
vouch = os.environ["VOUCH"]
base = os.path.join(root, "tests", "vendor-evidence")
manifest = json.load(open(os.path.join(base, "manifest.json")))
only = set(sys.argv[1:])

expected = {}  # (file, pointer) -> reason
ef = os.path.join(base, "expected-failures.txt")
if os.path.exists(ef):
    for raw in open(ef):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        spec, _, reason = line.partition(" # ")
        parts = spec.split()
        if len(parts) != 2:
            sys.exit(f"expected-failures.txt: cannot read line: {raw.rstrip()}")
        expected[(parts[0], parts[1])] = reason.strip()

def violations(entry):
    cmd = [vouch, "validate", "--contracts", os.path.join(root, "contracts"),
           "--api", entry["api"], "--operation", entry["operation"]]
    if entry["direction"] == "request":
        cmd.append("--request")
    else:
        cmd += ["--response", str(entry["status"])]
    cmd.append(os.path.join(base, entry["file"]))
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"{entry['file']}: vouch failed ({p.returncode}): {p.stderr.strip()}")
    out = []
    for line in p.stdout.splitlines():
        line = line.strip()
        if not line.startswith("- "):
            continue
        # "- <api> <operation> <direction...> /body/...: message"
        head, _, msg = line[2:].partition(": ")
        pointer = head.split()[-1]
        if pointer.startswith("/body"):
            pointer = pointer[len("/body"):] or ""
        out.append((pointer or "/", msg))
    if p.returncode == 1 and not out:
        out.append(("/", p.stdout.strip() or p.stderr.strip()))
    return out

stats = OrderedDict()
seen_expected = set()
unexpected_total = 0
for entry in manifest:
    api = entry["api"]
    if only and api not in only:
        continue
    st = stats.setdefault(api, {"total": 0, "accepted": 0, "expected": 0, "rejected": []})
    st["total"] += 1
    vs = violations(entry)
    if not vs:
        st["accepted"] += 1
        continue
    unexp = []
    for pointer, msg in vs:
        key = (entry["file"], pointer)
        if key in expected:
            seen_expected.add(key)
        else:
            unexp.append((pointer, msg))
    if unexp:
        st["rejected"].append((entry, unexp, len(vs) - len(unexp)))
        unexpected_total += 1
    else:
        st["expected"] += 1

for api, st in stats.items():
    print(f"{api}: {st['accepted']}/{st['total']} accepted"
          + (f", {st['expected']} rejected only as expected" if st["expected"] else ""))
    for entry, unexp, n_exp in st["rejected"]:
        what = "request" if entry["direction"] == "request" else f"response {entry['status']}"
        print(f"  REJECTED {entry['file']} ({entry['operation']} {what})"
              + (f" [+{n_exp} expected]" if n_exp else ""))
        for pointer, msg in unexp:
            print(f"    {pointer}: {msg}")

stale = [k for k in expected if k not in seen_expected
         and (not only or any(e["file"] == k[0] and e["api"] in only for e in manifest))]
for f, ptr in stale:
    print(f"STALE expected failure (no longer occurs): {f} {ptr}")
total = sum(s["total"] for s in stats.values())
acc = sum(s["accepted"] for s in stats.values())
exp = sum(s["expected"] for s in stats.values())
print(f"all: {acc}/{total} accepted, {exp} rejected only as expected, {unexpected_total} rejected")
sys.exit(1 if unexpected_total or stale else 0)
PY
