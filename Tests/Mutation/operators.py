"""The catalogue of mutation operators applied to the server's Swift sources.

Each operator looks at one source line at a time (comments and string literals masked out)
and proposes replacements of that line. Every proposal is one mutant: a small, realistic
bug (a comparison flipped, a boundary shifted by one, a condition dropped, an early return,
two arguments swapped, a write skipped).
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    """One change to one line of one file."""
    path: str
    line: int  # 1-based
    operator: str
    original: str
    replacement: str

    @property
    def id(self) -> str:
        import hashlib
        digest = hashlib.sha256(f"{self.path}:{self.line}:{self.operator}:{self.replacement}".encode()).hexdigest()
        return f"{self.operator}-{digest[:10]}"

    def diff(self) -> str:
        return f"--- {self.path}:{self.line}\n-{self.original.rstrip()}\n+{self.replacement.rstrip()}\n"


def mask(line: str) -> str:
    """The line with string-literal contents and a trailing // comment replaced by spaces, so
    operators never touch text inside them (positions stay the same)."""
    out = []
    in_string = False
    i = 0
    while i < len(line):
        c = line[i]
        if in_string:
            if c == "\\" and i + 1 < len(line):
                out.append("  ")
                i += 2
                continue
            if c == '"':
                in_string = False
                out.append(c)
            else:
                out.append(" ")
        else:
            if c == '"':
                in_string = True
                out.append(c)
            elif line.startswith("//", i):
                out.append(" " * (len(line) - i))
                break
            else:
                out.append(c)
        i += 1
    return "".join(out)


def _replace_at(line: str, start: int, end: int, text: str) -> str:
    return line[:start] + text + line[end:]


def boundary(line, masked):
    """`<` <-> `<=`, `>` <-> `>=`: the off-by-one at a limit."""
    swaps = {" < ": " <= ", " <= ": " < ", " > ": " >= ", " >= ": " > "}
    for match in re.finditer(r" (<=|>=|<|>) ", masked):
        yield _replace_at(line, match.start(), match.end(), swaps[match.group(0)])


def negate(line, masked):
    """`==` <-> `!=`: a condition turned around."""
    for match in re.finditer(r" (==|!=) ", masked):
        yield _replace_at(line, match.start(), match.end(), " != " if match.group(1) == "==" else " == ")


def drop_condition(line, masked):
    """A guard that always passes, or one clause of `&&` / `||` dropped."""
    guard = re.match(r"^(\s*guard )(.+?)( else \{.*)$", masked)
    if guard and not re.search(r"\b(let|var|case)\b", guard.group(2)):
        yield line[:guard.end(1)] + "true" + line[guard.start(3):]
    for match in re.finditer(r" (&&|\|\|) ", masked):
        # Drop the right-hand operand when it is a simple term up to the next operator or bracket.
        tail = re.match(r"[!\w.$()\[\]?]+(?: (?:==|!=|<|>|<=|>=) [\w.$()\[\]?\"]+)?", masked[match.end():])
        if tail and masked[match.end() + tail.end():match.end() + tail.end() + 1] in ("", " ", ",", ")", "{"):
            yield line[:match.start()] + line[match.end() + tail.end():]


def shift_literal(line, masked):
    """An integer literal in a comparison or arithmetic moved by one."""
    if not re.search(r" (<=|>=|<|>|==|!=|\+|-|\*) ", masked):
        return
    for match in re.finditer(r"(?<![\w.$])(\d+)(?![\w.])", masked):
        value = int(match.group(1).replace("_", ""))
        yield _replace_at(line, match.start(), match.end(), str(value + 1))


def return_early(line, masked):
    """A function that returns nothing stops before doing anything."""
    match = re.match(r"^(\s*)(?:[\w@]+ )*func \w+[^{]*\{\s*$", masked)
    if match and "->" not in masked and " init" not in masked:
        yield line.rstrip("\n") + " return;" + ("\n" if line.endswith("\n") else "")


# Calls whose two arguments can be swapped without changing the result.
COMMUTATIVE = {"min", "max"}


def swap_arguments(line, masked):
    """`min` <-> `max`, and the two arguments of a two-argument call swapped (except for `min`
    and `max`, where the swap is the same call: a mutant that could never be caught)."""
    for match in re.finditer(r"\b(min|max)\(", masked):
        yield _replace_at(line, match.start(1), match.end(1), "max" if match.group(1) == "min" else "min")
    for match in re.finditer(r"\b(\w+)\(([\w.]+), ([\w.]+)\)", masked):
        if match.group(1) in COMMUTATIVE:
            continue
        a, b = match.group(2), match.group(3)
        if a != b:
            yield _replace_at(line, match.start(2), match.end(3), f"{b}, {a}")


def skip_write(line, masked):
    """A statement that only writes (no result used) not executed."""
    if re.match(r"^\s*try (await )?[\w.]+\.(execute|run|insert|update|delete|write|store|save|record|append|remove)\w*\(.*\)\s*$", masked) \
            and "=" not in masked.split("(")[0]:
        indent = line[:len(line) - len(line.lstrip())]
        yield indent + "_ = 0 // skipped: " + line.strip() + "\n"


def flip_bool(line, masked):
    """`true` <-> `false`."""
    for match in re.finditer(r"\b(true|false)\b", masked):
        yield _replace_at(line, match.start(), match.end(), "false" if match.group(1) == "true" else "true")


OPERATORS = {
    "boundary": boundary,
    "negate": negate,
    "drop-condition": drop_condition,
    "shift-literal": shift_literal,
    "return-early": return_early,
    "swap-arguments": swap_arguments,
    "skip-write": skip_write,
    "flip-bool": flip_bool,
}


def mutants_of(path: str, text: str):
    """Every mutant of one file, in line order."""
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("//", "///", "import ", "*", "/*", "#", "@", "case ", "precondition", "assert",
                                               "logger.", "fatalError")):
            continue
        masked = mask(line)
        seen = set()
        for name, operator in OPERATORS.items():
            for replacement in operator(line, masked):
                if replacement != line and replacement not in seen:
                    seen.add(replacement)
                    yield Mutant(path, number, name, line, replacement)
