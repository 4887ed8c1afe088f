#!/usr/bin/env bash
# Validation throughput: 1,000 unique findings checked against a local server that
# answers each request after 50 ms. With --validate-concurrency 16 the run should take
# about 1000 * 0.05 / 16 ≈ 3.1 s plus startup, not 50 s: bounded by the concurrency limit.
# Usage: benches/validate.sh [N=1000] [DELAY_MS=50] [CONCURRENCY=16]
#   KEYSPRAWL=path  keysprawl binary (default target/release/keysprawl)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KEYSPRAWL=${KEYSPRAWL:-$HERE/../target/release/keysprawl}
N=${1:-1000}; DELAY=${2:-50}; CONC=${3:-16}
WORK=$(mktemp -d -t keysprawl-validate.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
cat > "$WORK/rules.toml" <<'R'
[[rules]]
id = "bench-provider-key"
name = "Bench provider key"
provider = "bench"
keywords = ["bnch_"]
pattern = '\b(?P<secret>bnch_[A-Za-z0-9]{24})\b'
lifetime = "static"
severity = "high"
examples = ["bnch_q8Xr2LmT9vB4nZ7wK1pSd3Fg"]
[rules.validation]
url = "https://api.bench-provider.test/v1/me"
headers = [["Authorization", "Bearer {secret}"]]
live_status = [200]
live_json = ["/id"]
revoked_status = [401]
R
python3 - "$WORK/keys.env" "$N" <<'P'
import random, string, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write("KEY_%d=bnch_%s\n" % (i, "".join(random.choice(string.ascii_letters + string.digits) for _ in range(24))))
P
cat > "$WORK/server.py" <<'P'
import http.server, socketserver, sys, time, threading
delay = int(sys.argv[1]) / 1000
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        time.sleep(delay)
        body = b'{"id":"acct_1"}'
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True; request_queue_size = 256
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
P
python3 "$WORK/server.py" "$DELAY" > "$WORK/port" & SERVER=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
echo "validating $N unique findings, server delay ${DELAY} ms, concurrency $CONC"
/usr/bin/time -f "wall %e s, peak RSS %M KB" "$KEYSPRAWL" scan "$WORK/keys.env" --no-builtin-rules --rules "$WORK/rules.toml" \
  --validate --validate-concurrency "$CONC" --validation-endpoint "api.bench-provider.test=http://127.0.0.1:$PORT" \
  -f json -o "$WORK/report.json" -q 2> "$WORK/stderr" || true
grep -v "warning: validation" "$WORK/stderr" || true
python3 -c "import json,sys,collections; r=json.load(open(sys.argv[1])); print('verdicts:', dict(collections.Counter(f['validation']['status'] for f in r['findings'])))" "$WORK/report.json"
echo "sequential would take $(python3 -c "print($N*$DELAY/1000)") s"
