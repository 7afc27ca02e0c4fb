#!/bin/sh
# Prints the line and branch coverage of JaCoCo's CSV report (make test ends with these lines).
set -eu
csv=${1:-build/dist/coverage/jacoco.csv}
if [ ! -f "$csv" ]; then
    echo "coverage-summary: no JaCoCo report at $csv (run make test)" >&2
    exit 1
fi
# Columns: GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,LINE_MISSED,LINE_COVERED,...
awk -F, -v report="$(dirname "$csv")/index.html" '
    NR > 1 { bm += $6; bc += $7; lm += $8; lc += $9 }
    END {
        if (lm + lc == 0) { print "coverage-summary: the report counts no lines" > "/dev/stderr"; exit 1 }
        printf "line coverage:   %.1f%% (%d of %d lines)\n", 100 * lc / (lm + lc), lc, lm + lc
        printf "branch coverage: %.1f%% (%d of %d branches; report: %s)\n", (bm + bc) ? 100 * bc / (bm + bc) : 0, bc, bm + bc, report
    }' "$csv"
