"""coursegrade: sandboxed, tamper-proof autograding for the course's nbgrader assignments.

Design (the simplest one that meets every requirement; README "For instructors" has the user's view):

- No Jupyter kernel. A submission's code runs in ONE plain Python process (`coursegrade.runner`) inside
  bubblewrap (`coursegrade.sandbox`): no network namespace to cross, no ZMQ, no connection files; the
  process talks over its stdin/stdout pipes. It executes cells as a kernel would (last expression shown,
  stdout/stderr captured, IPython magics dropped).
- The verdicts come from a different process, the judge (`coursegrade.judge`), which never runs student
  code. It runs the instructor's own test cells, unchanged, in a fresh namespace; names the tests use but
  do not define are fetched from the sandbox as data (`coursegrade.wire`: JSON, .npy without pickle,
  SymPy `srepr` text parsed by `coursegrade.safesympy`), functions as proxies that send arguments and get
  results back as data. Arguments a function changes in place come back as data and are changed in the judge
  the same way; a test's own function passed to a graded one (a step function) is called back in the judge,
  only while that call lasts. Monkeypatching numpy, builtins or the helpers, input/AST transformers, printing
  the input history: all act on the student's own process, which decides nothing.
- Which cell is what comes from the instructor's notebook (`coursegrade.plan`), never from the
  submission's metadata: duplicated, deleted, renamed or stripped cells are repaired and reported.
- Only the grader process writes the gradebook (nbgrader's schema; SQLite or PostgreSQL), one
  transaction per student (`coursegrade.gradebook`); feedback uses the course's feedback preprocessors.
- `coursegrade <assignment> --workers N` runs N judges in parallel (`coursegrade.cli`).
"""
