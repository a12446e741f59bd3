#!/usr/bin/env bash
# Records a REAL capture of an nginx load balancer on loopback.
#
#   client 127.0.0.1 ──► balancer 127.0.0.10:8080 (HTTP) / :8443 (HTTPS, TLS 1.2 + 1.3)
#                            ├──► backend A 127.0.0.11:8081
#                            └──► backend B 127.0.0.12:8081      (round robin)
#
# nginx runs from a private config (scripts/capture/nginx-balancer.conf.tmpl) in a temp dir,
# with a self-signed certificate made on the fly; tcpdump records
#   net 127.0.0.0/24 and (port 8080 or port 8443 or port 8081) and (the three hosts)
# on lo. Everything is torn down on exit (also on error / Ctrl-C). Needs root (tcpdump).
#
# Usage:
#   scripts/capture/balancer.sh [-o OUT] [-n PACKETS]      bench traffic (ab, HTTP + HTTPS, with and
#                                                          without keep-alive) until PACKETS packets
#   scripts/capture/balancer.sh --sample -o OUT.pcapng     a few curl requests (≈150 packets)
# Options:
#   -o, --out FILE       output (default bench/out/balancer-500k.pcap). A .pcapng name gets a
#                        pcapng file with the TLS key log embedded (Decryption Secrets Block).
#   -n, --packets N      bench mode: packets to record (default 500000); the file is cut to
#                        exactly N packets unless --no-trim
#   --sample             fixed small exchange instead of the bench traffic
#   --keylog FILE        TLS key log written by curl (SSLKEYLOGFILE); default OUT minus its
#                        extension + .keylog. Only curl's HTTPS connections are in it (ab and
#                        nginx cannot log keys).
#   --no-trim            keep every recorded packet
#   -q, --quiet          less chatter
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/bench/out/balancer-500k.pcap"
TARGET=500000
MODE=bench
KEYLOG=""
TRIM=1
QUIET=0

while [ $# -gt 0 ]; do
  case "$1" in
    -o|--out) OUT="$2"; shift 2 ;;
    -n|--packets) TARGET="$2"; shift 2 ;;
    --sample) MODE=sample; shift ;;
    --keylog) KEYLOG="$2"; shift 2 ;;
    --no-trim) TRIM=0; shift ;;
    -q|--quiet) QUIET=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "balancer.sh: unknown argument: $1" >&2; exit 1 ;;
  esac
done
case "$TARGET" in ''|*[!0-9]*) echo "balancer.sh: --packets wants a number" >&2; exit 1 ;; esac

log() { [ "$QUIET" = 1 ] || echo "[balancer] $*" >&2; }
die() { echo "[balancer] error: $*" >&2; exit 1; }

for tool in nginx tcpdump openssl curl ab capinfos editcap flock; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ "$(id -u)" = 0 ] || die "must run as root (tcpdump on lo)"

mkdir -p "$(dirname "$OUT")"
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
[ -n "$KEYLOG" ] || KEYLOG="${OUT%.*}.keylog"
case "$OUT" in *.pcapng) FORMAT=pcapng ;; *) FORMAT=pcap ;; esac

# One run at a time (fixed addresses and ports).
exec 9>/tmp/pcap-ladder-balancer.lock
flock -w 600 9 || die "another balancer.sh run holds /tmp/pcap-ladder-balancer.lock"

