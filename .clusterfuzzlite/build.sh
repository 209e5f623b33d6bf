#!/bin/bash -eu
# SPDX-License-Identifier: Apache-2.0
# ClusterFuzzLite / OSS-Fuzz build: everything is in fuzz/ossfuzz_build.sh.
exec bash "$SRC/qemud-harness/fuzz/ossfuzz_build.sh"
