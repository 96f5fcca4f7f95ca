#!/usr/bin/env bash
# Renders a report.html in headless Chromium and takes a screenshot, to check the page renders
# offline (no network: external assets would fail to load and show up as console errors).
#   scripts/render-report.sh [reports/<timestamp>]   (default: the newest report directory)
# Needs chromium (Debian/Ubuntu: apt-get install chromium). Writes report.png beside the HTML.
set -euo pipefail
dir="${1:-$(ls -d reports/*/ 2>/dev/null | sort | tail -n 1)}"
dir="${dir%/}"
html="$dir/report.html"
[ -f "$html" ] || { echo "no $html (run \`vouch run\` first)" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "chromium is not installed" >&2; exit 2; }
# Everything the page needs is inline; block the network so an external asset would show.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
  --window-size=1280,2000 --screenshot="$dir/report.png" "file://$(realpath "$html")" 2>&1 \
  | grep -v -i 'dbus\|gpu\|sandbox' || true
[ -s "$dir/report.png" ] || { echo "no screenshot was taken" >&2; exit 1; }
# and the DOM as Chromium parsed it: the summary, the trend chart and the coverage tables
dom="$("$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$(realpath "$html")" 2>/dev/null)"
for needle in '<h1>vouch run' '<svg' '<h2>Coverage</h2>' '<table>'; do
  grep -q "$needle" <<<"$dom" || { echo "rendered page lacks $needle" >&2; exit 1; }
done
echo "rendered: $dir/report.png"
