# Sourced by the province-year scripts: starts the release binary on $DB at port $PORT, logging to $LOG, and sets
# BIN, TOKEN, PID and start (when the start began). Variables: BIN, DB (defaults below), PORT, LOG.
BIN=${BIN:-./target/release/dualprev}
DB=${DB:-sqlite:///tmp/prov/province.db}
export DUALPREV_JWT_SECRET=province-measure-secret-of-32-bytes!!
export DUALPREV_PULL__SCHEDULE=""
TOKEN=$($BIN token --role province --database $DB)
start=$(date +%s.%N)
$BIN serve --database $DB --bind 127.0.0.1:$PORT > $LOG 2>&1 &
PID=$!
until curl -s -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.2; done
