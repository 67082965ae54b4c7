"""The sandbox's mount order: the scratch tmpfs must not hide a Python environment that lives under /tmp or /home.

bwrap applies its mount arguments in order, so a --tmpfs /tmp given after --ro-bind /tmp/clone/.venv hides the
environment (every import of numpy then fails and every test scores 0)."""
from coursegrade.sandbox import Limits, Sandbox, _python_dirs


def mount_targets(args, option):
    """The destinations of every ``option`` mount (``--tmpfs DEST`` or ``--ro-bind SRC DEST``) in order."""
    width = 1 if option == "--tmpfs" else 2
    return [(i, args[i + width]) for i, arg in enumerate(args) if arg == option]


def test_scratch_tmpfs_comes_before_the_python_environment(tmp_path):
    args = Sandbox(Limits(), scratch_root=tmp_path).command()
    tmpfs = dict((dest, i) for i, dest in mount_targets(args, "--tmpfs"))
    python_dirs, package_dirs = _python_dirs()
    binds = [i for i, dest in mount_targets(args, "--ro-bind") if dest in python_dirs + package_dirs]
    assert binds and "/tmp" in tmpfs and "/home/student" in tmpfs
    assert max(tmpfs["/tmp"], tmpfs["/home/student"]) < min(binds)
