#!/usr/bin/env bash
# Measures the HTML report of a 24-hour run: a result of 86,400 one-second intervals (made from a
# real 1-second run whose interval series is replaced by 86,400 synthetic ones, a one-interval
# spike and dip among them), then
#   - how long `tierbench report` takes and how large the page is;
#   - how long headless Chromium takes to open it: the page's own navigation clock (start to the
#     load event, after the drawing script ran), through Selenium, ROUNDS times; and the wall
#     time of a plain `chromium --headless --screenshot` of it (browser start included);
#   - how many points the IOPS line was drawn with, and whether the spike and dip are among them.
# Needs: chromium, chromium-driver, python3, and /opt/tierbench-venv with selenium and pillow
# (`make test-setup`). Environment: TIERBENCH (default: swift build -c release here), ROUNDS (5).
# Writes results/report-24h-<UTC>.md and prints it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/target.sh
source "$HERE/lib/target.sh"
ROUNDS=${ROUNDS:-5}
VENV=${VENV:-/opt/tierbench-venv}
bench_require python3 chromium chromedriver
[[ -x $VENV/bin/python ]] || bench_die "$VENV/bin/python is missing; run make test-setup"
bench_resolve_tierbench
bench_init_cleanup
tmp=$BENCH_TMP

head -c $((16 << 20)) /dev/urandom > "$tmp/t.dat"
"$TIERBENCH" run --target "$tmp/t.dat" --rw randread --bs 4k --iodepth 4 --runtime 1 --time-based \
    --output-format json --output "$tmp/real.json" --progress never
python3 - "$tmp/real.json" "$tmp/day.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
agg = doc["aggregates"][0]
series = []
for i in range(86400):
    iops = 1000.0 + (i % 97) + (i // 3600) * 5
    if i == 50000: iops = 99999.0
    if i == 70000: iops = 1.0
    series.append({"index": i, "start_ns": i * 10**9, "duration_ns": 10**9,
                   "read": {"ios": int(iops), "bytes": int(iops) * 4096, "iops": iops, "bandwidth_bytes_per_second": iops * 4096,
                            "lat_mean_ns": 250000.0 + (i % 13) * 1000, "lat_p99_ns": 900000 + (i % 31) * 1000}})
agg["intervals"] = series
for job in doc["jobs"]:
    job["intervals"] = series
json.dump(doc, open(sys.argv[2], "w"))
PY
json_size=$(stat -c %s "$tmp/day.json")

start=$(date +%s.%N)
"$TIERBENCH" report "$tmp/day.json" -o "$tmp/day.html"
report_s=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
html_size=$(stat -c %s "$tmp/day.html")

loads=()
for ((r = 1; r <= ROUNDS; r++)); do
    out=$("$VENV/bin/python" "$ROOT/Tests/browser/report_page.py" "$tmp/day.html" "$tmp/shot.png")
    loads+=("$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(round(d["load_ms"]))' "$out")")
    last=$out
done
drawn=$(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
c = [x for x in d["charts"] if x["id"].endswith("-iops")][0]["series"][0]
print("%d of %d points, min %g, max %g, console messages %d, requests %s" % (c["points"], c["total"], c["min"], c["max"], len(d["console"]), d["requests"]))' "$last")
start=$(date +%s.%N)
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" --window-size=1280,2000 --screenshot="$tmp/plain.png" "file://$tmp/day.html" >/dev/null 2>&1
plain_s=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
median=$(printf '%s\n' "${loads[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

mkdir -p "$HERE/results"
file="$HERE/results/report-24h-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "# HTML report of a 24-hour run (86,400 one-second intervals)"
    echo
    echo "- machine: $(nproc) CPUs, $(uname -sr); tierbench: $("$TIERBENCH" --version); $(chromium --version 2>/dev/null | head -1)"
    echo "- result JSON: $json_size bytes; \`tierbench report\`: $report_s s; page: $html_size bytes"
    echo "- Chromium, navigation start to load event (script done), $ROUNDS rounds: ${loads[*]} ms (median $median ms)"
    echo "- \`chromium --headless --screenshot\` wall time, browser start included: $plain_s s"
    echo "- IOPS line: $drawn"
} > "$file"
cat "$file"
