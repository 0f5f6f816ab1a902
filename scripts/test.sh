#!/usr/bin/env bash
# The whole test suite, on a fresh machine of our kind (Debian, Node 20, PostgreSQL installed).
# Installs what the tests need, starts PostgreSQL if it is stopped, then lints, type-checks and tests.
set -euo pipefail
cd "$(dirname "$0")/.."

start_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then return; fi
  echo "starting PostgreSQL…"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && return
    sleep 1
  done
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  exit 1
}

# The browser tests drive Debian's Chromium (playwright-core, headless).
install_chromium() {
  if command -v chromium >/dev/null; then return; fi
  echo "installing Chromium…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
}

start_postgres
install_chromium
npm ci --no-audit --no-fund   # also builds dist/ and the pages in dist/web (the prepare script)
npm run lint
npm run typecheck
mkdir -p .test-results
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@"
node -e '
const r = require("./.test-results/vitest.json");
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
'
