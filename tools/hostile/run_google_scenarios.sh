#!/usr/bin/env bash
# usage: run_google_scenarios.sh /path/to/sora-batch.jar [SCENARIO... | vertex | gemini]
#   scenarios: python3 tools/hostile/google_scenarios.py list   (default: all, about 7 minutes)
# Runs the Vertex AI and Gemini API hostile scenarios one after another against google_server.py (every listener on
# 127.0.0.1; each product run in a fresh /tmp/hostile-google-<scenario>-* directory, kept, with the console in
# .hostile-stdout*/.hostile-stderr* and every request the server got in google-requests.jsonl), prints PASS/FAIL
# lines with the evidence and a summary table; exits 1 if any check FAILs, 2 on bad usage.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 /path/to/sora-batch.jar [$(python3 "$here/google_scenarios.py" list) | vertex | gemini]" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "$0: openssl is needed (service-account key and JWT checks)" >&2; exit 2; }
target="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; shift
results="$(mktemp /tmp/hostile-google-results.XXXXXX)"
export HOSTILE_RESULTS="$results" PYTHONDONTWRITEBYTECODE=1
t0=$(date +%s)
python3 "$here/google_scenarios.py" "$target" "$@"
rc=$?
echo
echo "===================== summary: $(basename "$target") ($(( $(date +%s) - t0 )) s) ====================="
awk -F'\t' '{ printf "%-50s %s  %s\n", $1, $2, substr($3, 1, 240) }' "$results"
pass=$(awk -F'\t' '$2=="PASS"' "$results" | wc -l); fail=$(awk -F'\t' '$2!="PASS"' "$results" | wc -l)
echo "---- $pass PASS, $fail FAIL"
rm -f "$results"
[ "$rc" -eq 2 ] && exit 2
[ "$fail" -eq 0 ]
