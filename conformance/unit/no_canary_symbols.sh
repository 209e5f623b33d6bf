#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# no_canary_symbols.sh --product FILE... --canary [FILE...]
# Fails if any symbol of a product file mentions "canary" (any case): the
# planted bugs of docs/DETECTION.md must never reach the product. Each
# product file must also have symbols at all (a stripped or empty file
# would pass vacuously), and each canary file must mention "canary" (the
# positive control: a check that cannot fail proves nothing). No canary
# file (QEMUD_CANARIES=OFF): the product half runs, then exit 77 (skipped).
set -u
mode=""
products=""
canaries=""
for arg in "$@"; do
    case "$arg" in
        --product) mode=product ;;
        --canary) mode=canary ;;
        *) if [ "$mode" = product ]; then products="$products $arg"; else canaries="$canaries $arg"; fi ;;
    esac
done
[ -n "$products" ] || { echo "no_canary_symbols: no --product file given" >&2; exit 2; }
status=0
for f in $products; do
    symbols=$(nm -C "$f" 2>/dev/null) || { echo "FAIL: nm cannot read $f"; status=1; continue; }
    if [ "$(printf '%s\n' "$symbols" | grep -c 'qemud::')" -lt 10 ]; then
        echo "FAIL: $f: fewer than 10 qemud:: symbols; is nm reading it?"
        status=1
    fi
    hits=$(printf '%s\n' "$symbols" | grep -i canary)
    if [ -n "$hits" ]; then
        echo "FAIL: $f (product) has canary symbols:"
        printf '%s\n' "$hits" | head -5
        status=1
    else
        echo "ok: $f has no canary symbol"
    fi
done
if [ -z "$canaries" ]; then
    [ "$status" -eq 0 ] || exit 1
    echo "SKIP: canary half: configure with -DQEMUD_CANARIES=ON to check the canary objects have them"
    exit 77
fi
for f in $canaries; do
    if nm -C "$f" 2>/dev/null | grep -qi canary; then
        echo "ok: $f (canary) has canary symbols"
    else
        echo "FAIL: $f (canary) has no canary symbol: the check could not see one"
        status=1
    fi
done
exit "$status"
