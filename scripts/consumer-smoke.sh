#!/usr/bin/env bash
# Consumer smoke test: a brand-new cdk8s TypeScript app (test/consumer: newest cdk8s, constructs
# and cdk8s-plus-33, pinned, with its own package-lock.json) installs the library's packed tarball,
# compiles with tsc and synthesizes a two-cluster mesh with `cdk8s synth`.
#
#   scripts/consumer-smoke.sh dist/js/cdk8s-istio-multicluster@<version>.jsii.tgz
#
# The app is copied to a fresh `mktemp -d` folder, so neither the repo, its node_modules nor
# anything else beside the clone can be resolved from it. KEEP_SMOKE=1 keeps that folder (its path is printed).
#
# Install: `npm ci` from the committed lockfile (reproducible: exactly the pinned tree), then
# `npm install --no-save <tarball>` on top. With npm 11 that leaves package.json and the lockfile
# untouched, keeps every locked version, and adds the tarball plus its private dependency
# cdk8s-plus-27 and that package's optional dependency `backport` (~150 packages); `npm ls` then
# calls those "extraneous" (not in package.json), which it does not treat as an error.
#
# Tools are run from the app's own node_modules/.bin rather than with `npx`: npx would download
# an unrelated package if the local one were missing.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <path-to-tarball>" >&2
  exit 2
fi
if [[ ! -f "$1" ]]; then
  echo "consumer smoke: tarball not found: $1" >&2
  exit 2
fi
TARBALL="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$REPO/test/consumer"

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

