#!/usr/bin/env bash
# Lighthouse on the sample site: builds it, serves it on 127.0.0.1 and audits the front
# page, the seed article and the article with photos for performance, accessibility, best practices and SEO.
# Prints a table of scores; exits 1 if any score is below the threshold (0.95 unless
# LIGHTHOUSE_MIN says otherwise). CI runs tests/test_lighthouse.py instead.
#
#   scripts/lighthouse.sh                 # from anywhere in the repository
#
# Lighthouse is pinned (12.x is the last line that runs on node 20) and installed once
# with npm from the registry into a cache folder outside the repository. Chromium is
# Debian's (CHROME_PATH); Lighthouse never downloads a browser here.
set -euo pipefail

LIGHTHOUSE_VERSION=12.8.2
MIN="${LIGHTHOUSE_MIN:-0.95}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/presse-lighthouse-$LIGHTHOUSE_VERSION"
LIGHTHOUSE="$CACHE/node_modules/.bin/lighthouse"
if [[ -x "$REPO/node_modules/.bin/lighthouse" ]]; then  # npm ci installs it (package.json)
  LIGHTHOUSE="$REPO/node_modules/.bin/lighthouse"
fi
PYTHON="${PYTHON:-python}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking \
--disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage"
PAGES=(
  "/"
  "/2025/02/openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique/"
  "/2025/02/photos-du-domaine-public-les-images-de-la-nasa-et-de-spacex-a-la-une/"
)

if [[ ! -x "$LIGHTHOUSE" ]]; then
  echo "Installing lighthouse@$LIGHTHOUSE_VERSION into $CACHE" >&2
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-save --no-audit --no-fund --loglevel=error \
    "lighthouse@$LIGHTHOUSE_VERSION" >&2
fi
[[ -x "$CHROME_PATH" ]] || { echo "no Chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 2; }

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The build time is fixed, as in the tests, so the pages are the same on every run.
"$PYTHON" -m presse build --site "$REPO" --output "$WORK/public" --no-cache -q \
  --now 2025-03-01T00:00:00+01:00

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$PYTHON" -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/public" >/dev/null 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
  if "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null; then
    break
  fi
  sleep 0.1
done

REPORTS=()
for path in "${PAGES[@]}"; do
  report="$WORK/lh-$(echo "$path" | tr -c 'a-z0-9' '_').json"
  echo "lighthouse http://127.0.0.1:$PORT$path" >&2
  "$LIGHTHOUSE" "http://127.0.0.1:$PORT$path" --quiet --chrome-flags="$CHROME_FLAGS" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$report"
  REPORTS+=("$report")
done

# The table, the audits that cost points, and the verdict.
"$PYTHON" - "$MIN" "${REPORTS[@]}" <<'EOF'
import json
import sys
from urllib.parse import urlsplit

minimum = float(sys.argv[1])
categories = ["performance", "accessibility", "best-practices", "seo"]
print(f"{'page':<80} " + " ".join(f"{c[:14]:>14}" for c in categories))
failed = False
for name in sys.argv[2:]:
    with open(name, encoding="utf-8") as f:
        report = json.load(f)
    path = urlsplit(report["finalDisplayedUrl"]).path
    scores = {c: report["categories"][c]["score"] for c in categories}
    print(f"{path:<80} " + " ".join(f"{scores[c]:>14.2f}" for c in categories))
    for category in categories:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                print(f"    {category}: {ref['id']} = {audit['score']} ({audit['title']})")
    failed |= any(score is None or score < minimum for score in scores.values())
if failed:
    print(f"FAIL: a score is below {minimum}")
    sys.exit(1)
print(f"OK: every score is at least {minimum}")
EOF
