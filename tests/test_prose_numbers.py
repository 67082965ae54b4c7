"""Every number in the prose comes from the code (the chapter rules in README.md, "Adding a chapter").

In prose and inline math, a number with a decimal point (``0.0677``, ``.5``), a percentage
(``72 %``), scientific notation (``1e-8``, ``10^{-8}``) or a multiplier (``9.3×``, ``100x``,
``1000 times``) must sit inside a ``{glue:...}`` role, or its value must appear as a numeric
literal in a code cell of the same page (for a percentage P: ``P`` or ``P/100``).

Exempt: front matter, code cells and other fenced code, display math (``$$``, ``{math}``,
amsmath environments), inline code and every role's content (glue, doc, ref, ...), directive
option lines and cell/figure YAML options, link targets and URLs, labels, comments, and plain
integers. A product such as ``2 \\times 3`` (an operand after the sign) is not a multiplier.
"""
import math
import re
import tokenize
from io import StringIO
from pathlib import Path

import pytest
import yaml

from test_chapters import REPO, chapter_paths, code_cells

FIXTURES = Path(__file__).parent / "fixtures" / "prose"

# --- which pages the rule covers --------------------------------------------------------------------

def front_pages():
    """Pages of the "Getting started" part (how-to, notation): reader-facing prose too."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    return [REPO / f"{entry['file']}.md" for part in toc.get("parts", [])
            if part.get("caption") == "Getting started" for entry in part.get("chapters", [])]


# --- reading the prose out of a MyST notebook ------------------------------------------------------

FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(.*?)\s*$")
DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
SKIPPED_DIRECTIVES = {"code-cell", "code-block", "code", "sourcecode", "math", "literalinclude", "raw",
                      "eval-rst", "glue:", "glue", "glue:any", "glue:figure", "glue:text", "glue:math",
                      "mermaid", "graphviz", "toctree", "tableofcontents"}
PATH_ARGUMENT_DIRECTIVES = {"figure", "image", "include", "bibliography"}
OPTION_LINE = re.compile(r"^\s*:[\w-]+:(\s.*)?$")
LABEL_LINE = re.compile(r"^\s*\([^()\s]+\)=\s*$")
SKIPPED_LINE = re.compile(r"^\s*(%|\+\+\+|\[[^\]]+\]:\s)")


def prose_text(text):
    """Return ``text`` with every non-prose line blanked (line numbers preserved)."""
    lines = text.split("\n")
    keep = [""] * len(lines)
    i = 0
    if lines and lines[0].strip() == "---":  # front matter
        i = next((k for k in range(1, len(lines)) if lines[k].strip() == "---"), len(lines) - 1) + 1
    stack = []  # open prose directives: (fence char, fence length)
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            marks, info = fence.groups()
            if not info and stack and marks[0] == stack[-1][0] and len(marks) >= stack[-1][1]:
                stack.pop()  # closes a prose directive
                i += 1
                continue
            if info or marks[0] != ":":
                directive = DIRECTIVE.match(info)
                if directive is None or directive.group(1) in SKIPPED_DIRECTIVES:
                    i = _skip_block(lines, i, marks)  # code, math, glue: nothing of it is prose
                    continue
                name, argument = directive.groups()
                stack.append((marks[0], len(marks)))
                if name not in PATH_ARGUMENT_DIRECTIVES:
                    keep[i] = argument  # a title is prose
                i = _skip_options(lines, i + 1)
                continue
        if not (OPTION_LINE.match(line) or LABEL_LINE.match(line) or SKIPPED_LINE.match(line)):
            keep[i] = line
        i += 1
    return "\n".join(keep)


def _skip_block(lines, start, marks):
    """Index of the line after the fenced block opened at ``start`` with ``marks``."""
    for k in range(start + 1, len(lines)):
        closing = FENCE.match(lines[k])
        if closing and not closing.group(2) and closing.group(1)[0] == marks[0] and len(closing.group(1)) >= len(marks):
            return k + 1
    return len(lines)


def _skip_options(lines, k):
    """Skip a directive's options: ``:key: value`` lines or a ``---`` YAML block."""
    if k < len(lines) and lines[k].strip() == "---":
        end = next((j for j in range(k + 1, len(lines)) if lines[j].strip() == "---"), len(lines) - 1)
        return end + 1
    while k < len(lines) and OPTION_LINE.match(lines[k]):
        k += 1
    return k


