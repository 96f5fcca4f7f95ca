#!/usr/bin/env bash
# Checks every payload of the vendor-evidence corpus (tests/vendor-evidence/) against the
# working tree's contracts (so contract edits need no rebuild): a thin wrapper over
# `vouch --contracts contracts evidence`, which does the work (src/evidence/).
#
#   scripts/check-evidence.sh [API ...]     (default: every API)
#
# Exit status: 0 when every rejection is listed in expected-failures.txt and every listed one
# still occurs; 1 otherwise; 2 when the corpus cannot be read. Set VOUCH to a vouch binary to
# skip the `cargo build`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ -z "${VOUCH:-}" ]; then
  cargo build -q --bin vouch
  VOUCH="$root/target/debug/vouch"
fi
args=()
for api in "$@"; do
  args+=(--api "$api")
done
exec "$VOUCH" --contracts "$root/contracts" evidence --dir "$root/tests/vendor-evidence" "${args[@]}"
