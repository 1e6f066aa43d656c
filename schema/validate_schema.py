#!/usr/bin/python3
"""Validates tierbench's JSON output against schema/tierbench-1.schema.json (used by
Tests/CLITests/SchemaTests.swift; kept here, not in the test target, so SwiftPM sees no unhandled file).

usage: validate_schema.py SCHEMA FILE...

A FILE ending in .jsonl is JSON Lines (every non-empty line one document); any other FILE is one
JSON document. Besides the schema, a document must be strict JSON: no duplicate keys in an
object and no NaN/Infinity tokens. Prints one "ok" line per file, or the problems found (file,
line, JSON path, message; at most 20 per document) and exits 1. Exits 2 when the schema itself is
not valid draft 2020-12 or a file cannot be read. Needs the jsonschema module (Debian: python3-jsonschema).
"""
import json
import sys

import jsonschema


class StrictJSONError(ValueError):
    pass


def no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise StrictJSONError(f"duplicate key {key!r} in one object")
        obj[key] = value
    return obj


def no_constants(token):
    raise StrictJSONError(f"non-standard JSON value {token}")


def parse(text):
    return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)


def json_path(error):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def about_type(error):
    """Whether an error is about the record's `type` (the top-level discriminator)."""
    if error.validator == "required":
        return error.message.startswith("'type' ")
    if error.validator == "not":
        return True  # the plain document's "no `type` key"
    return len(error.path) > 0 and error.path[0] == "type"


def leaf_errors(error):
    """The errors that say what is wrong: for a failed oneOf/anyOf, those of the branch that came
    closest (its `type` matched, then fewest errors), recursively; otherwise the error itself."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        best = min(branches.values(), key=lambda errs: (any(about_type(e) for e in errs), len(errs)))
        return [leaf for sub in best for leaf in leaf_errors(sub)]
    return [error]


def message(error):
    if error.validator is None:  # a `false` schema: the key must not be there
        return "not allowed here (the schema forbids this key in this context)"
    text = error.message
    return text if len(text) <= 240 else text[:240] + "..."


def problems(validator, document):
    found = []
    for error in validator.iter_errors(document):
        for leaf in leaf_errors(error):
            found.append(f"{json_path(leaf)}: {message(leaf)}")
    return found


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = parse(f.read())
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        print(f"{argv[1]}: not a valid draft 2020-12 schema: {e}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)

    failed = False
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            print(f"{path}: {e}", file=sys.stderr)
            return 2
        if path.endswith(".jsonl"):
            units = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
            if not units:
                units = [(1, "")]
        else:
            units = [(None, text)]
        file_ok = True
        for line, unit in units:
            where = f"{path}:{line}" if line is not None else path
            try:
                document = parse(unit)
            except ValueError as e:
                print(f"{where}: not strict JSON: {e}")
                file_ok = False
                continue
            found = problems(validator, document)
            for p in found[:20]:
                print(f"{where}: {p}")
            if len(found) > 20:
                print(f"{where}: ... and {len(found) - 20} more")
            file_ok = file_ok and not found
        if file_ok:
            print(f"{path}: ok ({len(units)} document{'s' if len(units) != 1 else ''})")
        failed = failed or not file_ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
