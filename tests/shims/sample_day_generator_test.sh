#!/usr/bin/env bash
# scripts/gen_sample_day.py is deterministic and the bundled data is its
# output: two runs write the same bytes, and those are the committed
# sample_day.jsonl, stock.tsv and sample_day_agents.jsonl.
#   sample_day_generator_test.sh SOURCE_DIR
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "sample_day_generator_test: $*" >&2; exit 1; }
for run in one two; do
  python3 "$src/scripts/gen_sample_day.py" --out-dir "$work/$run" >/dev/null || fail "the generator exited $?"
done
for file in sample_day.jsonl stock.tsv sample_day_agents.jsonl; do
  cmp -s "$work/one/$file" "$work/two/$file" || fail "$file differs between two runs"
  cmp -s "$work/one/$file" "$src/host_shims/c/data/$file" ||
    fail "host_shims/c/data/$file is not the generator's output: run scripts/gen_sample_day.py"
done
echo "sample_day_generator_test: ok"
