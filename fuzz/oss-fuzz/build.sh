#!/bin/bash -eu
# SPDX-License-Identifier: Apache-2.0
# OSS-Fuzz build (draft): everything is in the project's
# fuzz/ossfuzz_build.sh, as for .clusterfuzzlite/build.sh.
exec bash "$SRC/qemud-harness/fuzz/ossfuzz_build.sh"
