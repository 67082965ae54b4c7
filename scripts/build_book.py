"""Build the Jupyter Book with every chapter executed; fail on any warning.

Jupyter Book 1 caches executed notebooks keyed on each page's own source, so a change in
``nnlib`` alone would leave stale outputs in the site. This script fingerprints the watched
source trees (``nnlib/`` by default) and clears the execution cache and Sphinx's environment
when the fingerprint changes.

Usage: python scripts/build_book.py [--source DIR] [--watch PATH ...]
"""
import argparse
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

FINGERPRINT_FILE = ".watched-sources.sha256"


def fingerprint(paths):
    """Hash the contents and relative names of every .py file under ``paths``."""
    digest = hashlib.sha256()
    for root in paths:
        root = Path(root)
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_if_changed(build_dir, current):
    """Remove cached execution and doctrees when the watched sources changed; return True if so."""
    stamp = build_dir / FINGERPRINT_FILE
    if stamp.exists() and stamp.read_text().strip() == current:
        return False
    for stale in (".jupyter_cache", ".doctrees", "html", "jupyter_execute"):
        shutil.rmtree(build_dir / stale, ignore_errors=True)
    return stamp.exists()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=".", help="folder holding _config.yml and _toc.yml")
    parser.add_argument("--watch", nargs="*", default=None, help="source trees whose change re-executes every page")
    args = parser.parse_args(argv)

    source = Path(args.source).resolve()
    watched = [source / w for w in (args.watch if args.watch is not None else ["nnlib"])]
    build_dir = source / "_build"
    current = fingerprint(watched)
    if invalidate_if_changed(build_dir, current):
        print("Watched sources changed since the last build: re-executing every page.")

    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jupyter_book), "build", str(source), "--warningiserror", "--keep-going"])
    if result.returncode != 0:
        print("The book build failed: see the warnings and errors above.", file=sys.stderr)
        return result.returncode
    build_dir.mkdir(exist_ok=True)
    (build_dir / FINGERPRINT_FILE).write_text(current + "\n")
    print(f"The site is at file://{build_dir / 'html' / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
