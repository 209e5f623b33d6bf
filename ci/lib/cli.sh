# SPDX-License-Identifier: Apache-2.0
# cli.sh: what every ci/*.sh does with its command line. Sourced first
# thing (it sees the script's own arguments): -h/--help prints the
# script's header comment and exits 0 before any work; the helpers below
# turn a wrong argument into one line on stderr and exit 2.
ci_name=$(basename "$0" .sh)

# ci_help prints the header comment: every '#' line after the shebang and
# the SPDX line, up to the first line of code.
ci_help() {
  awk 'NR == 1 && /^#!/ { next } /SPDX-License-Identifier/ { next }
       /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

ci_usage_error() {
  echo "$ci_name: $* (see --help)" >&2
  exit 2
}

# ci_value OPTION "${2-}": the option's value, or exit 2 when it is missing.
ci_value() {
  [ -n "${2-}" ] && [ "${2:0:2}" != "--" ] || ci_usage_error "$1 needs a value"
  printf '%s' "$2"
}

# ci_fuzz_targets NAME...: exit 2 unless each is a target fuzz/CMakeLists.txt
# defines (read from the source, so nothing is built to know).
ci_fuzz_targets() {
  local known t
  known=$(sed -n 's/^qemud_add_fuzzer(\([a-z_]*\).*/\1/p' fuzz/CMakeLists.txt)
  for t in "$@"; do
    [ "${t:0:1}" != "-" ] || ci_usage_error "unknown option $t"
    grep -qx -- "$t" <<<"$known" || ci_usage_error "no fuzz target '$t' (known: $(echo $known))"
  done
}

for ci_arg in "$@"; do
  case "$ci_arg" in -h | --help) ci_help; exit 0 ;; esac
done
unset ci_arg
