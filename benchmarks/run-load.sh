#!/usr/bin/env bash
# Side-by-side load test on loopback: the same wrk run against the origin directly, through the gateway's
# /proxy2/<node>/..., and through nginx as a keep-alive reverse proxy to the same origin. Prints requests/s and
# latency percentiles per target and the ratios to direct. Starts and stops everything itself.
#
# Usage: benchmarks/run-load.sh [-d DURATION] [-c CONNECTIONS] [-t WRK_THREADS] [-w WARMUP]
#   -d  measured duration per target and body size (default 10s)
#   -c  concurrent keep-alive connections (default 16)
#   -t  wrk threads (default 1)
#   -w  warm-up run per target before measuring, for the JIT (default 10s; 3s is too short for the gateway)
# Environment: GATEWAY_IO_THREADS (default 2), NGINX_WORKERS (default 2), ORIGIN_IO_THREADS (default 2).
# Needs: java 17, wrk, nginx; the jars from `mvn -DskipTests package` (agent and gateway).
set -euo pipefail

DURATION=10s
CONNECTIONS=16
WRK_THREADS=1
WARMUP=10s
while getopts "d:c:t:w:h" opt; do
    case "$opt" in
        d) DURATION=$OPTARG ;;
        c) CONNECTIONS=$OPTARG ;;
        t) WRK_THREADS=$OPTARG ;;
        w) WARMUP=$OPTARG ;;
        *) sed -n '2,12p' "$0"; exit 2 ;;
    esac
done
GATEWAY_IO_THREADS=${GATEWAY_IO_THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-2}
ORIGIN_IO_THREADS=${ORIGIN_IO_THREADS:-2}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENT_JAR=$ROOT/agent/target/lmcache-agent.jar
GATEWAY_JAR=$ROOT/gateway/target/lmcache-gateway.jar
for f in "$AGENT_JAR" "$GATEWAY_JAR"; do
    [[ -f $f ]] || { echo "missing $f: run 'mvn -B -DskipTests package' first" >&2; exit 1; }
done
for tool in wrk nginx java; do
    command -v "$tool" >/dev/null || { echo "missing $tool (Debian packages: wrk, nginx, openjdk-17-jre)" >&2; exit 1; }
done

WORK=$(mktemp -d -t lmcache-load.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# A free loopback port: ask the kernel for one by binding port 0.
free_port() {
    java -cp "$WORK" FreePort 2>/dev/null || { echo "cannot find a free port" >&2; exit 1; }
}
cat > "$WORK/FreePort.java" <<'JAVA'
public class FreePort {
    public static void main(String[] a) throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.out.println(s.getLocalPort());
        }
    }
}
JAVA
javac -d "$WORK" "$WORK/FreePort.java"

wait_for_port() {
    local port=$1 name=$2
    for _ in $(seq 1 150); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "$name did not listen on port $port; its log:" >&2
    cat "$WORK/$name.log" >&2 || true
    exit 1
}

ORIGIN_PORT=$(free_port)
GATEWAY_PORT=$(free_port)
NGINX_PORT=$(free_port)

java -XX:+UseParallelGC -jar "$AGENT_JAR" simulate --host 127.0.0.1 --base-port "$ORIGIN_PORT" --count 1 \
    --names sim --io-threads "$ORIGIN_IO_THREADS" --log-level warning >"$WORK/origin.log" 2>&1 &
PIDS+=($!)
wait_for_port "$ORIGIN_PORT" origin

java -XX:+UseParallelGC -jar "$GATEWAY_JAR" --host 127.0.0.1 --port "$GATEWAY_PORT" \
    --io-threads "$GATEWAY_IO_THREADS" --log-level warning \
    --nodes "[{\"name\":\"sim\",\"host\":\"127.0.0.1\",\"port\":$ORIGIN_PORT}]" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_for_port "$GATEWAY_PORT" gateway

mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes $NGINX_WORKERS;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream origin {
        server 127.0.0.1:$ORIGIN_PORT;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location /proxy2/sim/ {
            proxy_pass http://origin/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_max_temp_file_size 0;
        }
    }
}
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' \
    >"$WORK/nginx.log" 2>&1 &
PIDS+=($!)
wait_for_port "$NGINX_PORT" nginx

SMALL_PATH=/
LARGE_PATH='/api/kv/retrieve?bytes=1048576'

# One wrk run; prints "req/s p50 p90 p99" (latencies in microseconds).
measure() {
    local url=$1 duration=$2
    wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$duration" --latency "$url" | awk '
        function us(v) {
            if (v ~ /us$/) { sub(/us$/, "", v); return v + 0 }
            if (v ~ /ms$/) { sub(/ms$/, "", v); return v * 1000 }
            if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000000 }
            return v
        }
        /^ +50%/ { p50 = us($2) } /^ +90%/ { p90 = us($2) } /^ +99%/ { p99 = us($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx/ { bad = $NF }
        END { if (bad != "") { print "non-2xx responses: " bad > "/dev/stderr" }
              printf "%s %s %s %s\n", rps, p50, p90, p99 }'
}

echo "origin :$ORIGIN_PORT  gateway :$GATEWAY_PORT  nginx :$NGINX_PORT  ($CONNECTIONS connections," \
     "$WRK_THREADS wrk thread(s), $DURATION per run, $WARMUP warm-up; $(nproc) cores)"
printf '\n%-8s %-8s %12s %10s %10s %10s %10s\n' body target "req/s" "p50 µs" "p90 µs" "p99 µs" "vs direct"
for size in small 1MiB; do
    path=$SMALL_PATH
    [[ $size == 1MiB ]] && path=$LARGE_PATH
    declare -A URLS=(
        [direct]="http://127.0.0.1:$ORIGIN_PORT$path"
        [gateway]="http://127.0.0.1:$GATEWAY_PORT/proxy2/sim$path"
        [nginx]="http://127.0.0.1:$NGINX_PORT/proxy2/sim$path"
    )
    direct_rps=
    for target in direct gateway nginx; do
        measure "${URLS[$target]}" "$WARMUP" >/dev/null
        read -r rps p50 p90 p99 < <(measure "${URLS[$target]}" "$DURATION")
        [[ $target == direct ]] && direct_rps=$rps
        ratio=$(awk -v a="$rps" -v b="$direct_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        printf '%-8s %-8s %12.0f %10.0f %10.0f %10.0f %10s\n' "$size" "$target" "$rps" "$p50" "$p90" "$p99" "$ratio"
    done
done
