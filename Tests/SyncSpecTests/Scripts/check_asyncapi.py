#!/usr/bin/env python3
"""Check an exported AsyncAPI 3.0 document where no full AsyncAPI validator is at hand.

Used by the Swift tests (ExportValidationTests). Checks that every local $ref resolves, that
every component schema and message payload is a valid draft-07 schema (AsyncAPI 3.0's default
schema format is a superset of draft-07), and that the messages of each operation and of its
reply belong to the channel they name, as AsyncAPI 3.0 requires.

Usage: check_asyncapi.py ASYNCAPI_JSON
Prints one line per problem and exits 1 if there are any; exits 0 otherwise.
"""

import json
import sys

from jsonschema import Draft7Validator


def resolve(document, ref):
    node = document
    for token in ref[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as file:
        document = json.load(file)
    problems = []
    if document.get("asyncapi") != "3.0.0":
        problems.append("asyncapi is not 3.0.0")
    for ref in refs(document):
        try:
            resolve(document, ref)
        except (KeyError, IndexError, TypeError):
            problems.append(f"unresolved $ref {ref}")
    components = document.get("components", {})
    schemas = list(components.get("schemas", {}).items())
    schemas += [(f"payload of {name}", message["payload"]) for name, message in components.get("messages", {}).items()]
    for name, schema in schemas:
        for error in Draft7Validator(Draft7Validator.META_SCHEMA).iter_errors(schema):
            problems.append(f"schema {name}: {error.message}")
    for name, operation in document.get("operations", {}).items():
        for part, where in ((operation, "messages"), (operation.get("reply") or {}, "reply messages")):
            channel = part.get("channel", operation["channel"])["$ref"]
            for message in part.get("messages", []):
                if not message["$ref"].startswith(channel + "/messages/"):
                    problems.append(f"operation {name}: {where} {message['$ref']} are not in {channel}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
