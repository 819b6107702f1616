#!/usr/bin/env bash
# Runs every cargo-fuzz target of klavi-rs in turn and prints one line per target with its
# executions. Usage: fuzz/run-all.sh [SECONDS_PER_TARGET] [TARGET...]   (default 600 s, all)
# Needs a nightly toolchain and cargo-fuzz (see fuzz/README.md). The corpora grow in
# fuzz/corpus/TARGET; crashes land in fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(message tax_id webhook_signature jsonl docs_block redirect_query report)
fi
cargo run -q -p klavi-tests --bin fuzz-seeds
(cd fuzz && cargo +nightly fuzz build -O)
mkdir -p fuzz/logs
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  log="fuzz/logs/$target.log"
  status=0
  (cd fuzz && cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=65536 \
    -timeout=10 -print_final_stats=1) >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  echo "$target: ${runs:-?} executions in ${seconds} s, exit status ${status} (log: $log)"
done