WORK="$(mktemp -d /tmp/pcap-ladder-balancer.XXXXXX)"
NGINX_PID=""
TCPDUMP_PID=""
DONE=0
cleanup() {
  set +e
  if [ -n "$TCPDUMP_PID" ] && kill -0 "$TCPDUMP_PID" 2>/dev/null; then
    kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" 2>/dev/null
  fi
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -QUIT "$NGINX_PID"
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
  [ "$DONE" = 1 ] || rm -f "$KEYLOG" "${TMP:-}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- nginx -----------------------------------------------------------------------------------
chmod 755 "$WORK"   # nginx workers run as nobody
mkdir -p "$WORK/tmp" "$WORK/www-a" "$WORK/www-b"
# A ~20 KB page per backend (same length on both, so ab sees no length mismatch).
for b in A B; do
  dir="$WORK/www-$(echo "$b" | tr AB ab)"
  {
    printf '<!DOCTYPE html>\n<html><head><title>backend %s: big page</title></head><body>\n' "$b"
    printf '<h1>A 20 KB page from backend %s</h1>\n<pre>\n' "$b"
    for i in $(seq -w 1 300); do
      printf 'line %s: the quick brown fox jumps over the lazy dog (%s)\n' "$i" "$b"
    done
    printf '</pre></body></html>\n'
  } >"$dir/big.html"
done
chmod -R a+rX "$WORK/www-a" "$WORK/www-b"

log "self-signed certificate for balancer.test / 127.0.0.10 (openssl)"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=balancer.test" \
  -addext "subjectAltName=DNS:balancer.test,IP:127.0.0.10" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

sed -e "s#@PREFIX@#$WORK#g" -e "s#@WORKERS@#2#g" "$HERE/nginx-balancer.conf.tmpl" >"$WORK/nginx.conf"
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" 2>"$WORK/nginx-t.log" || { cat "$WORK/nginx-t.log" >&2; die "bad nginx config"; }
log "starting nginx (config $WORK/nginx.conf)"
nginx -c "$WORK/nginx.conf" -p "$WORK" 2>>"$WORK/error.log" &
NGINX_PID=$!

CURL=(curl -sS -o /dev/null --max-time 10 --cacert "$WORK/cert.pem"
  --resolve balancer.test:8080:127.0.0.10 --resolve balancer.test:8443:127.0.0.10)
ready=0
for _ in $(seq 100); do
  kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/error.log" >&2; die "nginx exited (ports 8080/8443/8081 on 127.0.0.10-12 busy?)"; }
  # Backends by HTTP, the balancer by a bare TCP connect (a request would move its round robin:
  # the sample's first request should go to backend A).
  if curl -s -o /dev/null --max-time 1 http://127.0.0.11:8081/ && curl -s -o /dev/null --max-time 1 http://127.0.0.12:8081/ \
    && (exec 3<>/dev/tcp/127.0.0.10/8080 && exec 3<>/dev/tcp/127.0.0.10/8443) 2>/dev/null; then
    ready=1; break
  fi
  sleep 0.1
done
[ "$ready" = 1 ] || die "nginx did not answer on 127.0.0.10:8080"

# --- tcpdump ---------------------------------------------------------------------------------
RAW="$WORK/raw.pcap"
FILTER='net 127.0.0.0/24 and (port 8080 or port 8443 or port 8081) and (host 127.0.0.10 or host 127.0.0.11 or host 127.0.0.12)'
log "tcpdump -i lo -w $RAW -s 0 -Z root '$FILTER'"
# Small samples: --immediate-mode (every packet handed over at once). Bench: kernel buffering
# (packets come in blocks, 1 s timeout) and a 64 MiB buffer, so nothing is dropped.
if [ "$MODE" = sample ]; then TD_OPTS=(--immediate-mode); else TD_OPTS=(-B 65536); fi
tcpdump -i lo "${TD_OPTS[@]}" -w "$RAW" -s 0 -Z root "$FILTER" 2>"$WORK/tcpdump.log" &
TCPDUMP_PID=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$WORK/tcpdump.log" 2>/dev/null && break
  kill -0 "$TCPDUMP_PID" 2>/dev/null || { cat "$WORK/tcpdump.log" >&2; die "tcpdump exited"; }
  sleep 0.1
done
grep -q 'listening on' "$WORK/tcpdump.log" || die "tcpdump did not start"
sleep 0.3   # the BPF filter is attached once "listening on" is printed; a little margin

# Packets captured so far: tcpdump prints its counters on SIGUSR1.
captured() {
  local before after
  before=$(grep -c 'packets captured' "$WORK/tcpdump.log" || true)
  kill -USR1 "$TCPDUMP_PID"
  for _ in $(seq 50); do
    after=$(grep -c 'packets captured' "$WORK/tcpdump.log" || true)
    [ "$after" -gt "$before" ] && break
    sleep 0.05
  done
  grep -o '[0-9]* packets captured' "$WORK/tcpdump.log" | tail -1 | awk '{print $1}'
}

START=$(date +%s.%N)
export SSLKEYLOGFILE="$KEYLOG"
: >"$KEYLOG"

if [ "$MODE" = sample ]; then
  H=http://balancer.test:8080
  S=https://balancer.test:8443
  step() { log "  curl ${*:${#CURL[@]}+1}"; "$@"; sleep 0.25; }
  log "sample traffic (curl):"
  step "${CURL[@]}" "$H/"
  step "${CURL[@]}" "$H/"
  step "${CURL[@]}" "$H/big.html"
  step "${CURL[@]}" --tlsv1.3 "$S/"
  step "${CURL[@]}" --tlsv1.2 --tls-max 1.2 "$S/big.html"
  # Client keep-alive: two requests on one client connection, two upstream connections.
  step "${CURL[@]}" "$H/" -o /dev/null "$H/big.html"
  sleep 0.5
else
  # Bench traffic: rounds of ab runs (plus a few curl HTTPS requests for the key log) until
  # tcpdump has seen TARGET packets.
  H=http://127.0.0.10:8080
  S=https://127.0.0.10:8443
  AB=(ab -q -r -s 10)
  # One round ≈ 160k packets at the default target; request counts scale with --packets so
  # that any capture holds a few rounds of the whole mix.
  n() { awk -v b="$1" -v t="$TARGET" 'BEGIN { v = int(b * t / 500000); print (v < 40 ? 40 : v) }'; }
  RUNS=(
    "-n $(n 3000) -c 16 $H/"                  # HTTP/1.0, new connection per request, both hops
    "-n $(n 1500) -c 8 $H/big.html"           # 20 KB responses
    "-n $(n 4000) -c 16 -k $H/ka/"            # client keep-alive + upstream keep-alive pool
    "-n $(n 1500) -c 4 -k $H/ka/big.html"
    "-n $(n 400) -c 4 -f TLS1.2 $S/"          # full TLS 1.2 handshakes
    "-n $(n 400) -c 4 -f TLS1.3 $S/big.html"  # TLS 1.3
    "-n $(n 1500) -c 8 -k -f TLS1.3 $S/ka/big.html"
    "-n $(n 1000) -c 32 $H/big.html"          # higher concurrency
  )
  log "bench traffic (ab) until $TARGET packets are captured"
  have=0
  round=0
  while [ "$have" -lt "$TARGET" ]; do
    round=$((round + 1))
    for run in "${RUNS[@]}"; do
      # shellcheck disable=SC2086
      "${AB[@]}" $run >"$WORK/ab.log" 2>&1 || { cat "$WORK/ab.log" >&2; die "ab $run failed"; }
      have=$(captured)
      [ "$have" -ge "$TARGET" ] && break
    done
    "${CURL[@]}" --tlsv1.3 https://balancer.test:8443/ || true
    "${CURL[@]}" --tlsv1.2 --tls-max 1.2 https://balancer.test:8443/big.html || true
    have=$(captured)
    log "  round $round: $have packets"
  done
  sleep 0.5
fi

# SIGINT loses packets still in libpcap's current kernel block: wait past its 1 s timeout.
sleep 1.5
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" || true
TCPDUMP_PID=""
ELAPSED=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
stats=$(tail -3 "$WORK/tcpdump.log" | tr '\n' ' ')
log "tcpdump: $stats"
dropped=$(grep 'dropped by kernel' "$WORK/tcpdump.log" | tail -1 | awk '{print $1}')
[ "${dropped:-0}" = 0 ] || log "WARNING: tcpdump reports $dropped packets dropped by kernel"

count=$(capinfos -c -M -T "$RAW" | awk -F'\t' 'NR==2 {print $2}')
TMP="$OUT.tmp.$$"
if [ "$MODE" = bench ] && [ "$TRIM" = 1 ] && [ "$count" -gt "$TARGET" ]; then
  log "cutting $count → $TARGET packets (editcap -r)"
  editcap -F pcap -r "$RAW" "$WORK/cut.pcap" "1-$TARGET"
  RAW="$WORK/cut.pcap"
fi
if [ "$FORMAT" = pcapng ]; then
  if [ -s "$KEYLOG" ]; then
    editcap -F pcapng --inject-secrets "tls,$KEYLOG" "$RAW" "$TMP"
  else
    editcap -F pcapng "$RAW" "$TMP"
  fi
else
  cp "$RAW" "$TMP"
fi
mv -f "$TMP" "$OUT"
DONE=1
[ -s "$KEYLOG" ] || rm -f "$KEYLOG"

final=$(capinfos -c -M -T "$OUT" | awk -F'\t' 'NR==2 {print $2}')
size=$(stat -c %s "$OUT")
log "wrote $OUT: $final packets, $size bytes, traffic for ${ELAPSED}s; dropped by kernel: ${dropped:-?}"
[ -s "$KEYLOG" ] && log "TLS key log: $KEYLOG ($(grep -c . "$KEYLOG") lines)"
# Machine-readable last line for callers.
echo "{\"file\":\"$OUT\",\"packets\":$final,\"bytes\":$size,\"seconds\":\"$ELAPSED\",\"dropped\":${dropped:-null}}"
