#!/usr/bin/env bash
# step.sh TITLE COMMAND [ARG...]: print TITLE, run COMMAND, then print the seconds it took.
# The Makefile's `make demo` and installs announce each step this way, so a newcomer sees
# what is happening and which step takes the time (issue 16). When HEADROOM_T0 (a
# `date +%s%N` taken when make started) is set, the closing line also gives the total.
set -euo pipefail

title=$1
shift
# Bold on a terminal only: escape codes would litter a log file.
bold='' plain=''
if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; fi
started=$(date +%s%N)
printf '\n%s%s%s\n' "$bold" "$title" "$plain"
status=0
"$@" || status=$?
ended=$(date +%s%N)

# Tenths of a second, in integer arithmetic: bash has no floating point.
tenths() { printf '%d.%d' $(($1 / 1000000000)) $(($1 / 100000000 % 10)); }
line="$title: done in $(tenths $((ended - started))) s"
if ((status)); then line="$title: FAILED (exit $status) after $(tenths $((ended - started))) s"; fi
if [[ -n ${HEADROOM_T0:-} ]]; then
    line+=" (total $(tenths $((ended - HEADROOM_T0))) s)"
fi
printf '%s%s%s\n' "$bold" "$line" "$plain"
exit "$status"