WORK="$(mktemp -d "${TMPDIR:-/tmp}/consumer-smoke.XXXXXX")"
cleanup() { [[ "${KEEP_SMOKE:-}" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1" >&2; }
# A step the rest depends on: stop at the first failure.
fatal() {
  fail "$1"
  echo "consumer smoke: $PASSED passed, $FAILED failed" >&2
  exit 1
}
# Runs a step with its output in a log; prints the log only when the step fails.
step() {
  local name="$1" log="$WORK/$2.log"
  shift 2
  if (cd "$WORK/app" && "$@") >"$log" 2>&1; then
    pass "$name"
  else
    cat "$log" >&2
    fatal "$name"
  fi
}

echo "consumer smoke: $TARBALL in $WORK/app"
[[ "${KEEP_SMOKE:-}" == 1 ]] && echo "consumer smoke: KEEP_SMOKE=1, $WORK is kept"

# 1. Isolation: no node_modules or package.json anywhere above the app, so node and tsc can only
#    resolve what this script installs.
mkdir "$WORK/app"
dir="$WORK"
leak=""
while [[ "$dir" != / ]]; do
  [[ -e "$dir/node_modules" || -e "$dir/package.json" ]] && leak="$leak $dir"
  dir="$(dirname "$dir")"
done
[[ -e /node_modules || -e /package.json ]] && leak="$leak /"
if [[ -z "$leak" ]]; then
  pass "isolated: no node_modules or package.json above $WORK/app"
else
  fatal "node_modules or package.json above the temp dir in:$leak (set TMPDIR elsewhere)"
fi

# The app's own files only (a local node_modules, build or dist is never copied).
for f in package.json package-lock.json tsconfig.json cdk8s.yaml main.ts; do
  cp "$SRC/$f" "$WORK/app/$f"
done

# 2-3. Pinned dependencies from the lockfile, then the tarball on top.
step "npm ci (pinned cdk8s, constructs, cdk8s-plus-33, typescript, cdk8s-cli)" npm-ci npm ci
step "npm install --no-save $(basename "$TARBALL")" npm-install npm install --no-save "$TARBALL"
grep -h '^added ' "$WORK/npm-ci.log" "$WORK/npm-install.log" | sed 's/^/     /' || true

# 4-6. npm ls is clean, and there is exactly one copy of cdk8s and of constructs: a second copy
#      breaks instanceof checks and Chart.of/App.of across packages.
if (cd "$WORK/app" && npm ls cdk8s constructs cdk8s-plus-33 cdk8s-plus-27 --all) >"$WORK/npm-ls.log" 2>&1; then
  pass "npm ls: no missing or invalid cdk8s, constructs or cdk8s-plus dependency"
else
  cat "$WORK/npm-ls.log" >&2
  fail "npm ls reports a problem (missing or invalid dependency)"
fi
# --parseable prints each installed copy once, by path.
paths="$(cd "$WORK/app" && npm ls cdk8s constructs --all --parseable 2>/dev/null || true)"
for pkg in cdk8s constructs; do
  copies="$(printf '%s\n' "$paths" | grep -c "/node_modules/$pkg\$" || true)"
  if [[ "$copies" == 1 ]]; then
    pass "one copy of $pkg ($(node -p "require('$WORK/app/node_modules/$pkg/package.json').version"))"
  else
    cat "$WORK/npm-ls.log" >&2
    fail "$copies copies of $pkg installed: $(printf '%s\n' "$paths" | grep "/node_modules/$pkg\$" | tr '\n' ' ')"
  fi
done

# 7-8. Compile and synthesize.
step "tsc (strict)" tsc ./node_modules/.bin/tsc
step "cdk8s synth" synth ./node_modules/.bin/cdk8s synth --no-check-upgrade

# 9-14. The synthesized objects. has FILE WHAT NODE-PREDICATE: parses FILE with the app's own
# cdk8s (Yaml.load) and passes when some object satisfies the predicate on `o`.
has() {
  local file="$WORK/app/dist/$1" what="$2" pred="$3"
  if [[ ! -f "$file" ]]; then
    fail "dist/$1: $what (file missing; dist has: $(ls "$WORK/app/dist" 2>/dev/null | tr '\n' ' '))"
    return
  fi
  if (cd "$WORK/app" && node -e '
    const { Yaml } = require("cdk8s");
    const [file, pred] = process.argv.slice(1);
    const test = new Function("o", `return ${pred};`);
    process.exit(Yaml.load(file).some((o) => o && test(o)) ? 0 : 1);
  ' "$file" "$pred"); then
    pass "dist/$1: $what"
  else
    fail "dist/$1: $what (not found)"
  fi
}
for cluster in east west; do
  has "$cluster.k8s.yaml" "DestinationRule networking.istio.io/v1 for echo.default.svc.cluster.local" \
    'o.kind === "DestinationRule" && o.apiVersion === "networking.istio.io/v1" && o.spec?.host === "echo.default.svc.cluster.local"'
  has "$cluster.k8s.yaml" "Gateway cross-network-gateway" \
    'o.kind === "Gateway" && o.apiVersion?.startsWith("networking.istio.io/") && o.metadata?.name === "cross-network-gateway"'
  has "$cluster.k8s.yaml" "east-west gateway Service: GKE internal load balancer with global access" \
    'o.kind === "Service" && o.metadata?.annotations?.["networking.gke.io/load-balancer-type"] === "Internal" && o.metadata?.annotations?.["networking.gke.io/internal-load-balancer-allow-global-access"] === "true"'
done
for report in east.traffic.md west.traffic.md mesh.md; do
  if [[ -s "$WORK/app/dist/$report" ]]; then pass "dist/$report: written by MeshApp.synth()"; else fail "dist/$report: missing (MeshApp writes the reports)"; fi
done
for svc in web raw; do
  has apps.k8s.yaml "DestinationRule for $svc.shop.svc.cluster.local" \
    "o.kind === 'DestinationRule' && o.apiVersion === 'networking.istio.io/v1' && o.spec?.host === '$svc.shop.svc.cluster.local'"
done

has apps.k8s.yaml "the app's own Service zonal carries spec.trafficDistribution PreferSameZone (patched by the mesh)" \
  "o.kind === 'Service' && o.metadata?.name === 'zonal' && o.spec?.trafficDistribution === 'PreferSameZone'"

echo "consumer smoke: $PASSED passed, $FAILED failed"
[[ "$FAILED" == 0 ]]
