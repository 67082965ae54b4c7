"""Feedback HTML for a graded notebook, with the course's own feedback preprocessors and nbgrader's template.

The course's `c.GenerateFeedback.preprocessors` (exercises/nbgrader_config.py) run as they would under
`nbgrader generate_feedback`, except GetGrades: the scores come straight from the judge."""
import copy
import os

import nbformat
from jupyter_core.paths import jupyter_config_dir
from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.exporter import ResourcesDict
from traitlets.config.loader import PyFileConfigLoader

import nbgrader

FORMGRADER = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader")
TEMPLATES = os.path.join(FORMGRADER, "templates")
BOOTSTRAP_CSS = os.path.join(FORMGRADER, "static", "node_modules", "bootstrap", "dist", "css")
_CONFIGS = {}


def course_config(root):
    if root not in _CONFIGS:
        _CONFIGS[root] = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return _CONFIGS[root]


def with_scores(notebook, scores, notes):
    """A copy of notebook with each test cell's score in its metadata and the grading notes on top."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("grade_id") in scores:
            meta["score"], meta["points"] = scores[meta["grade_id"]]
    if notes:
        text = "**Notes from the grader**\n\n" + "\n".join(f"- {note}" for note in notes)
        notes_cell = nbformat.v4.new_markdown_cell(text)
        notes_cell["id"] = "coursegrade-notes"   # a fixed id: the same submission gives the same feedback
        notebook.cells.insert(0, notes_cell)
    return notebook


def render(notebook, scores, notes, notebook_name, root):
    config = course_config(root)
    resources = ResourcesDict(config_dir=jupyter_config_dir(), nbgrader={
        "notebook": notebook_name, "late_penalty": 0, "score": sum(score for score, _ in scores.values()),
        "max_score": sum(points for _, points in scores.values())})
    notebook = with_scores(notebook, scores, notes)
    for preprocessor in config.GenerateFeedback.get("preprocessors", []):
        if preprocessor.__name__ == "GetGrades":
            continue
        notebook, resources = preprocessor(config=config).preprocess(notebook, resources)
    exporter = HTMLExporter(config=config, template_name="feedback", extra_template_basedirs=[TEMPLATES],
                            extra_template_paths=[BOOTSTRAP_CSS])
    html, _ = exporter.from_notebook_node(notebook, resources=resources)
    return html
