# Sourced by the run scripts: start_fake_model PORT starts the fake model on PORT and sets $llm.
# By default the shared harness's fake (../shared/bench/fake-llm.mjs), whose judge keeps no memory.
# MEMORIES=1: bench/fake-llm-server.ts at the same pacing, whose judge keeps one memory of every
# turn, as the offline judge and real judges do: each turn also embeds and stores a memory, and
# recall has something to search from the player's second turn on.
# The shared harness's pacing (200 ms to the first token, then 30 tokens 10 ms apart), unless set.
export FAKE_LLM_TTFT_MS=${FAKE_LLM_TTFT_MS:-200} FAKE_LLM_TOKENS=${FAKE_LLM_TOKENS:-30} FAKE_LLM_TOKEN_DELAY_MS=${FAKE_LLM_TOKEN_DELAY_MS:-10}
# The load generator's overhead is latency minus the model's time, which it computes from these:
# without them it assumes the defaults, and a run with other settings reports the difference as
# overhead. (mock-drama caps the narrator at 400 tokens and the judge at 800, so up to 400 chunks
# both calls take the fake's full time.)
fake_model_loadgen_args="--llm-ttft $FAKE_LLM_TTFT_MS --llm-tokens $FAKE_LLM_TOKENS --llm-token-delay $FAKE_LLM_TOKEN_DELAY_MS"

# bench_server_env PORT: mock-drama's settings for a benchmark, narrator and judge on the fake at
# PORT. Every player comes from one IP and plays as a guest, so per-user and per-IP limits are off.
bench_server_env() {
  export JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef LOG_LEVEL=${LOG_LEVEL:-warn}
  export MAX_SOCKETS_PER_USER=0 RATE_LIMIT_ACTIONS_PER_MINUTE=0 RATE_LIMIT_ACTIONS_PER_MINUTE_PER_IP=0 MAX_SESSIONS_PER_USER=0
  export NARRATOR_MODEL=compat:fake JUDGE_MODEL=compat:fake COMPAT_BASE_URL=http://127.0.0.1:$1/v1 COMPAT_API_KEY=x
}

start_fake_model() {
  local port=$1
  if [ -n "${MEMORIES:-}" ]; then
    node --import tsx "$proj/bench/fake-llm-server.ts" --port "$port" --first-token-ms "$FAKE_LLM_TTFT_MS" \
      --per-chunk-ms "$FAKE_LLM_TOKEN_DELAY_MS" --chunks "$FAKE_LLM_TOKENS" --dimensions 256 >/dev/null 2>&1 & llm=$!
  else
    node "$shared/fake-llm.mjs" --port "$port" >/dev/null 2>&1 & llm=$!
  fi
  for _ in $(seq 1 60); do curl -s -o /dev/null "localhost:$port" && return 0; sleep 0.25; done
}
