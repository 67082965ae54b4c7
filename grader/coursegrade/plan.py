"""Which cells run where: the instructor's notebook merged with a submission, never trusting its metadata.

The submission's order is kept (students add scratch and helper cells). A cell whose grade_id names one of
the instructor's locked cells is replaced by the instructor's copy; test cells run in the judge, other
locked code cells ("shared": helpers, setup) run in both the judge and the sandbox; solution cells and every
unrecognised cell are student code and run only in the sandbox. Metadata a student could have changed is
ignored: a cell counts as a test only if the instructor's notebook has a test cell with its grade_id.
A test cell that appears twice (Jupyter's copy-paste) is graded once, at its last copy; an instructor cell
that is missing (deleted, or its metadata stripped by an editor) is put back after the nearest earlier
instructor cell the submission still has (shared cells at the start and tests at the end if none).
Every such repair is reported in `notes`."""
import copy
import re
from dataclasses import dataclass, field

import nbformat

KINDS = ("markdown", "student", "shared", "test")
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")   # nbformat 4.5's rule for cell ids


@dataclass
class Step:
    kind: str                  # one of KINDS
    cell: nbformat.NotebookNode
    grade_id: str = None
    hidden: bool = False       # a test cell with hidden tests: its details are kept out of feedback


@dataclass
class Plan:
    steps: list
    notes: list = field(default_factory=list)
    tests: dict = field(default_factory=dict)   # grade_id -> points, in the instructor's order


def nbgrader_meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def cell_role(cell):
    """The role of a cell in the instructor's notebook: test, solution, shared, or None (ordinary cell)."""
    meta = nbgrader_meta(cell)
    if not meta.get("grade_id"):
        return None
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("solution"):
        return "solution"
    if meta.get("locked"):
        return "shared" if cell.cell_type == "code" else "locked_markdown"
    return None


def _instructor_step(cell, role):
    cell = copy.deepcopy(cell)
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    kind = {"test": "test", "shared": "shared"}.get(role, "markdown")
    return Step(kind, cell, nbgrader_meta(cell)["grade_id"], hidden="BEGIN HIDDEN TESTS" in cell.source)


def _student_code(cell, instructor_meta=None):
    """A code cell of the submission as it will run: its source, with trusted metadata only."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else str(source)
    clean = _with_submitted_id(nbformat.v4.new_code_cell(source), cell)
    if instructor_meta is not None:
        clean.metadata["nbgrader"] = copy.deepcopy(instructor_meta)
    return clean


def _student_markdown(cell):
    return _with_submitted_id(nbformat.v4.new_markdown_cell(str(cell.get("source", ""))), cell)


def _with_submitted_id(clean, cell):
    """clean with the submitted cell's id (nbformat's constructors draw a random one: regrading would differ)."""
    submitted = cell.get("id")
    clean["id"] = submitted if isinstance(submitted, str) and CELL_ID.match(submitted) else None
    return clean


def _settle_ids(steps):
    """Give every cell a unique valid id, reproducibly: its own where it has one, else one from its position."""
    used = set()
    for position, step in enumerate(steps):
        cell_id = step.cell.get("id")
        if not (isinstance(cell_id, str) and CELL_ID.match(cell_id)) or cell_id in used:
            cell_id, copies = f"cell-{position}", 0
            while cell_id in used:
                copies += 1
                cell_id = f"cell-{position}-{copies}"
        step.cell["id"] = cell_id
        used.add(cell_id)


def merge(instructor, submission):
    """The Plan for grading submission (a notebook, or None if unreadable) against the instructor's notebook."""
    notes = []
    roles = {}
    order = []
    for cell in instructor.cells:
        role = cell_role(cell)
        if role:
            grade_id = nbgrader_meta(cell)["grade_id"]
            roles[grade_id] = (role, cell)
            order.append(grade_id)
    tests = {gid: float(nbgrader_meta(cell).get("points", 0)) for gid, (role, cell) in roles.items() if role == "test"}

    entries = []          # (grade_id or None, Step)
    seen = {}
    for cell in (submission.cells if submission is not None else []):
        cell_type = cell.get("cell_type")
        grade_id = nbgrader_meta(cell).get("grade_id")
        known = roles.get(grade_id) if isinstance(grade_id, str) else None
        if known:
            seen[grade_id] = seen.get(grade_id, 0) + 1
            role, original = known
            if role == "solution":
                if original.cell_type == "code":
                    entries.append((grade_id, Step("student", _student_code(cell, nbgrader_meta(original)), grade_id)))
                else:
                    entries.append((grade_id, Step("markdown", _student_markdown(cell))))
            else:
                entries.append((grade_id, _instructor_step(original, role)))
        elif cell_type == "code":
            if nbgrader_meta(cell).get("grade"):
                notes.append(f"A cell marks itself as graded with grade_id {str(grade_id)[:40]!r}, which this assignment "
                             "does not have: it ran as your own code and earns nothing.")
            entries.append((None, Step("student", _student_code(cell))))
        elif cell_type in ("markdown", "raw"):
            entries.append((None, Step("markdown", _student_markdown(cell))))

    # Keep one copy of each instructor cell: tests at their last copy (after the code they test), others at the first.
    kept_at = {}
    for index, (grade_id, step) in enumerate(entries):
        if grade_id and step.kind in ("test", "shared", "markdown") and roles[grade_id][0] != "solution":
            if grade_id not in kept_at or step.kind == "test":
                kept_at[grade_id] = index
    for grade_id, count in seen.items():
        if count > 1:
            what = "test cell" if roles[grade_id][0] == "test" else "cell"
            notes.append(f"The {what} {grade_id} appears {count} times (a copy-paste?); "
                         + ("it was graded once, from the instructor's copy." if roles[grade_id][0] != "solution"
                            else "every copy ran, in order."))
    entries = [(gid, step) for index, (gid, step) in enumerate(entries)
               if gid is None or roles[gid][0] == "solution" or kept_at.get(gid) == index]

    # Put back missing instructor cells.
    present = {gid for gid, _ in entries if gid}
    after, start, end = {}, [], []
    for position, grade_id in enumerate(order):
        role, original = roles[grade_id]
        if grade_id in present or role == "solution":
            if role == "solution" and grade_id not in present:
                notes.append(f"The answer cell {grade_id} is missing from the submission.")
            continue
        anchor = next((order[k] for k in range(position - 1, -1, -1) if order[k] in present), None)
        step = _instructor_step(original, role)
        if anchor is not None:
            after.setdefault(anchor, []).append(step)
        elif role == "test":
            end.append(step)
        else:
            start.append(step)
        if role == "test":
            notes.append(f"The test cell {grade_id} was missing or unrecognisable (deleted, or its metadata changed); "
                         "it was put back from the instructor's copy and graded.")
    steps = list(start)
    for grade_id, step in entries:
        steps.append(step)
        if grade_id and grade_id in after and (roles[grade_id][0] != "solution" or _last(entries, grade_id) is step):
            steps.extend(after.pop(grade_id))
    steps.extend(end)
    _settle_ids(steps)
    return Plan(steps, notes, tests)


def _last(entries, grade_id):
    return [step for gid, step in entries if gid == grade_id][-1]
