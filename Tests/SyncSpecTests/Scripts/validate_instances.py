#!/usr/bin/env python3
"""Validate JSON instances against exported JSON Schemas (draft 2020-12).

Used by the Swift tests (ExportValidationTests) to check the spec's examples against the schemas
`sync-spec export` writes, with the third-party `jsonschema` package (pip install jsonschema).

Usage: validate_instances.py CASES
  CASES is a JSON file: a list of {"label": str, "schema": path to a schema file, "instance": any}.
Prints a JSON list of {"label": str, "valid": bool, "errors": [str]} to standard output, in the
order of CASES, and exits 0. Exits non-zero (with a traceback) if a schema file is not a valid
draft 2020-12 schema or cannot be read.
"""

import json
import sys

from jsonschema import Draft202012Validator


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as file:
        cases = json.load(file)
    validators = {}
    results = []
    for case in cases:
        path = case["schema"]
        if path not in validators:
            with open(path, encoding="utf-8") as file:
                schema = json.load(file)
            Draft202012Validator.check_schema(schema)
            validators[path] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = [
            "/" + "/".join(str(part) for part in error.absolute_path) + ": " + error.message
            for error in validators[path].iter_errors(case["instance"])
        ]
        results.append({"label": case["label"], "valid": not errors, "errors": errors})
    json.dump(results, sys.stdout, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
