#!/usr/bin/env bash
# Gateway benchmark (issue 7): in ONE run on this machine, wrk at 1000 connections against
#   (a) the stub upstream directly, (b) nginx as a plain reverse proxy to it, (c) routing with the full pipeline
#   (JWT, subscription, a rate limit too high to trigger, audit on),
# after a warm-up, in interleaved rounds; prints and writes load-tests/RESULTS.md.
# routing spools its audit records to disk and audit ingests them on the same cores; after each routing round the
# script waits until audit holds every record (routing's lgsp_audit_publisher_pending_events = 0) and reports the
# backlog and how long it took, so a lagging audit never steals CPU from the next nginx or upstream round.
# Needs: wrk and nginx (Debian: apt-get install wrk nginx-light), and the platform running (./lgsp up).
# Usage: load-tests/gateway-bench.sh [rounds=3] [seconds=30] [connections=1000]
# AUDIT_NICE (default 10): audit and its PostgreSQL run at this nice value during the run, standing in for the
# nodes of their own they have in a cluster: on this box they share two cores with routing, wrk, nginx and the
# stub, and would otherwise take CPU from the gateway; routing's spool holds the records meanwhile and the script
# reports how many and how long audit took to take them. AUDIT_NICE=0 measures them at equal priority.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-3}"; SECONDS_PER_RUN="${2:-30}"; CONNS="${3:-1000}"; THREADS=2
# WARMUP (default 30 s) before measuring, for each target: enough for the JIT to compile routing's request path
# and audit's ingest (which the warm-up's records exercise) on a freshly started platform (after 10 s, the first
# round of one run was 9 % slower than its last).
WARMUP="${WARMUP:-30}"
WORK="$ROOT/load-tests/target"; mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk"; exit 1; }
command -v nginx >/dev/null || { echo "nginx not found: apt-get install nginx-light"; exit 1; }
ulimit -n 20000
STARTED_PLATFORM=0
if ! curl -sf -o /dev/null http://127.0.0.1:8080/q/health/ready; then
  echo "Starting the platform (./lgsp up); it is stopped again at the end"
  "$ROOT/lgsp" up
  STARTED_PLATFORM=1
