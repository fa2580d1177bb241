#!/bin/bash
# Measures the MP plugin's footprint: RSS 30 s after start (default 30 s interval), and CPU per heartbeat at a short
# interval. Starts a discovery jar and one simulated MP node on loopback; needs both jars built
# (mvn -pl discovery,agent -am package -DskipTests). Usage: agent/scripts/measure-plugin-footprint.sh [beats]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
beats="${1:-100}"
interval_ms=200
disc_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
java -Xmx64m -jar "$root/discovery/target/lmcache-discovery.jar" --host 127.0.0.1 --port "$disc_port" \
  --log-level warning >/dev/null 2>&1 & pids+=($!)
java -Xmx64m -jar "$root/agent/target/lmcache-agent.jar" simulate --host 127.0.0.1 --base-port "$node_port" \
  --log-level warning >/dev/null 2>&1 & pids+=($!)
sleep 3
config() {
  echo "{\"mp_config\":{},\"storage_manager_config\":{},\"obs_config\":{},\"http_config\":{\"http_host\":\"0.0.0.0\",\"http_port\":$node_port},\"runtime_plugin_extra_config\":{\"plugin.frontend.heartbeat-url\":\"http://127.0.0.1:$disc_port/lmcache_heartbeat\",\"plugin.frontend.heartbeat-interval\":\"$1\",\"plugin.frontend.log-level\":\"warning\"}}"
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

LMCACHE_RUNTIME_PLUGIN_CONFIG="$(config 30)" bash "$root/agent/plugin/lmcache_mp_frontend_plugin.sh" >/dev/null 2>&1 &
p=$!; pids+=($p)
sleep 30
echo "plugin RSS after 30 s (interval 30 s): $(ps -o rss= -p "$p" | tr -d ' ') KiB, CPU $(ticks "$p") ticks (startup)"
kill -TERM "$p"; wait "$p" || true

LMCACHE_RUNTIME_PLUGIN_CONFIG="$(config "${interval_ms}ms")" bash "$root/agent/plugin/lmcache_mp_frontend_plugin.sh" \
  >/dev/null 2>&1 &
p=$!; pids+=($p)
sleep 5
t0=$(ticks "$p")
sleep "$(python3 -c "print($beats * $interval_ms / 1000)")"
t1=$(ticks "$p")
python3 -c "t=($t1-$t0)/$hz; print(f'heartbeat CPU: {t:.2f} s over $beats beats at ${interval_ms} ms = {t/$beats*1000:.2f} ms per beat (version probe + heartbeat)')"
echo "plugin RSS after ${beats} fast beats: $(ps -o rss= -p "$p" | tr -d ' ') KiB"
