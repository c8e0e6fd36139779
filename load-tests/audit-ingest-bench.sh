#!/usr/bin/env bash
# Audit ingest benchmark (issue 5): packages audit, starts it against an embedded PostgreSQL 17 (no platform
# needed), sends batches of gateway-like transaction events from concurrent senders for a warm-up and a measured
# period, prints sustained events/s, batch latency p50/p99 and errors, verifies the hash chain afterwards, and
# replaces the body of "## Audit ingest" in load-tests/RESULTS.md.
# Usage: load-tests/audit-ingest-bench.sh [seconds=30] [senders=8] [batch=500] [warmup=10]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS="${1:-30}"; SENDERS="${2:-8}"; BATCH="${3:-500}"; WARMUP="${4:-10}"
cd "$ROOT"
echo "Packaging audit (and its test classes, where the generator lives)"
./mvnw -q package -DskipTests -pl services/audit
CP_FILE="$ROOT/load-tests/target/audit-bench.classpath"; mkdir -p "$ROOT/load-tests/target"
./mvnw -q -pl services/audit dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
exec java -Xmx512m -Dduration="$SECS" -Dsenders="$SENDERS" -Dbatch="$BATCH" -Dwarmup="$WARMUP" \
  -Dcommand="load-tests/audit-ingest-bench.sh $SECS $SENDERS $BATCH $WARMUP" \
  -cp "services/audit/target/test-classes:services/audit/target/classes:$(cat "$CP_FILE")" \
  vn.lgsp.audit.bench.IngestBench "$ROOT"
