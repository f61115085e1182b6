#!/usr/bin/env bash
# Starts the action server (loopback only) and then the Rasa server and the web
# page, or `rasa shell`. Called by `make run` / `make shell`; stops all on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-server}"
RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
BIND="${BIND:-127.0.0.1}"
WEB_PORT="${WEB_PORT:-8080}"
# The website's origins: the only pages whose widget may open the chat socket.
export WEB_ORIGINS="${WEB_ORIGINS:-http://localhost:${WEB_PORT},http://127.0.0.1:${WEB_PORT}}"
MODEL="${MODEL:-models/bfs-assistant.tar.gz}"
BIN=.venv/bin
LOGS="${LOGS:-logs}"
# No usage data or crash reports (which can quote a message) leave the machine.
export RASA_TELEMETRY_ENABLED="${RASA_TELEMETRY_ENABLED:-false}"
mkdir -p "$LOGS"

SHELL_PORT="${SHELL_PORT:-5006}"
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
action_server_up() { curl -fs "http://127.0.0.1:${ACTION_PORT}/health" > /dev/null 2>&1; }

# `make shell` next to a running `make run` reuses its action server.
reuse_actions=no
if [ "$MODE" = shell ] && action_server_up; then reuse_actions=yes; fi
ports="$([ $reuse_actions = no ] && echo "$ACTION_PORT") $([ "$MODE" = server ] && echo "$RASA_PORT $WEB_PORT" || echo "$SHELL_PORT")"
for port in $ports; do
  if port_busy "$port"; then
    echo "error: port $port is already in use (another 'make run'?). Stop it, or choose other ports: make run RASA_PORT=5006 ACTION_PORT=5056 WEB_PORT=8081" >&2
    exit 1
  fi
done

# Endpoints (action server port, tracker store) and the channels whose
# environment variables are set (one line for each one left out).
export ACTION_PORT
endpoints=$(mktemp --suffix=.yml)
"$BIN/python" -m deploy.config endpoints.yml > "$endpoints"
credentials=$(mktemp --suffix=.yml)
"$BIN/python" -m deploy.config credentials.yml > "$credentials"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$endpoints" "$credentials"
}
trap cleanup EXIT INT TERM

if [ $reuse_actions = yes ]; then
  echo "==> Using the action server already running on 127.0.0.1:${ACTION_PORT}"
else
  echo "==> Starting the action server on 127.0.0.1:${ACTION_PORT} (log: $LOGS/actions.log)"
  # The action server checks no token, so it only listens on loopback.
  SANIC_HOST=127.0.0.1 "$BIN/rasa" run actions --actions actions --port "$ACTION_PORT" >> "$LOGS/actions.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do
    action_server_up && break
    kill -0 "${pids[0]}" 2>/dev/null || { echo "error: the action server stopped; see $LOGS/actions.log" >&2; tail -20 "$LOGS/actions.log" >&2; exit 1; }
    sleep 1
  done
fi

if [ "$MODE" = shell ]; then
  "$BIN/rasa" shell --model "$MODEL" --endpoints "$endpoints" --port "$SHELL_PORT"
  exit $?
fi

# Rasa's HTTP API (trackers, model, ...) only with a token or a JWT secret.
api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
  echo "==> HTTP API on, protected by the token in RASA_API_TOKEN"
elif [ -n "${RASA_JWT_SECRET:-}" ]; then
  api_args=(--enable-api --jwt-secret "$RASA_JWT_SECRET" --jwt-method "${RASA_JWT_METHOD:-HS256}")
  echo "==> HTTP API on, protected by JWTs signed with RASA_JWT_SECRET"
else
  echo "==> HTTP API off (set RASA_API_TOKEN or RASA_JWT_SECRET to turn it on)"
fi

mkdir -p var
echo "==> Starting the Rasa server on ${BIND}:${RASA_PORT} (loading the model takes 20-30 s)"
"$BIN/rasa" run --model "$MODEL" --endpoints "$endpoints" --credentials "$credentials" \
  --interface "$BIND" --port "$RASA_PORT" "${api_args[@]}" &
pids+=($!)

echo "==> Starting the web page on http://${BIND}:${WEB_PORT} (log: $LOGS/web.log)"
"$BIN/python" -m web.app --host "$BIND" --port "$WEB_PORT" --rasa-port "$RASA_PORT" >> "$LOGS/web.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:${RASA_PORT}/webhooks/rest/" > /dev/null 2>&1; then
    cat <<MSG

  The assistant is ready. Talk to it:
    - Browser: http://localhost:${WEB_PORT}
    - REST:  curl -s localhost:${RASA_PORT}/webhooks/rest/webhook -d '{"sender":"me","message":"how is BFS different from ALS?"}'
    - Terminal: make shell (in another terminal)
  Press Ctrl-C to stop.

MSG
    break
  fi
  kill -0 "${pids[-2]}" 2>/dev/null || { echo "error: the Rasa server stopped (see the messages above)" >&2; exit 1; }
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "error: the web page server stopped; see $LOGS/web.log" >&2; tail -20 "$LOGS/web.log" >&2; exit 1; }
  sleep 1
done

wait -n "${pids[@]}"
