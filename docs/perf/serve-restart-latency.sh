#!/bin/bash
# Restart with nothing to catch up, then repeated requests: p50/p99 over 200 sequential requests per route.
set -u
PORT=18081
LOG=/tmp/prov/serve2.log
source "$(dirname "$0")/serve-common.sh"
curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/metrics?period=2026-11&by=city"
echo "restart (nothing to catch up) to first figure: $(echo "$(date +%s.%N) - $start" | bc) s"
lat() {
  for i in $(seq 1 200); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$2"
  done | sort -n | awk -v l="$1" '{a[NR]=$1} END {printf "%-48s p50 %.1f ms  p99 %.1f ms\n", l, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000}'
}
lat "/metrics 2026-11 by city" "/api/v1/metrics?period=2026-11&by=city"
lat "/metrics 2026-11R by enterprise" "/api/v1/metrics?period=2026-11R&by=enterprise"
lat "/rankings 2026-11 enterprises" "/api/v1/rankings?period=2026-11&of=enterprises"
lat "/evaluations 2026-W48 (stored)" "/api/v1/evaluations?week=2026-W48"
lat "/evaluations 2026-W49 (provisional)" "/api/v1/evaluations?week=2026-W49"
grep -E "VmHWM|VmRSS" /proc/$PID/status
kill $PID; wait $PID 2>/dev/null
