#!/usr/bin/env bash
# usage: run_scenarios.sh /path/to/sora-batch.jar [SCENARIO...]   (scenarios A B C D E F G; default all)
# Runs each hostile scenario one after another (each product run in a fresh temp working directory,
# all servers on 127.0.0.1, every run killed after at most 180 s), prints PASS/FAIL lines with the
# evidence and a summary table; exits 1 if any check FAILs, 2 on bad usage.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 /path/to/sora-batch.jar [A B C D E F G]" >&2; exit 2
fi
jar="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; shift
scenarios=("$@"); [ ${#scenarios[@]} -eq 0 ] && scenarios=(A B C D E F G)
results="$(mktemp /tmp/hostile-results.XXXXXX)"
export HOSTILE_RESULTS="$results"
t0=$(date +%s)
for s in "${scenarios[@]}"; do
  python3 "$here/scenarios.py" "$jar" "$s"
done
echo
echo "===================== summary: $(basename "$jar") ($(( $(date +%s) - t0 )) s) ====================="
awk -F'\t' '{ printf "%-28s %s  %s\n", $1, $2, substr($3, 1, 300) }' "$results"
pass=$(awk -F'\t' '$2=="PASS"' "$results" | wc -l); fail=$(awk -F'\t' '$2!="PASS"' "$results" | wc -l)
echo "---- $pass PASS, $fail FAIL"
rm -f "$results"
[ "$fail" -eq 0 ]
