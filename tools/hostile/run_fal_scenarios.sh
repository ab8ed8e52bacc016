#!/usr/bin/env bash
# usage: run_fal_scenarios.sh /path/to/sora-batch.jar [SCENARIO...]
#   scenarios: selftest happy crosshost infer validation policy badkey transient dropped expiry failed kill9
#   (default: all). A .py target (fal_refclient.py) is run with python3 instead of java -jar: the harness's own
#   reference client, to check the checks.
# Runs the fal.ai hostile scenarios one after another (each product run in a fresh temp working directory,
# all servers on 127.0.0.1, every run killed after at most 180 s), prints PASS/FAIL lines with the evidence
# and a summary table; exits 1 if any check FAILs, 2 on bad usage.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 /path/to/sora-batch.jar [selftest happy crosshost infer validation policy badkey transient dropped expiry failed kill9]" >&2
  exit 2
fi
target="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; shift
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(selftest happy crosshost infer validation policy badkey transient dropped expiry failed kill9)
results="$(mktemp /tmp/hostile-fal-results.XXXXXX)"
export HOSTILE_RESULTS="$results" PYTHONDONTWRITEBYTECODE=1
t0=$(date +%s)
rest=()
for s in "${scenarios[@]}"; do
  if [ "$s" = selftest ]; then
    echo "=== fal server self-test (no product involved)"
    python3 "$here/fal_selftest.py" >/dev/null || python3 -c 'print("    (details: python3 tools/hostile/fal_selftest.py)")'
    awk -F'\t' '$2!="PASS" { print "FAIL " $1 ": " $3 }' "$results"
    echo "    self-test: $(awk -F'\t' '$2=="PASS"' "$results" | wc -l) PASS, $(awk -F'\t' '$2!="PASS"' "$results" | wc -l) FAIL"
  else
    rest+=("$s")
  fi
done
[ ${#rest[@]} -gt 0 ] && python3 "$here/fal_scenarios.py" "$target" "${rest[@]}"
echo
echo "===================== summary: $(basename "$target") ($(( $(date +%s) - t0 )) s) ====================="
awk -F'\t' '{ printf "%-34s %s  %s\n", $1, $2, substr($3, 1, 300) }' "$results"
pass=$(awk -F'\t' '$2=="PASS"' "$results" | wc -l); fail=$(awk -F'\t' '$2!="PASS"' "$results" | wc -l)
echo "---- $pass PASS, $fail FAIL"
rm -f "$results"
[ "$fail" -eq 0 ]
