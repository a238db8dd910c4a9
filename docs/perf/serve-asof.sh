#!/bin/bash
# Issue 23 on a province-year with the release binary: serve starts (the catch-up jobs due or not), the first figure,
# past asOf one at a time and four at once, resident memory, and the pool errors in the log while it all runs.
# Run after `dualprev bench --figures-size province --figures-database sqlite:///tmp/prov/province.db` (which wrote
# the checkpoints). Prints figures only.
set -u
PORT=${PORT:-18081}
LOG=/tmp/prov/serve-asof.log
source "$(dirname "$0")/serve-common.sh"
echo "listening after $(echo "$(date +%s.%N) - $start" | bc) s"
month=$(date +%Y-%m)
prev=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
t() { # label url
  local s=$(date +%s.%N)
  local code=$(curl -s -o /tmp/prov/asof-$$.json -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$2")
  local e=$(date +%s.%N)
  printf '%-62s %s  %8.3f s\n' "$1" "$code" "$(echo "$e - $s" | bc)"
}
t "first figure: /metrics $month by city" "/api/v1/metrics?period=$month&by=city"
echo "  (from process start: $(echo "$(date +%s.%N) - $start" | bc) s; resident $(grep VmRSS /proc/$PID/status | awk '{print $2/1024}') MB)"
t "past asOf: /metrics ${prev}R by city asOf ${prev}-21" "/api/v1/metrics?period=${prev}R&by=city&asOf=${prev}-21T00:00:00%2B08:00"
t "past asOf: /metrics $prev by enterprise asOf ${prev}-10" "/api/v1/metrics?period=$prev&by=enterprise&asOf=${prev}-10T12:00:00%2B08:00"
t "past asOf: /evaluations of a past week" "/api/v1/evaluations?week=$(date -d '-3 weeks' +%G-W%V)&asOf=$(date -d '-2 weeks' +%Y-%m-%d)T00:00:00%2B08:00"
s=$(date +%s.%N)
pids=()
for h in 1 2 3 4; do
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/v1/metrics?period=$prev&by=city&asOf=${prev}-2${h}T0${h}:00:00%2B08:00" &
  pids+=($!)
done
wait "${pids[@]}"
echo "4 past asOf at once: $(echo "$(date +%s.%N) - $s" | bc) s; resident $(grep VmRSS /proc/$PID/status | awk '{print $2/1024}') MB"
sleep 5
echo "catch-up jobs (from the log):"
grep -E "weekly evaluation frozen|monthly reports frozen" $LOG | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-160
echo "pool errors in the log: $(grep -ciE 'pool|timed out waiting' $LOG)"
grep -E "VmHWM|VmRSS" /proc/$PID/status
kill $PID; wait $PID 2>/dev/null
