#!/usr/bin/env python3
"""Helpers for compare-fio.sh, alloc-growth.sh and accuracy-fio.sh (standard library only).

  bench.py run STDOUT STDERR RUSAGE -- CMD...   run CMD, stdout/stderr to files; its user/sys CPU
                                                seconds (wait4 rusage: all threads, reaped children)
                                                and wall seconds to RUSAGE as JSON; exit as CMD did
  bench.py check tierbench|fio FILE             validate one result; print "IOPS IOS"
  bench.py report TITLE DIR ROUNDS              Markdown table for DIR/<round>-<tool>.{json,rusage}
  bench.py allocs COUNT2 CSV2 COUNT8 CSV8 LIMIT     alloc-growth summary; exit 1 above LIMIT
  bench.py metrics tierbench|fio FILE           validate one result; print its IOPS and latencies
  bench.py accuracy ROUNDS IOPS_TOL LAT_TOL DIR...  accuracy report (Markdown) for the workload
                                                directories DIR (see accuracy-fio.sh for their
                                                layout); exit 2 when a checked metric is out of
                                                tolerance (tolerances in percent)
"""
import json
import os
import statistics
import subprocess
import sys
import time


def die(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def load_json(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    start = text.find("{")  # fio may print notes before its JSON
    if start < 0:
        die(f"{path}: no JSON in the output")
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError as e:
        die(f"{path}: bad JSON: {e}")


def cmd_run(args):
    out, err, rusage_path, sep, *command = args
    if sep != "--" or not command:
        die("usage: bench.py run STDOUT STDERR RUSAGE -- CMD...")
    with open(out, "wb") as o, open(err, "wb") as e:
        started = time.monotonic()
        proc = subprocess.Popen(command, stdout=o, stderr=e)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    rc = proc.returncode
    with open(rusage_path, "w") as f:
        json.dump({"user": ru.ru_utime, "sys": ru.ru_stime, "wall": wall, "rc": rc,
                   "maxrss_kib": ru.ru_maxrss, "nvcsw": ru.ru_nvcsw, "nivcsw": ru.ru_nivcsw}, f)
    sys.exit(rc if rc >= 0 else 128 - rc)


def tierbench_job(path):
    d = load_json(path)
    job = d["jobs"][0]
    engine = job["engine"]["name"]
    if engine != "io_uring":
        die(f"{path}: tierbench used engine {engine!r}, not io_uring (notes: {job['engine'].get('notes')})")
    if d.get("failed") or job.get("failed") or d.get("interrupted"):
        die(f"{path}: tierbench run failed or was interrupted (first error: {job.get('first_error')})")
    return job


def fio_job(path):
    d = load_json(path)
    job = d["jobs"][0]
    if job.get("error"):
        die(f"{path}: fio job error {job['error']}")
    return job


def tierbench_fields(path):
    read = tierbench_job(path)["read"]
    return float(read["iops"]), int(read["ios"])


def fio_fields(path):
    read = fio_job(path)["read"]
    return float(read["iops"]), int(read["total_ios"])


FIELDS = {"tierbench": tierbench_fields, "fio": fio_fields}


def cmd_check(args):
    tool, path = args
    iops, ios = FIELDS[tool](path)
    if ios <= 0:
        die(f"{path}: {tool} did no reads")
    print(f"{iops:.0f} {ios}")


def fmt_int(x):
    return f"{x:,.0f}"


def cmd_report(args):
    title, directory, rounds = args[0], args[1], int(args[2])
    tools = ("tierbench", "fio")
    data = {tool: {"iops": [], "cpu": [], "eff": []} for tool in tools}
    lines = [f"### {title}", "",
             "| round | tierbench IOPS | fio IOPS | tierbench CPU s (user+sys) | fio CPU s (user+sys) "
             "| tierbench IOPS/CPU-s | fio IOPS/CPU-s |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in range(1, rounds + 1):
        cells = {}
        for tool in tools:
            iops, ios = FIELDS[tool](os.path.join(directory, f"{r}-{tool}.json"))
            with open(os.path.join(directory, f"{r}-{tool}.rusage")) as f:
                ru = json.load(f)
            cpu = ru["user"] + ru["sys"]
            eff = ios / cpu if cpu > 0 else float("nan")
            for key, value in (("iops", iops), ("cpu", cpu), ("eff", eff)):
                data[tool][key].append(value)
            cells[tool] = (fmt_int(iops), f"{cpu:.2f} ({ru['user']:.2f}+{ru['sys']:.2f})", fmt_int(eff))
        lines.append(f"| {r} | " + " | ".join(cells[t][k] for k in range(3) for t in tools) + " |")
    med = {tool: {k: statistics.median(v) for k, v in d.items()} for tool, d in data.items()}
    lines.append(f"| **median** | **{fmt_int(med['tierbench']['iops'])}** | **{fmt_int(med['fio']['iops'])}** "
                 f"| {med['tierbench']['cpu']:.2f} | {med['fio']['cpu']:.2f} "
                 f"| **{fmt_int(med['tierbench']['eff'])}** | **{fmt_int(med['fio']['eff'])}** |")
    lines.append("")
    lo_hi = {t: f"{fmt_int(min(d['iops']))} to {fmt_int(max(d['iops']))}" for t, d in data.items()}
    lines.append(f"- ratio tierbench/fio of median IOPS: **{med['tierbench']['iops'] / med['fio']['iops']:.3f}**")
    lines.append(f"- ratio tierbench/fio of median IOPS per CPU-second: "
                 f"**{med['tierbench']['eff'] / med['fio']['eff']:.3f}**")
    lines.append(f"- IOPS range over rounds: tierbench {lo_hi['tierbench']}; fio {lo_hi['fio']}")
    lines.append("")
    print("\n".join(lines))


def read_count(path):
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    if len(lines) != 1:
        die(f"{path}: expected one 'mallocs=' line (one process), found {len(lines)}: {lines}")
    fields = dict(kv.split("=", 1) for kv in lines[0].split())
    return int(fields["mallocs"]), lines[0]


def csv_ios(path):
    """I/Os of a tierbench --output-format csv run: the ios column summed over clone 0's rows."""
    import csv
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["clone"] == "0"]
    if not rows:
        die(f"{path}: no interval rows")
    return sum(int(r["ios"]) for r in rows)


def cmd_allocs(args):
    c2, j2, c8, j8, limit = args
    m2, line2 = read_count(c2)
    m8, line8 = read_count(c8)
    ios2 = csv_ios(j2)
    ios8 = csv_ios(j8)
    print(f"short run: {line2}")
    print(f"long run:  {line8}")
    print(f"short run: mallocs={m2} ios={ios2} mallocs/io={m2 / ios2:.6f}")
    print(f"long run:  mallocs={m8} ios={ios8} mallocs/io={m8 / ios8:.6f}")
    if ios8 <= ios2:
        die(f"the long run did no more I/Os than the short one ({ios8} <= {ios2})")
    per_io = (m8 - m2) / (ios8 - ios2)
    print(f"difference: mallocs {m8 - m2:+d} over ios {ios8 - ios2:+d}: {per_io:.6f} allocations per I/O "
          f"(limit {float(limit)})")
    if per_io > float(limit):
        print("FAIL: the allocation count grows with the run's length", file=sys.stderr)
        sys.exit(1)
    print("PASS: no allocation growth with run length")


# ---- accuracy-fio.sh ----------------------------------------------------------------------------
#
# A workload directory holds: meta (lines key=value: title, iodepth, variants = the run names,
# space-separated, "tierbench" and "fio" among them), <variant>.cmd (the command line, one line),
# <round>.order (the variants in the order they ran that round) and <round>-<variant>.json.
# Variants: "tierbench" (its defaults), "tierbench-b1" (--iodepth-batch 1), "fio" (its defaults),
# "fio-reapall" (--iodepth_batch_complete_max=iodepth: fio takes every completion available at
# once, as tierbench does), "fio-huge" (--iomem=shmhuge: fio's buffers in huge pages, physically
# contiguous as tierbench's large buffers). tierbench and fio are the pair under test; a tierbench-* variant is
# compared with fio, a fio-* variant with tierbench.

# key, label, kind: "iops" and "lat" are checked against their tolerance, None is context only.
ACC_METRICS = [
    ("iops", "IOPS", "iops"),
    ("clat_p50", "clat p50 (µs)", "lat"),
    ("clat_p99", "clat p99 (µs)", "lat"),
    ("lat_p50", "lat p50 (µs)", None),
    ("lat_p99", "lat p99 (µs)", None),
    ("slat_mean", "slat mean (µs)", None),
    ("clat_mean", "clat mean (µs)", None),
    ("lat_mean", "lat mean (µs)", None),
    ("inflight", "lat mean × IOPS (I/Os)", None),
]
ACC_CHECKED = [m for m in ACC_METRICS if m[2]]


def acc_label(variant, iodepth):
    return {"tierbench": "tierbench", "fio": "fio", "tierbench-b1": "tierbench --iodepth-batch 1",
            "fio-reapall": f"fio --iodepth_batch_complete_max={iodepth}",
            "fio-huge": "fio --iomem=shmhuge"}.get(variant, variant)


def tierbench_metrics(path):
    read = tierbench_job(path)["read"]

    def pct(stat, p):
        for entry in read[stat]["percentiles"]:
            if abs(float(entry["percentile"]) - p) < 1e-9:
                return float(entry["value_ns"])
        die(f"{path}: no {p:g}th percentile in read.{stat}.percentiles")

    return {"iops": float(read["iops"]), "ios": int(read["ios"]),
            "clat_p50": pct("clat_ns", 50), "clat_p99": pct("clat_ns", 99),
            "lat_p50": pct("lat_ns", 50), "lat_p99": pct("lat_ns", 99),
            "slat_mean": float(read["slat_ns"]["mean"]), "clat_mean": float(read["clat_ns"]["mean"]),
            "lat_mean": float(read["lat_ns"]["mean"])}


def fio_metrics(path):
    read = fio_job(path)["read"]

    def pct(stat, p):
        table = read[stat].get("percentile")
        if not table:
            die(f"{path}: no read.{stat}.percentile (lat_ns needs --lat_percentiles=1)")
        key = f"{p:f}"
        if key not in table:
            die(f"{path}: no {key} in read.{stat}.percentile")
        return float(table[key])

    return {"iops": float(read["iops"]), "ios": int(read["total_ios"]),
            "clat_p50": pct("clat_ns", 50), "clat_p99": pct("clat_ns", 99),
            "lat_p50": pct("lat_ns", 50), "lat_p99": pct("lat_ns", 99),
            "slat_mean": float(read["slat_ns"]["mean"]), "clat_mean": float(read["clat_ns"]["mean"]),
            "lat_mean": float(read["lat_ns"]["mean"])}


def variant_metrics(variant, path):
    m = fio_metrics(path) if variant.startswith("fio") else tierbench_metrics(path)
    if m["ios"] <= 0:
        die(f"{path}: {variant} did no reads")
    # Little's law: the mean number of I/Os between "prepared" and "completed" in the tool's own
    # accounting; equals iodepth when lat covers all the time a slot is in use.
    m["inflight"] = m["lat_mean"] * m["iops"] / 1e9
    return m


def fmt_metric(key, value):
    if value != value:  # nan
        return "n/a"
    if key == "iops":
        return f"{value:,.0f}"
    if key == "inflight":
        return f"{value:.1f}"
    return f"{value / 1000:,.1f}"


def cmd_metrics(args):
    variant, path = args
    m = variant_metrics(variant, path)
    print(f"IOPS {m['iops']:,.0f}; clat p50 {m['clat_p50'] / 1000:.1f} µs, p99 {m['clat_p99'] / 1000:.1f} µs; "
          f"lat p50 {m['lat_p50'] / 1000:.1f} µs, p99 {m['lat_p99'] / 1000:.1f} µs; "
          f"slat mean {m['slat_mean'] / 1000:.1f} µs; lat mean × IOPS {m['inflight']:.1f}")


def read_meta(directory):
    meta = {}
    with open(os.path.join(directory, "meta")) as f:
        for line in f:
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                meta[key] = value
    meta["variants"] = meta["variants"].split()
    meta["iodepth"] = int(meta["iodepth"])
    for required in ("tierbench", "fio"):
        if required not in meta["variants"]:
            die(f"{directory}/meta: variants lack {required}")
    return meta


def load_workload(directory, rounds):
    meta = read_meta(directory)
    runs = []  # (round, position, variant, metrics), in the order they ran
    per = {v: {k: [] for k, _, _ in ACC_METRICS} for v in meta["variants"]}
    for r in range(1, rounds + 1):
        with open(os.path.join(directory, f"{r}.order")) as f:
            order = f.read().split()
        for pos, variant in enumerate(order, 1):
            m = variant_metrics(variant, os.path.join(directory, f"{r}-{variant}.json"))
            runs.append((r, pos, variant, m))
            for key, _, _ in ACC_METRICS:
                per[variant][key].append(m[key])
    med = {v: {k: statistics.median(vals) for k, vals in d.items()} for v, d in per.items()}
    spread = {v: {k: (max(vals) - min(vals)) / statistics.median(vals) if statistics.median(vals) else 0.0
                  for k, vals in d.items()} for v, d in per.items()}
    cmds = {}
    for v in meta["variants"]:
        with open(os.path.join(directory, f"{v}.cmd")) as f:
            cmds[v] = f.read().strip()
    engine = tierbench_job(os.path.join(directory, "1-tierbench.json"))["engine"]
    return {"meta": meta, "runs": runs, "per": per, "med": med, "spread": spread, "cmds": cmds, "engine": engine}


def pair(variant):
    """(tierbench side, fio side) of the comparison a variant's column shows."""
    return ("tierbench", variant) if variant.startswith("fio") else (variant, "fio")


def cmd_accuracy(args):
    rounds, iops_tol, lat_tol, dirs = int(args[0]), float(args[1]), float(args[2]), args[3:]
    tol = {"iops": iops_tol, "lat": lat_tol}
    workloads = [load_workload(d, rounds) for d in dirs]

    def ratio(w, tb, fio, key):
        base = w["med"][fio][key]
        return w["med"][tb][key] / base if base else float("nan")

    def within(w, tb, fio, key, kind):
        r = ratio(w, tb, fio, key)
        return r == r and abs(r - 1) <= tol[kind] / 100 + 1e-12

    def noisy(w, variants, key, kind):
        return max(w["spread"][v][key] for v in variants) > tol[kind] / 100

    def mark(w, tb, fio, key, kind):
        r = ratio(w, tb, fio, key)
        return f"{r:.3f}" if within(w, tb, fio, key, kind) else f"**{r:.3f}**"

    extras_all = []
    for w in workloads:
        for v in w["meta"]["variants"]:
            if v not in ("tierbench", "fio") and v not in extras_all:
                extras_all.append(v)
    extra_titles = {"tierbench-b1": "tierbench `--iodepth-batch 1` ÷ fio",
                    "fio-reapall": "tierbench ÷ fio `--iodepth_batch_complete_max=`QD",
                    "fio-huge": "tierbench ÷ fio `--iomem=shmhuge`"}

    failed = []
    out = ["## Summary", "",
           f"Ratios of medians over {rounds} rounds, tierbench ÷ fio, both with their defaults. **Checked**: IOPS "
           f"within ±{iops_tol:g}%, clat p50 and p99 within ±{lat_tol:g}%. With more than one I/O in flight, two "
           "more comparisons (not checked) show where a difference comes from: tierbench submitting one I/O "
           "per io_uring_enter as fio does, and fio taking every available completion at once as tierbench "
           "does. Those cells read IOPS, clat p50, clat p99; bold is outside the tolerance.", ""]
    head = ["workload", "IOPS", "clat p50", "clat p99", "all within"] + [extra_titles.get(v, v) for v in extras_all]
    out += ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|:---:|" + "---:|" * len(extras_all)]
    for w in workloads:
        ok = all(within(w, "tierbench", "fio", k, kind) for k, _, kind in ACC_CHECKED)
        if not ok:
            failed.append(w["meta"]["title"])
        row = [w["meta"]["title"]]
        for k, _, kind in ACC_CHECKED:
            r = ratio(w, "tierbench", "fio", k)
            row.append(f"{r:.3f} " + ("yes" if within(w, "tierbench", "fio", k, kind) else "**NO**"))
        row.append("yes" if ok else "**NO**")
        for v in extras_all:
            if v in w["meta"]["variants"]:
                tb, fio = pair(v)
                row.append(" / ".join(mark(w, tb, fio, k, kind) for k, _, kind in ACC_CHECKED))
            else:
                row.append("–")
        out.append("| " + " | ".join(row) + " |")
    out += ["", f"**Verdict: {'PASS' if not failed else 'FAIL'}**"
            + ("" if not failed else f" (out of tolerance: {'; '.join(failed)})"), ""]

    for w in workloads:
        meta, variants, qd = w["meta"], w["meta"]["variants"], w["meta"]["iodepth"]
        extra = [v for v in variants if v not in ("tierbench", "fio")]
        out += [f"## {meta['title']}", ""]
        head = ["metric", "tolerance", "tierbench median", "fio median", "tierbench ÷ fio", "within"]
        for v in extra:
            tb, fio = pair(v)
            head += [f"{acc_label(v, qd)} median", f"{acc_label(tb, qd)} ÷ {acc_label(fio, qd)}", "within"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---", "---:", "---:", "---:", "---:", ":---:"] + ["---:", "---:", ":---:"] * len(extra)) + "|")
        for key, label, kind in ACC_METRICS:
            row = [label if kind else f"*{label}*", f"±{tol[kind]:g}%" if kind else "context",
                   fmt_metric(key, w["med"]["tierbench"][key]), fmt_metric(key, w["med"]["fio"][key]),
                   f"{ratio(w, 'tierbench', 'fio', key):.3f}",
                   ("yes" if within(w, "tierbench", "fio", key, kind) else "**NO**") if kind else "–"]
            for v in extra:
                tb, fio = pair(v)
                row += [fmt_metric(key, w["med"][v][key]), f"{ratio(w, tb, fio, key):.3f}",
                        ("yes" if within(w, tb, fio, key, kind) else "**NO**") if kind else "–"]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
        spreads = []
        for v in variants:
            s = w["spread"][v]
            spreads.append(f"{acc_label(v, qd)}: IOPS {s['iops']:.1%}, clat p50 {s['clat_p50']:.1%}, "
                           f"clat p99 {s['clat_p99']:.1%}")
        out += ["Round-to-round spread, (max − min) ÷ median: " + "; ".join(spreads) + ".", ""]
        out += ["<details><summary>Every run, in the order they ran (latencies in µs)</summary>", "",
                "| round | # | run | IOPS | clat p50 | clat p99 | lat p50 | lat p99 | slat mean | clat mean | lat mean | lat mean × IOPS |",
                "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r, pos, v, m in w["runs"]:
            out.append(f"| {r} | {pos} | {acc_label(v, qd)} | " + " | ".join(
                fmt_metric(k, m[k]) for k in ("iops", "clat_p50", "clat_p99", "lat_p50", "lat_p99",
                                              "slat_mean", "clat_mean", "lat_mean", "inflight")) + " |")
        out += ["", "</details>", "", "Commands:", ""]
        for v in variants:
            out.append(f"    {w['cmds'][v]}")
        e = w["engine"]
        yes_no = {True: "yes", False: "no"}
        out += ["", f"tierbench's engine (round 1): {e.get('name')}, registered buffers "
                f"{yes_no.get(e.get('registered_buffers'), '?')}, registered file {yes_no.get(e.get('registered_file'), '?')}, "
                f"ring flags {e.get('ring_flags', '?')}" + (f"; notes: {'; '.join(e['notes'])}" if e.get("notes") else "")
                + f". fio: registered buffers {'yes' if '--fixedbufs=1' in w['cmds']['fio'] else 'no'}, "
                f"registered file {'yes' if '--registerfiles=1' in w['cmds']['fio'] else 'no'}.", ""]

    out += ["## Notes", ""]
    notes = []
    for w in workloads:
        meta, qd = w["meta"], w["meta"]["iodepth"]
        for key, label, kind in ACC_CHECKED:
            if within(w, "tierbench", "fio", key, kind):
                continue
            r = ratio(w, "tierbench", "fio", key)
            tb_vals, fio_vals = w["per"]["tierbench"][key], w["per"]["fio"][key]
            higher = sum(1 for a, b in zip(tb_vals, fio_vals) if a > b)
            text = (f"- **{meta['title']}, {label}**: tierbench {fmt_metric(key, w['med']['tierbench'][key])} "
                    f"vs fio {fmt_metric(key, w['med']['fio'][key])} (ratio {r:.3f}, tolerance ±{tol[kind]:g}%); "
                    f"tierbench was higher in {higher} of {len(tb_vals)} rounds.")
            if noisy(w, ("tierbench", "fio"), key, kind):
                noise = max(w["spread"]["tierbench"][key], w["spread"]["fio"][key])
                text += (f" Each tool's own rounds differ by up to {noise:.0%}, more than the tolerance: the "
                         "machine was not quiet enough to decide this one; rerun on a quiet machine.")
            for v, what, cause in (
                    ("tierbench-b1", "tierbench `--iodepth-batch 1` (one io_uring_enter per I/O, as fio submits)",
                     "batched submission, which changes the workload (fewer syscalls and device "
                     "notifications per I/O), not the measurement"),
                    ("fio-reapall", f"fio `--iodepth_batch_complete_max={qd}` (every available completion "
                     "at once, as tierbench reaps)",
                     "when each tool timestamps a completion (see the reaping note), not what the device did"),
                    ("fio-huge", "fio `--iomem=shmhuge` (I/O buffers in huge pages, physically contiguous as "
                     "tierbench's large buffers are)",
                     "buffer memory: a large block in scattered 4 KiB pages exceeds the device's segment limit "
                     "and is split into several requests (see the buffer note), not the measurement")):
                if v not in meta["variants"]:
                    continue
                tb, fio = pair(v)
                rv = ratio(w, tb, fio, key)
                ok = within(w, tb, fio, key, kind)
                text += f" {acc_label(tb, qd)} ÷ {acc_label(fio, qd)}: {rv:.3f}"
                if ok and not noisy(w, (tb, fio), key, kind):
                    text += f", within tolerance and steady over the rounds: the gap comes from {cause}."
                elif ok:
                    text += ", within tolerance, but those runs were too noisy to conclude."
                else:
                    text += ", also outside the tolerance."
            notes.append(text)
    if not notes:
        notes.append("- Every checked metric is within tolerance.")
    notes += [
        "- Clock points. Both tools read the clock once after each io_uring_enter that submits (the I/Os it "
        "submitted get that issue time) and once after each reap (the completions it took get that "
        "completion time); clat is completion − issue. With one I/O in flight they time the same interval.",
        "- Reaping (QD > 1). fio's default `iodepth_batch_complete_max` is `iodepth_batch_complete_min`, 1: "
        "once the queue is full it takes one completion per reap, handles it and submits its replacement, "
        "then takes the next. Completions that arrive meanwhile wait in the completion queue, and that "
        "wait is in fio's clat. tierbench takes every available completion at once and gives them one "
        "timestamp, closer to when the device finished; the wait for the tool to resubmit is then spent "
        "with the slot free, counted in no I/O. That shows in *lat mean × IOPS* (Little's law): fio's "
        "equals iodepth, tierbench's is lower by the I/Os waiting to be resubmitted. The gap grows with "
        "the tool's CPU time per I/O and the number of completions taken per reap: large at ~10^5 IOPS "
        "on few CPUs, negligible for a device with millisecond latencies. fio with "
        "`--iodepth_batch_complete_max=iodepth` reaps like tierbench and reports the same clat.",
        "- Submission (QD > 1). tierbench submits up to 4 I/Os per io_uring_enter by default "
        "(`--iodepth-batch`), fio one (`iodepth_batch_submit=1`). Batches cost fewer syscalls and "
        "device notifications; every I/O of a batch gets the issue time after the one io_uring_enter.",
        "- slat and lat start at different points and are context only: fio reads the clock per I/O "
        "after preparing it; tierbench uses its previous clock read (after the last reap or the previous "
        "submit), so its slat also covers preparing every I/O of its batch and submitting them all.",
        "- Engine options: tierbench registers its buffers and the file with the ring when it can; fio does "
        "not by default (`--fixedbufs=1 --registerfiles=1`, given after `--ioengine`). Unregistered "
        "O_DIRECT buffers are pinned per I/O at submission, which shows in fio's slat, most for large blocks.",
    ]
    out += notes + [""]
    print("\n".join(out))
    sys.exit(2 if failed else 0)


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    {"run": cmd_run, "check": cmd_check, "report": cmd_report, "allocs": cmd_allocs,
     "metrics": cmd_metrics, "accuracy": cmd_accuracy}.get(
        cmd, lambda _: die(__doc__))(args)


if __name__ == "__main__":
    main()
