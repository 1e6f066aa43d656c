#!/usr/bin/env python3
"""Writes docs/options.md from the argument parser's own description of every command
(`tierbench --experimental-dump-help`), so the reference cannot drift from `--help`.

usage: gen-options.py TIERBENCH_BINARY [--check]
  without --check: rewrites docs/options.md next to this script
  with --check:    exits 1, naming the first difference, when docs/options.md is not what the
                   binary describes (the tests run this)
"""
import json
import os
import subprocess
import sys

HEADER = """# Every option of every command

Generated from the argument parser (`tierbench --experimental-dump-help`) by
`docs/gen-options.py`; do not edit by hand: run `make docs` after changing a flag or its help.
`tierbench COMMAND --help` prints the same. What the options mean in depth: [running.md](running.md)
(run), [job-files.md](job-files.md), [profiles.md](profiles.md) (expect, check), [zones.md](zones.md),
[history.md](history.md) (history, gate), [reports.md](reports.md) (report, Prometheus);
exit statuses in [errors.md](errors.md).
"""


def cell(text):
    return " ".join((text or "").split()).replace("|", "\\|")


def spelling(arg):
    names = arg.get("names") or []
    flags = []
    for n in names:
        flags.append(("--" if n["kind"] == "long" else "-") + n["name"])
    value = arg.get("valueName")
    if arg["kind"] == "positional":
        text = f"<{value}>"
    elif arg["kind"] == "option":
        text = ", ".join(f"`{f} <{value}>`" for f in flags)
        return text + (" (repeatable)" if arg.get("isRepeating") else "")
    else:
        text = ", ".join(f"`{f}`" for f in flags)
        return text
    return f"`{text}`" + (" ..." if arg.get("isRepeating") else "")


def command_section(cmd, path, out):
    if not cmd.get("shouldDisplay", True):
        return
    name = " ".join(path)
    if len(path) > 1 and cmd["commandName"] != "help":
        out.append(f"## `{name}`\n")
        if cmd.get("abstract"):
            out.append(cmd["abstract"].strip() + "\n")
        if cmd.get("discussion"):
            out.append(cmd["discussion"].strip() + "\n")
        rows = [a for a in cmd.get("arguments") or [] if a.get("shouldDisplay", True)
                and not (a["kind"] == "flag" and a.get("preferredName", {}).get("name") in ("help", "version"))]
        if rows:
            out.append("| argument | meaning |")
            out.append("|---|---|")
            for a in rows:
                meaning = cell(a.get("abstract"))
                if a.get("discussion"):
                    meaning += " " + cell(a["discussion"])
                if a.get("allValues"):
                    meaning += " One of: " + ", ".join(f"`{v}`" for v in a["allValues"]) + "."
                default = a.get("defaultValue")
                if default and a["kind"] != "flag":
                    meaning += f" Default: `{default}`."
                out.append(f"| {spelling(a)} | {meaning} |")
            out.append("")
    for sub in cmd.get("subcommands") or []:
        command_section(sub, path + [sub["commandName"]], out)


def render(binary):
    dump = subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout
    root = json.loads(dump)["command"]
    out = [HEADER]
    command_section(root, [root["commandName"]], out)
    return "\n".join(out).rstrip() + "\n"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    text = render(sys.argv[1])
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "options.md")
    if "--check" in sys.argv[2:]:
        current = open(target).read() if os.path.exists(target) else ""
        if current != text:
            want, have = text.split("\n"), current.split("\n")
            line = next((i for i in range(max(len(want), len(have)))
                         if i >= len(want) or i >= len(have) or want[i] != have[i]), 0)
            print(f"docs/options.md is out of date with the binary's --help (first difference at line {line + 1}); run `make docs`")
            sys.exit(1)
        return
    with open(target + ".tmp", "w") as f:
        f.write(text)
    os.replace(target + ".tmp", target)


main()