def _blank(match):
    """Replacement that keeps the newlines of what it removes (so line numbers survive)."""
    return " " + "\n" * match.group(0).count("\n")


STRIP = [  # applied in order to the prose text
    re.compile(r"<!--.*?-->", re.DOTALL),                                   # HTML comments
    re.compile(r"\$\$.*?\$\$", re.DOTALL),                                 # display math
    re.compile(r"\\begin\{(equation|align|gather|multline|alignat|flalign|eqnarray)(\*?)\}.*?\\end\{\1\2\}",
               re.DOTALL),                                                  # amsmath environments
    re.compile(r"\{(?!math\})[\w:-]+\}(`+)(?:(?!\1).|\n)*?\1"),            # roles: glue, doc, ref, eq, ...
    re.compile(r"(?<!\})(`+)(?:(?!\1).|\n)*?\1"),                          # inline code
    re.compile(r"\]\([^)\s]*\)"),                                          # link targets
    re.compile(r"<[a-z]+://[^>]*>|\bhttps?://\S+|</?[A-Za-z][\w-]*(?:\s[^<>$\n]*)?/?>"),  # URLs, HTML
]
MATH_ROLE = re.compile(r"\{math\}`([^`]*)`")
INLINE_MATH = re.compile(r"(?<![\\$])\$((?:[^$\n\\]|\\.|\n(?!\s*\n))+?)\$")

_NUM = r"(?<![\d.])(?:\d+\.\d+|\.\d+|\d+)"
_EXP = r"(?:[eE][-+−]?\d+)"
_POW10 = r"(?:10\s*\^\s*\{?\s*[-−+]?\s*\d+\s*\}?|10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
_TIMES = r"(?:×|\\times|\\cdot)"
_PERCENT = r"\s*(?:\\?%|\s?percent\b)"
NUMBER = {
    "prose": re.compile(
        rf"(?P<pow>(?<![\d.]){_POW10})|(?P<num>{_NUM}{_EXP}?(?:\s*{_TIMES}\s*{_POW10})?)"
        rf"(?P<pct>{_PERCENT})?"
        rf"(?P<mult>\s*×(?!\s*(?:\d|\$|\(|[A-Za-z]\b))|x\b|\s+times\b(?!\s*\d))?"),
    "math": re.compile(
        rf"(?P<pow>(?<![\d.]){_POW10})|(?P<num>{_NUM}{_EXP}?(?:\s*{_TIMES}\s*{_POW10})?)"
        rf"(?P<pct>{_PERCENT})?"
        rf"(?P<mult>\s*(?:×|\\times)(?!\s*[\w({{\\]))?"),
}
SUPERSCRIPT = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹", "-+0123456789")


def _exponent(power_of_ten):
    """The exponent of ``10^{-8}``, ``10^3`` or ``10⁻⁸``."""
    digits = power_of_ten.translate(SUPERSCRIPT).replace("−", "-").strip()[2:]
    return int(re.sub(r"[^\d+-]", "", digits))


def _value(match):
    """The magnitude a number token denotes (sign ignored: code writes ``-0.5`` as ``0.5``)."""
    if match.group("pow"):
        return 10.0 ** _exponent(match.group("pow"))
    mantissa, *power = re.split(_TIMES, match.group("num").replace("−", "-"), maxsplit=1)
    value = float(mantissa)
    if power:
        value *= 10.0 ** _exponent(power[0])
    return abs(value)


def _is_rule_number(match):
    num = match.group("num") or ""
    return bool(match.group("pow") or "." in num or re.search(rf"{_EXP}|{_TIMES}", num)
                or match.group("pct") or match.group("mult"))


