# Sourced by the run scripts: start_fake_model PORT starts the fake model on PORT and sets $llm.
# By default the shared harness's fake (../shared/bench/fake-llm.mjs), whose judge keeps no memory.
# MEMORIES=1: bench/fake-llm-server.ts at the same pacing, whose judge keeps one memory of every
# turn, as the offline judge and real judges do: each turn also embeds and stores a memory, and
# recall has something to search from the player's second turn on.
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
