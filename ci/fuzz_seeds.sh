#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_seeds.sh: regenerates corpus/<target>/ of every fuzz target: the
# candidate seeds from the golden vectors (fuzz/seeds/make_seeds.py, and
# client_reply_seeds.py for client_reply_fuzzer) plus
# what corpus/<target>/ already holds (minimized finds), merged with
# libFuzzer's -merge=1 so only inputs that add coverage stay, smallest first.
# Builds the clang-fuzz preset in build-fuzz/ first. Run it after the golden
# vectors change (a new arm), then commit corpus/ with them.
#   ci/fuzz_seeds.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/lib/cli.sh
ci_fuzz_targets "$@"
targets=("$@")

cmake --preset clang-fuzz >/dev/null
# Every target the build defines (qemud_add_fuzzer lists them).
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < build-fuzz/fuzz/fuzz_targets.txt
cmake --build build-fuzz --target "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 fuzz/seeds/make_seeds.py golden "$work/candidates"
# The client's side has its own handmade conversations.
python3 fuzz/seeds/client_reply_seeds.py golden "$work/candidates/client_reply_fuzzer"
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "$work/merged/$t"
  before=$(find "corpus/$t" -type f | wc -l)
  build-fuzz/fuzz/"$t" -merge=1 -rss_limit_mb=2560 -timeout=25 \
    "$work/merged/$t" "corpus/$t" "$work/candidates/$t" >"$work/$t.log" 2>&1 ||
    { cat "$work/$t.log"; echo "fuzz_seeds: merge of $t failed"; exit 1; }
  rm -rf "corpus/$t"
  mv "$work/merged/$t" "corpus/$t"
  echo "fuzz_seeds: $t: $before -> $(find "corpus/$t" -type f | wc -l) files, $(du -sk "corpus/$t" | cut -f1) KiB"
done