def prose_numbers(text):
    """Yield ``(line, literal, value, is_percentage)`` for each number the rule governs."""
    prose = prose_text(text)
    for pattern in STRIP:
        prose = pattern.sub(_blank, prose)
    prose = MATH_ROLE.sub(lambda m: f"${m.group(1)}$", prose)
    spans, last = [], 0
    for m in INLINE_MATH.finditer(prose):
        spans += [("prose", last, m.start()), ("math", m.start(1), m.end(1))]
        last = m.end()
    spans.append(("prose", last, len(prose)))
    for kind, start, end in spans:
        for m in NUMBER[kind].finditer(prose, start, end):
            if _is_rule_number(m):
                line = prose.count("\n", 0, m.start()) + 1
                yield line, m.group(0).strip(), _value(m), bool(m.group("pct"))


def code_literals(path):
    """Magnitudes of the numeric literals in the page's code cells."""
    values = set()
    for _, source in code_cells(path):
        try:
            tokens = [t.string for t in tokenize.generate_tokens(StringIO(source).readline)
                      if t.type == tokenize.NUMBER]
        except (tokenize.TokenError, IndentationError, SyntaxError):
            tokens = re.findall(r"(?<![\w.])(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", source)
        for token in tokens:
            token = token.replace("_", "")
            if token[-1:] in "jJ":
                continue
            try:
                values.add(abs(float(int(token, 0)) if token[:2].lower() in ("0x", "0o", "0b") else float(token)))
            except ValueError:
                continue
    return values


def violations(path):
    """The rule's findings on one page: ``"page:line: literal"`` strings."""
    literals = code_literals(path)

    def in_code(value):
        return any(math.isclose(value, lit, rel_tol=1e-9, abs_tol=1e-300) for lit in literals)

    name = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    return [f"{name}:{line}: {literal!r}" for line, literal, value, percent in prose_numbers(path.read_text())
            if not (in_code(value) or (percent and in_code(value / 100)))]


# --- the rule on the book --------------------------------------------------------------------------

PAGES = chapter_paths() + front_pages()


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_numbers_in_prose_come_from_the_code(path):
    found = violations(path)
    assert not found, ("numbers in prose that are neither glued nor a literal of the page's code "
                       "(glue them, or assert them):\n" + "\n".join(found))


# --- the rule fails where it should (fixtures) -------------------------------------------------------

@pytest.mark.parametrize("page, line, literal", [
    ("unglued_measurement.md", 23, "0.0677"),
    ("multiplier.md", 21, "9.3×"),
    ("percentage.md", 20, "72 %"),
    ("inline_math.md", 20, "10^{-8}"),
])
def test_rule_flags_the_bad_fixture(page, line, literal):
    path = FIXTURES / page
    assert violations(path) == [f"{path.relative_to(REPO)}:{line}: {literal!r}"]


def test_rule_passes_the_compliant_fixture():
    assert violations(FIXTURES / "compliant.md") == []


def test_compliant_fixture_is_not_vacuous():
    """The compliant page does state governed numbers; they pass because they are glued or asserted."""
    found = list(prose_numbers((FIXTURES / "compliant.md").read_text()))
    assert {literal for _, literal, _, _ in found} >= {"0.0677", "72 %", "9.3×", "1.1 \\times 10^{-3}", "1e-8", "100x"}


@pytest.mark.parametrize("snippet, expected", [
    ("the loss fell to 0.25.", ["0.25"]),
    ("about .5 of them", [".5"]),
    ("72% are negative", ["72%"]),
    ("a step of 1e-8 is too small", ["1e-8"]),
    ("it is 1.55e3 in the run", ["1.55e3"]),
    ("the ratio is $1.1 \\times 10^{-3}$ here", ["1.1 \\times 10^{-3}"]),
    ("a factor $0.71\\times$ per layer", ["0.71\\times"]),
    ("the signal shrinks 100x", ["100x"]),
    ("about 1000 times smaller", ["1000 times"]),
    ("a $2 \\times 3$ matrix and a 64 × 64 image", []),
    ("20 layers, 10 classes, in 2018; steps 1. and 2.", []),
    ("see {glue:text}`acc:.3f` and `lr = 0.1` and [the docs](https://x.org/v0.5)", []),
    ("$$\nh = 0.5\n$$", []),
    ("```{code-cell} ipython3\nlr = 0.5\n```", []),
    (":::{admonition} Note\n:class: warning 0.5\nText.\n:::", []),
])
def test_rule_recognises_numbers(snippet, expected):
    assert [literal for _, literal, _, _ in prose_numbers(snippet)] == expected
