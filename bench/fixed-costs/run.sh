#!/usr/bin/env bash
# What a new player costs before their first turn, in one `serve` process and PostgreSQL: CPU per
# session start (POST /api/sessions) and per WebSocket open and close, from /proc, twice (the
# first round includes warm-up); then the CPU per request of each other kind a player makes or a
# polling client repeats (a guest token, an action accepted and one refused while a turn is queued,
# a task's status). Needs the local PostgreSQL and Redis; no worker, no model calls.
# Usage (project root): bash bench/fixed-costs/run.sh [sessions]   env: NODEARGS (e.g. --cpu-prof), ROUNDS (2; later rounds are warmer)
set -u
here=$(cd "$(dirname "$0")" && pwd); proj=$(cd "$here/../.." && pwd)
cd "$proj"
db=md_fixed_$$; psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db"
export REDIS_URL=redis://127.0.0.1:6379/9 REDIS_PREFIX=fx$$ DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db LOG_LEVEL=warn
export JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef MAX_SOCKETS_PER_USER=0 MAX_SESSIONS_PER_USER=0
export RATE_LIMIT_ACTIONS_PER_MINUTE=0 RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP=0
PORT=8391 node $(node bin/v8-flags.js) ${NODEARGS:-} bin/mock-drama.js serve >/dev/null 2>&1 & web=$!
for _ in $(seq 1 120); do curl -sf localhost:8391/healthz >/dev/null && break; sleep 0.5; done
pg=$(head -1 "$(psql -h 127.0.0.1 -U postgres -d postgres -Atc 'show data_directory')/postmaster.pid")
node "$here/measure.mjs" http://127.0.0.1:8391 "$web" "$pg" "${1:-300}" "${ROUNDS:-2}"
kill $web; sleep 1
psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database $db with (force)"
redis-cli -n 9 --scan --pattern "fx$$:*" | xargs -r -n 500 redis-cli -n 9 del >/dev/null
