#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ossfuzz_build.sh: builds every fuzz target the way OSS-Fuzz and
# ClusterFuzzLite expect (.clusterfuzzlite/build.sh calls it). Honours $CC,
# $CXX, $CFLAGS, $CXXFLAGS (sanitizers and -fsanitize=fuzzer-no-link),
# $LIB_FUZZING_ENGINE (the engine, linked into each target), $SRC and $OUT.
# Writes to $OUT, per target: <target>, <target>.dict, <target>.options and
# <target>_seed_corpus.zip (corpus/<target>/, flat). QEMUD_FUZZ_TARGETS
# narrows it to the targets it names.
# ci/fuzz_ossfuzz_local.sh runs it on this machine with those variables.
#
# The image that runs it (.clusterfuzzlite/Dockerfile, fuzz/oss-fuzz/Dockerfile)
# needs, besides base-builder's clang and python3, CMake >= 3.22 and these
# Debian/Ubuntu packages (a ctest, ossfuzz_draft, holds both Dockerfiles to
# this list):
# apt-packages: ninja-build rpcsvc-proto libtirpc-dev nlohmann-json3-dev
# The build is fuzz-only (QEMUD_BUILD_TESTS=OFF, QEMUD_BUILD_TOOLS=OFF): no
# Boost, no RapidCheck, no CLI11 (xdrc reads its own arguments then).
set -euo pipefail
: "${CC:?}" "${CXX:?}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
src=$(cd "$(dirname "$0")/.." && pwd -P)  # $SRC/<project> under OSS-Fuzz (-P: through a link, the checkout itself)
build=${WORK:-${SRC:-/tmp}}/qemud-ossfuzz-build

# The runner image has no libtirpc: each target finds the shared libraries
# it needs beyond libc and libstdc++ in $OUT/lib (rpath $ORIGIN/lib), and so
# do those libraries (libtirpc's GSS-API and Kerberos libraries): an
# old-style DT_RPATH (--disable-new-dtags) serves every library the target
# loads, where a DT_RUNPATH would serve only the target's own.
# (libtirpc.a does not work: linked statically, xdrmem_create calls through
# a null pointer.)
cmake -S "$src" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="${CFLAGS:-}" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
  -DQEMUD_ENABLE_FUZZING=ON -DQEMUD_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DCMAKE_EXE_LINKER_FLAGS='-Wl,-rpath,\$ORIGIN/lib -Wl,--disable-new-dtags' \
  -DQEMUD_BUILD_BENCH=OFF -DQEMUD_BUILD_TESTS=OFF -DQEMUD_BUILD_TOOLS=OFF
# Every target the build defines (qemud_add_fuzzer lists them), or those
# QEMUD_FUZZ_TARGETS names (space-separated; a quick check of one engine
# needs only one).
mapfile -t targets < "$build/fuzz/fuzz_targets.txt"
if [ -n "${QEMUD_FUZZ_TARGETS:-}" ]; then
  read -r -a wanted <<<"$QEMUD_FUZZ_TARGETS"
  for t in "${wanted[@]}"; do
    printf '%s\n' "${targets[@]}" | grep -qx -- "$t" || { echo "ossfuzz_build: QEMUD_FUZZ_TARGETS: no fuzz target '$t' (known: ${targets[*]})" >&2; exit 2; }
  done
  targets=("${wanted[@]}")
fi
cmake --build "$build" --target "${targets[@]}" -- -j"$(nproc)"

mkdir -p "$OUT/lib"
system='^(linux-vdso|libc|libm|libdl|librt|libpthread|libresolv|libstdc\+\+|libgcc_s|ld-linux.*)\.so'
ldd "$build/fuzz/${targets[0]}" | awk '$3 ~ /^\// {print $1, $3}' | while read -r name path; do
  [[ "$name" =~ $system ]] || cp -L "$path" "$OUT/lib/$name"
done
for t in "${targets[@]}"; do
  cp "$build/fuzz/$t" "$build/fuzz/$t.dict" "$build/fuzz/$t.options" "$OUT/"
  # python3's zipfile: no dependency on the zip tool.
  python3 - "$src/corpus/$t" "$OUT/${t}_seed_corpus.zip" <<'PY'
import pathlib, sys, zipfile
corpus, out = pathlib.Path(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(p for p in corpus.rglob("*") if p.is_file()):
        z.write(f, f.name)
PY
done
echo "ossfuzz_build: wrote ${targets[*]} (+ .dict, .options, _seed_corpus.zip) to $OUT"
