#!/usr/bin/env python3
"""Helpers for compare-fio.sh and alloc-growth.sh (standard library only).

  bench.py run STDOUT STDERR RUSAGE -- CMD...   run CMD, stdout/stderr to files; its user/sys CPU
                                                seconds (wait4 rusage: all threads, reaped children)
                                                and wall seconds to RUSAGE as JSON; exit as CMD did
  bench.py check tierbench|fio FILE             validate one result; print "IOPS IOS"
  bench.py report TITLE DIR ROUNDS              Markdown table for DIR/<round>-<tool>.{json,rusage}
  bench.py allocs COUNT2 JSON2 COUNT8 JSON8 LIMIT   alloc-growth summary; exit 1 above LIMIT
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


def tierbench_fields(path):
    d = load_json(path)
    job = d["jobs"][0]
    engine = job["engine"]["name"]
    if engine != "io_uring":
        die(f"{path}: tierbench used engine {engine!r}, not io_uring (notes: {job['engine'].get('notes')})")
    if d.get("failed") or job.get("failed") or d.get("interrupted"):
        die(f"{path}: tierbench run failed or was interrupted (first error: {job.get('first_error')})")
    read = job["read"]
    return float(read["iops"]), int(read["ios"])


def fio_fields(path):
    d = load_json(path)
    job = d["jobs"][0]
    if job.get("error"):
        die(f"{path}: fio job error {job['error']}")
    read = job["read"]
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


def cmd_allocs(args):
    c2, j2, c8, j8, limit = args
    m2, line2 = read_count(c2)
    m8, line8 = read_count(c8)
    _, ios2 = tierbench_fields(j2)
    _, ios8 = tierbench_fields(j8)
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


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    {"run": cmd_run, "check": cmd_check, "report": cmd_report, "allocs": cmd_allocs}.get(
        cmd, lambda _: die(__doc__))(args)


if __name__ == "__main__":
    main()
