#!/usr/bin/env python3
"""Checks of the mutation operators on known lines (run by .ci/run before the smoke run)."""

import contextlib
import io
import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from operators import mask, mutants_of  # noqa: E402
from mutate import EQUIVALENT, ROOT, Carried, equivalence_key, load_equivalent, report  # noqa: E402
import subprocess  # noqa: E402


def replacements(line, operator):
    return [m.replacement for m in mutants_of("X.swift", line + "\n") if m.operator == operator]


class OperatorTests(unittest.TestCase):
    def test_mask_hides_strings_and_comments(self):
        line = 'let a = "x < y \\" z" // b > c'
        masked = mask(line)
        self.assertEqual(len(masked), len(line))
        self.assertNotIn("<", masked)
        self.assertNotIn(">", masked)
        self.assertTrue(masked.startswith('let a = "'))

    def test_boundary_and_negate(self):
        self.assertEqual(replacements("    if count <= limit {", "boundary"), ["    if count < limit {\n"])
        self.assertEqual(replacements("    guard a != b else { return }", "negate"), ["    guard a == b else { return }\n"])
        self.assertEqual(replacements('    log("a < b")', "boundary"), [])

    def test_drop_condition(self):
        self.assertIn("    guard true else { return nil }\n", replacements("    guard count > 0 else { return nil }", "drop-condition"))
        self.assertEqual(replacements("    guard let x = y else { return }", "drop-condition"), [])
        self.assertIn("    if a {\n", replacements("    if a && b.isEmpty {", "drop-condition"))

    def test_shift_literal_leaves_closure_parameters(self):
        self.assertEqual(replacements("    let n = $0 + 10", "shift-literal"), ["    let n = $0 + 11\n"])

    def test_return_early_only_for_void_functions(self):
        self.assertEqual(replacements("    func stop() async {", "return-early"), ["    func stop() async { return;\n"])
        self.assertEqual(replacements("    func size() -> Int {", "return-early"), [])

    def test_swap_and_skip_write(self):
        self.assertIn("    let x = max(a, b)\n", replacements("    let x = min(a, b)", "swap-arguments"))
        self.assertNotIn("    let x = min(b, a)\n", replacements("    let x = min(a, b)", "swap-arguments"))
        self.assertIn("    let x = f(b, a)\n", replacements("    let x = f(a, b)", "swap-arguments"))
        self.assertEqual(replacements("    try await connection.execute(sql)", "skip-write"),
                         ["    _ = 0 // skipped: try await connection.execute(sql)\n"])
        self.assertEqual(replacements("    let rows = try await connection.execute(sql)", "skip-write"), [])

    def test_comments_are_not_mutated(self):
        self.assertEqual(list(mutants_of("X.swift", "    /// a < b and true\n    // x == y\n")), [])

    def test_ids_are_stable_and_distinct(self):
        first = [m.id for m in mutants_of("X.swift", "if a < b && c == 1 { x = true }\n")]
        second = [m.id for m in mutants_of("X.swift", "if a < b && c == 1 { x = true }\n")]
        self.assertEqual(first, second)
        self.assertEqual(len(first), len(set(first)))


class EquivalentListTests(unittest.TestCase):
    def test_every_judgment_names_a_mutant_of_the_current_code(self):
        judged = load_equivalent()
        self.assertTrue(judged, f"{EQUIVALENT} lists no mutant")
        for (path, original, mutated), reason in judged.items():
            keys = {equivalence_key(m) for m in mutants_of(path, (ROOT / path).read_text())}
            self.assertIn((path, original, mutated), keys,
                          f"{path}: '{original}' -> '{mutated}' is no longer a mutant of the code: judge it again or remove it")
            self.assertGreater(len(reason), 40, f"{path}: '{mutated}' needs a reason")

    def test_judged_survivors_leave_the_score(self):
        def outcome(status, equivalent=None):
            return {"status": status, "id": "x", "operator": "negate", "diff": "", "equivalent": equivalent}
        outcomes = [outcome("caught")] * 19 + [outcome("survived", "no difference on the wire"), outcome("survived")]
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            self.assertEqual(report(outcomes, 95.0), 0)  # 19 of 20 not judged equivalent
            self.assertEqual(report(outcomes[:18] + outcomes[19:], 95.0), 1)  # 18 of 19
        self.assertIn("EQUIVALENT x (negate): no difference on the wire", printed.getvalue())


class CarriedVerdictTests(unittest.TestCase):
    def test_only_what_still_holds_is_carried(self):
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        # A commit of an empty tree (an unreferenced object, so any clone, shallow too, has one
        # whose sources differ from HEAD's).
        empty = subprocess.run(["git", "mktree"], cwd=ROOT, input="", capture_output=True, text=True, check=True).stdout.strip()
        first = subprocess.run(["git", "commit-tree", empty, "-m", "empty"], cwd=ROOT, capture_output=True, text=True,
                               check=True, env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                                                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}).stdout.strip()
        vector = "idempotency.in-flight-race"
        caught = {"status": "caught", "detail": vector}
        stored = {"commits": {"code-here": head, "code-first": first},
                  "code-here:quick": {"a": caught, "b": {"status": "survived", "detail": "every vector passed"},
                                      "c": {"status": "caught", "detail": "no.such-vector"},
                                      "d": {"status": "uncompilable", "detail": "build failed"}},
                  "code-first:quick": {"e": caught}}
        carried = Carried(stored, head, quick=True)
        self.assertEqual(carried.verdict("a"), caught | {"carried": head})
        self.assertIsNone(carried.verdict("b"))  # a survivor is run again
        self.assertIsNone(carried.verdict("c"))  # the vector that caught it is gone
        self.assertEqual(carried.verdict("d")["status"], "uncompilable")
        self.assertIsNone(carried.verdict("e"))  # the sources were different
        self.assertIsNone(Carried(stored, head, quick=False).verdict("a"))  # quick and full are apart


if __name__ == "__main__":
    unittest.main()