fi
cleanup() {
  # shellcheck disable=SC2086
  [[ -n "${AUDIT_PID:-}" ]] && nice_all 0 "$AUDIT_PID" ${PG_ALL:-} || true
  [[ -n "${NG:-}" ]] && nginx -c "$NG/nginx.conf" -p "$NG" -s stop 2>/dev/null || true
  [[ "$STARTED_PLATFORM" == 1 ]] && "$ROOT/lgsp" down || true
}
trap cleanup EXIT
AUDIT_NICE="${AUDIT_NICE:-10}"
# every thread of a process (Linux nices threads, not processes); threads started later inherit it
nice_all() { # value pid...
  local v=$1; shift
  for p in "$@"; do for t in /proc/"$p"/task/*; do renice -n "$v" -p "${t##*/}" >/dev/null 2>&1 || true; done; done
}
AUDIT_PID=$(ss -ltnpH 'sport = :8084' | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
PG_PID=$(ss -ltnpH 'sport = :15432' | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
PG_ALL="$PG_PID $(pgrep -P "$PG_PID" | tr '\n' ' ')"
# shellcheck disable=SC2086
nice_all "$AUDIT_NICE" "$AUDIT_PID" $PG_ALL

# --- the consumer's token (client credentials from the demo world) -------------------------------------------
CREDS=$(grep -o "curl -s -u '[^']*'" "$ROOT/.lgsp/summary.txt" | head -1 | sed "s/curl -s -u '\(.*\)'/\1/")
TOKEN=$(curl -s -u "$CREDS" -d grant_type=client_credentials http://127.0.0.1:8082/oauth2/token \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
[[ ${#TOKEN} -gt 100 ]] || { echo "could not get a token"; exit 1; }
PATH_SUFFIX="/bench/items?id=1"
A="http://127.0.0.1:9090$PATH_SUFFIX"
B="http://127.0.0.1:9091$PATH_SUFFIX"
# routing: the data plane on its own port (8000); metrics and health stay on the Quarkus port (8080)
C="http://127.0.0.1:8000/ho-tich/v1$PATH_SUFFIX"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$C")
[[ "$code" == 200 ]] || { echo "routing answered $code to the benchmark path"; exit 1; }

# --- nginx as a plain reverse proxy with upstream keep-alive ------------------------------------------------
NG="$WORK/nginx"; mkdir -p "$NG/logs"
cat > "$NG/nginx.conf" <<NGINX
worker_processes auto;
worker_rlimit_nofile 20000;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events { worker_connections 10000; }
http {
  access_log off;
  client_body_temp_path $NG/body; proxy_temp_path $NG/proxy; fastcgi_temp_path $NG/fcgi;
  uwsgi_temp_path $NG/uwsgi; scgi_temp_path $NG/scgi;
  upstream stub { server 127.0.0.1:9090; keepalive 128; }
  server {
    listen 127.0.0.1:9091 backlog=4096;
    location / { proxy_pass http://stub; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
nginx -c "$NG/nginx.conf" -p "$NG" -g 'daemon on;'
sleep 1

to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v }'; }

# routing's own count of answers per status on the data plane (Micrometer), to tell served calls from refusals
status_counts() {
  curl -s -H 'Accept: text/plain' http://127.0.0.1:8080/q/metrics \
    | awk '/^http_server_requests_seconds_count\{/ && /uri="\/\{service\}\/\{version\}\/\*"/ {
        if (match($0, /status="[0-9]+"/)) { s=substr($0, RSTART+8, 3); n[s]+=$NF } }
        END { for (k in n) printf "%s=%d ", k, n[k] }'
}

# routing's audit publisher: events not yet accepted by audit, and the bytes its disk spool holds
publisher_metric() {
  # awk reads to the end: leaving early would break curl's pipe, and pipefail would end the script
  curl -s -H 'Accept: text/plain' http://127.0.0.1:8080/q/metrics \
    | awk -v m="$1" '!done && ($1 == m || index($1, m "{") == 1) {printf "%.0f", $NF; done=1}'
}
# After routing's round: how many audit records routing still held, and how long audit took to take them all.
# The next round starts only then, so audit catching up never takes CPU from a nginx or upstream round.
await_audit() { # round
  local backlog spool t0 left
  backlog=$(publisher_metric lgsp_audit_publisher_pending_events); backlog=${backlog:-0}
  spool=$(publisher_metric lgsp_audit_publisher_spool_bytes); spool=${spool:-0}
  t0=$(date +%s.%N); left=$backlog
  while [[ "${left:-0}" -gt 0 ]] && awk -v t0="$t0" -v now="$(date +%s.%N)" 'BEGIN{exit !(now - t0 < 900)}'; do
    sleep 1; left=$(publisher_metric lgsp_audit_publisher_pending_events)
  done
  local took; took=$(awk -v t0="$t0" -v now="$(date +%s.%N)" 'BEGIN{printf "%.0f", now - t0}')
  echo "$1 $backlog $(awk -v b="$spool" 'BEGIN{printf "%.0f", b/1048576}') $took ${left:-0}" >> "$WORK/audit-lag.txt"
  printf '  round %s audit backlog when the round ended: %s events (%s MiB spooled); delivered %s s later (%s left)\n' \
    "$1" "$backlog" "$(awk -v b="$spool" 'BEGIN{printf "%.0f", b/1048576}')" "$took" "${left:-0}"
}

run() { # name url [header]
  local out="$WORK/$1-$2.txt"
  if [[ -n "${4:-}" ]]; then
    wrk -t$THREADS -c"$CONNS" -d"${SECONDS_PER_RUN}s" --timeout 10s --latency -H "$4" "$3" > "$out"
  else
    wrk -t$THREADS -c"$CONNS" -d"${SECONDS_PER_RUN}s" --timeout 10s --latency "$3" > "$out"
  fi
  local rps p50 p99 errs timeouts non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$out")")
  errs=$(awk '/Socket errors/ {gsub(",","");print $4+$6+$8}' "$out"); errs=${errs:-0}
  timeouts=$(awk '/Socket errors/ {print $10}' "$out"); timeouts=${timeouts:-0}
  non2xx=$(awk '/Non-2xx/ {print $5}' "$out"); non2xx=${non2xx:-0}
  echo "$1 $2 $rps $p50 $p99 $((errs + non2xx)) $timeouts" >> "$WORK/results.txt"
  printf '  round %s %-8s %10s req/s  p50 %8s ms  p99 %8s ms  errors %s  timeouts %s\n' "$2" "$1" "$rps" "$p50" "$p99" "$((errs + non2xx))" "$timeouts"
}

: > "$WORK/results.txt"; : > "$WORK/statuses.txt"; : > "$WORK/audit-lag.txt"
echo "Warm-up (${WARMUP} s each)..."
wrk -t$THREADS -c"$CONNS" -d"${WARMUP}s" "$A" > /dev/null
wrk -t$THREADS -c"$CONNS" -d"${WARMUP}s" "$B" > /dev/null
wrk -t$THREADS -c"$CONNS" -d"${WARMUP}s" -H "Authorization: Bearer $TOKEN" "$C" > /dev/null
await_audit warm-up > /dev/null
echo "Measuring: $ROUNDS interleaved rounds of ${SECONDS_PER_RUN}s at $CONNS connections"
for r in $(seq 1 "$ROUNDS"); do
  run upstream "$r" "$A"
  run nginx "$r" "$B"
  before=$(status_counts)
  run routing "$r" "$C" "Authorization: Bearer $TOKEN"
  after=$(status_counts)
  # answers per status during this run: after minus before
  delta=$(awk -v a="$after" -v b="$before" 'BEGIN{ n=split(b, x, " "); for (i=1;i<=n;i++){split(x[i],kv,"="); B[kv[1]]=kv[2]}
    n=split(a, y, " "); for (i=1;i<=n;i++){split(y[i],kv,"="); d=kv[2]-B[kv[1]]; if (d>0) printf "%s:%d ", kv[1], d} }')
  ok=$(awk -v d="$delta" 'BEGIN{ n=split(d, x, " "); for (i=1;i<=n;i++){split(x[i],kv,":"); if (kv[1] ~ /^2/) t+=kv[2]} print t+0 }')
  okrps=$(awk -v t="$ok" -v s="$SECONDS_PER_RUN" 'BEGIN{printf "%.2f", t/s}')
  echo "routing-2xx $r $okrps - - - -" >> "$WORK/results.txt"
  echo "$r $delta" >> "$WORK/statuses.txt"
  printf '  round %s %-8s %10s req/s answered 2xx; answers by status: %s\n' "$r" "routing" "$okrps" "$delta"
  await_audit "$r"
done

ROUTING_PID=$(ss -ltnpH 'sport = :8080' | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
RSS_MB=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$ROUTING_PID/status")
JVM_FLAGS=$(tr '\0' ' ' < "/proc/$ROUTING_PID/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //')

median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
col() { awk -v n="$1" -v c="$2" '$1==n {print $c}' "$WORK/results.txt" | median; }
RA=$(col upstream 3); RB=$(col nginx 3); RC=$(col routing 3); RC2=$(col routing-2xx 3)
PB=$(col nginx 5); PC=$(col routing 5)
CB=$(awk -v c="$RC" -v b="$RB" 'BEGIN{printf "%.2f", c/b}')
CA=$(awk -v c="$RC" -v a="$RA" 'BEGIN{printf "%.2f", c/a}')
CB2=$(awk -v c="$RC2" -v b="$RB" 'BEGIN{printf "%.2f", c/b}')
P99R=$(awk -v c="$PC" -v b="$PB" 'BEGIN{printf "%.2f", c/b}')
ERRS=$(awk '$1 != "routing-2xx" {e+=$6; t+=$7} END{print e" errors, "t" timeouts"}' "$WORK/results.txt")

{
  echo "## Gateway (routing vs nginx vs the stub upstream)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; load generator on the same cores"
  echo "- command: \`load-tests/gateway-bench.sh $ROUNDS $SECONDS_PER_RUN $CONNS\` (wrk -t$THREADS -c$CONNS -d${SECONDS_PER_RUN}s --latency, after a ${WARMUP} s warm-up each, rounds interleaved)"
  echo "- routing JVM flags: \`$JVM_FLAGS\`; routing resident memory after the run: **$RSS_MB MiB**"
  echo "- audit and its PostgreSQL at nice $AUDIT_NICE (AUDIT_NICE; 0 = equal priority with routing, wrk, nginx and the stub)"
  echo
  echo "| round | target | req/s | p50 ms | p99 ms | errors | timeouts |"
  echo "|---|---|---|---|---|---|---|"
  awk '$1 != "routing-2xx" {printf "| %s | %s | %s | %s | %s | %s | %s |\n", $2, $1, $3, $4, $5, $6, $7}' "$WORK/results.txt"
  echo
  echo "routing's answers by status per round (its own Micrometer counts; 503 = audit-unavailable, i.e. spool full, or circuit open; 429 = rate limit):"
  echo
  awk '{ printf "- round %s: ", $1; for (i=2;i<=NF;i++) printf "%s ", $i; print "" }' "$WORK/statuses.txt"
  echo
  echo "Audit delivery: routing records every call and hands the record to its publisher, which spools it to disk and"
  echo "sends it to audit in batches; audit ingests, at nice $AUDIT_NICE, on the same two cores while wrk, the stub and"
  echo "routing are busy, so a backlog builds during routing's round and drains after it (the next round waits for it):"
  echo
  awk '$1 != "warm-up" {printf "- round %s: %s records not yet in audit when the round ended (%s MiB spooled); all delivered %s s later (%s left)\n", $1, $2, $3, $4, $5}' "$WORK/audit-lag.txt"
  echo
  echo "Medians: upstream $RA req/s, nginx $RB req/s, routing $RC req/s of which answered 2xx $RC2 req/s."
  echo
  echo "| ratio | value | target |"
  echo "|---|---|---|"
  echo "| c/b (routing ÷ nginx, all answers) | $CB | ≥ 0.6 (aim 0.7) |"
  echo "| c/b counting only calls routing served (2xx) | **$CB2** | ≥ 0.6 (aim 0.7) |"
  echo "| c/a (routing ÷ upstream, req/s) | $CA | — |"
  echo "| p99 routing ÷ p99 nginx | $P99R | ≤ 2 |"
  echo "| errors and timeouts, all runs | $ERRS | 0 |"
  echo "| routing resident memory | $RSS_MB MiB | ≤ 512 MiB |"
} > "$WORK/gateway-section.md"
# Replace only this benchmark's section of RESULTS.md; the other benchmarks keep theirs.
RES="$ROOT/load-tests/RESULTS.md"
awk -v sec="$WORK/gateway-section.md" '
  /^## Gateway/ { while ((getline line < sec) > 0) print line; print ""; skip=1; next }
  /^## / && skip { skip=0 }
  !skip { print }' "$RES" > "$WORK/RESULTS.md.new" && mv "$WORK/RESULTS.md.new" "$RES"
echo
cat "$WORK/gateway-section.md"
