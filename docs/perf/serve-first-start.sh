#!/bin/bash
# Province-year measurements on /tmp/prov/province.db with the release binary: restart to first figure, a past asOf,
# the catch-up jobs, latencies of the new routes, and peak memory. Prints figures only.
set -u
PORT=18080
LOG=/tmp/prov/serve.log
source "$(dirname "$0")/serve-common.sh"
up=$(date +%s.%N)
echo "listening after $(echo "$up - $start" | bc) s"
t() { # label url
  local s=$(date +%s.%N)
  local code=$(curl -s -o /tmp/prov/last.json -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$2")
  local e=$(date +%s.%N)
  printf '%-58s %s  %8.3f s  %s bytes\n' "$1" "$code" "$(echo "$e - $s" | bc)" "$(stat -c %s /tmp/prov/last.json)"
}
t "first figure after start: /metrics 2026-11 by city" "/api/v1/metrics?period=2026-11&by=city"
echo "  (from process start: $(echo "$(date +%s.%N) - $start" | bc) s)"
t "again (cached)" "/api/v1/metrics?period=2026-11&by=city"
t "/metrics 2026-11R by enterprise (data quality incl.)" "/api/v1/metrics?period=2026-11R&by=enterprise"
t "/evaluations last week" "/api/v1/evaluations?week=2026-W48"
t "/rankings 2026-11 enterprises" "/api/v1/rankings?period=2026-11&of=enterprises"
t "/warnings (recordDetails)" "/api/v1/warnings"
t "/warning-inputs 2026-W48" "/api/v1/warning-inputs?week=2026-W48"
t "past asOf: /metrics 2026-10 by city asOf 2026-11-01" "/api/v1/metrics?period=2026-10&by=city&asOf=2026-11-01T00:00:00%2B08:00"
t "past asOf: /evaluations 2026-W44 asOf 2026-11-02" "/api/v1/evaluations?week=2026-W44&asOf=2026-11-02T00:00:00%2B08:00"
sleep 5
echo "catch-up jobs (from the log):"
grep -E "weekly evaluation frozen|monthly reports frozen" /tmp/prov/serve.log | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-200
curl -s http://127.0.0.1:$PORT/metrics | grep -E "dualprev_job_duration_seconds_(sum|count)" | head
grep -E "VmHWM|VmRSS" /proc/$PID/status
kill $PID; wait $PID 2>/dev/null
