"""Cross-checks Conformance/vector.schema.json with Python's jsonschema: the schema is valid
JSON Schema 2020-12 and accepts every vector in Vectors/. Prints one line per problem; exit 1
when there is any."""
import glob
import json
import sys

import jsonschema
import yaml

schema = json.load(open("Conformance/vector.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
problems = 0
files = sorted(glob.glob("Vectors/**/*.yaml", recursive=True))
for path in files:
    for error in validator.iter_errors(yaml.safe_load(open(path))):
        problems += 1
        print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
print(f"{len(files)} vectors checked")
sys.exit(1 if problems or not files else 0)
