"""The bubblewrap sandbox a submission runs in, and the limits it runs under.

Inside: a read-only view of the system (/usr and the Python installation only), no network (a new,
empty network namespace), a new PID namespace (every process the submission starts dies with it), no
environment variables but a few harmless ones, an unprivileged uid, and a private size-limited scratch
tmpfs as home and /tmp. The course folder, the gradebook, other submissions, the grader's home and nnlib are
simply not there. Limits: memory (RLIMIT_AS), CPU seconds, file size, open files, and the number of
processes (a pids cgroup when the grader may create one, otherwise RLIMIT_NPROC); wall-clock limits are the
judge's (`coursegrade.judge`). Output size is limited by `coursegrade.wire` and the runner."""
import os
import resource
import select
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from coursegrade import wire

PACKAGE = Path(__file__).resolve().parent
PIDS_CGROUP = Path("/sys/fs/cgroup/pids")
INSIDE_PACKAGE = "/opt/coursegrade"
# Packages a submission may not use: their files are hidden even when installed beside numpy.
FORBIDDEN_PACKAGES = ("nnlib", "torch", "jax", "autograd", "tensorflow", "keras")


@dataclass
class Limits:
    memory_mb: int = 1536
    cpu_seconds: int = 120
    processes: int = 32
    file_mb: int = 32
    scratch_mb: int = 64


class SandboxError(Exception):
    """The sandboxed process died, broke the protocol, or did not answer in time."""


def bwrap_available():
    return shutil.which("bwrap") is not None


def _system_binds():
    args = []
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--ro-bind", "/usr", "/usr"]
    if os.path.exists("/etc/ld.so.cache"):
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    return args


def _python_dirs():
    """The folders the sandbox's Python needs: its installation, and the environment's site-packages."""
    dirs = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    dirs.add(os.path.dirname(os.path.realpath(sys.executable)))
    packages = [os.path.realpath(path) for path in site.getsitepackages() + [sysconfig.get_paths()["purelib"]]
                if os.path.isdir(path)]
    return sorted(dirs), sorted(set(packages))


def _masks(package_dirs, blocker):
    """bwrap arguments hiding every forbidden package found in package_dirs (importing it then fails)."""
    args = []
    for folder in package_dirs:
        for name in FORBIDDEN_PACKAGES:
            path = os.path.join(folder, name)
            if os.path.isdir(path):
                args += ["--tmpfs", path, "--ro-bind", blocker, os.path.join(path, "__init__.py")]
            elif os.path.isfile(path + ".py"):
                args += ["--ro-bind", blocker, path + ".py"]
    return args


class Sandbox:
    """One sandboxed runner process (`coursegrade.runner`) and the channel to it."""

    def __init__(self, limits, guarded=(), scratch_root=None):
        self.limits, self.guarded = limits, tuple(guarded)
        self.scratch_root = Path(scratch_root or "/tmp")
        self.process, self.cgroup = None, None

    def command(self):
        python_dirs, package_dirs = _python_dirs()
        blocker = self.scratch_root / "coursegrade-blocker.py"
        if not blocker.exists():
            blocker.write_text('raise ModuleNotFoundError("this package is not available when grading")\n')
        args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL",
                "--uid", "65534", "--gid", "65534", "--hostname", "sandbox"]
        args += _system_binds()
        # The scratch tmpfs first: a Python environment that lives under /tmp or /home (a clone in /tmp, say)
        # is bound on top of it below, instead of being hidden by it.
        args += ["--size", str(self.limits.scratch_mb * 2 ** 20), "--tmpfs", "/tmp",
                 "--size", str(self.limits.scratch_mb * 2 ** 20), "--tmpfs", "/home/student"]
        for folder in python_dirs + package_dirs:
            args += ["--ro-bind", folder, folder]
        args += _masks(package_dirs, str(blocker))
        args += ["--ro-bind", str(PACKAGE), f"{INSIDE_PACKAGE}/coursegrade", "--proc", "/proc", "--dev", "/dev",
                 "--chdir", "/home/student"]
        for name, value in (("HOME", "/home/student"), ("PATH", "/usr/bin:/bin"), ("LANG", "C.UTF-8"),
                            ("OPENBLAS_NUM_THREADS", "1"), ("OMP_NUM_THREADS", "1"), ("MPLBACKEND", "Agg"),
                            ("MPLCONFIGDIR", "/tmp"), ("COURSEGRADE_GUARDED", ",".join(self.guarded))):
            args += ["--setenv", name, value]
        bootstrap = (f"import sys; sys.path.insert(0, {INSIDE_PACKAGE!r}); sys.path.extend({package_dirs!r}); "
                     "from coursegrade.runner import main; main()")
        return args + [os.path.realpath(sys.executable), "-I", "-S", "-B", "-c", bootstrap]

    def _make_cgroup(self):
        if not os.access(PIDS_CGROUP, os.W_OK):
            return None
        path = PIDS_CGROUP / f"coursegrade-{uuid.uuid4().hex[:12]}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(self.limits.processes))
        except OSError:
            return None
        return path

    def _limit_self(self):
        """Runs in the child before bwrap starts: these limits pass to everything inside."""
        megabyte = 2 ** 20
        resource.setrlimit(resource.RLIMIT_AS, (self.limits.memory_mb * megabyte,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (self.limits.cpu_seconds, self.limits.cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limits.file_mb * megabyte,) * 2)
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.cgroup is not None:
            (self.cgroup / "cgroup.procs").write_text("0")
        elif os.getuid() != 0:
            resource.setrlimit(resource.RLIMIT_NPROC, (self.limits.processes,) * 2)
        os.setsid()

    def start(self):
        self.cgroup = self._make_cgroup()
        self.process = subprocess.Popen(self.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, preexec_fn=self._limit_self, bufsize=0)
        return self

    def request(self, message, timeout):
        """Send message; the reply, or SandboxError (after which the sandbox is dead) if none comes in time."""
        self.send(message)
        return self.receive(timeout)

    def send(self, message):
        if self.process is None or self.process.poll() is not None:
            raise SandboxError("the submission's process is not running")
        try:
            wire.send(self.process.stdin, message)
        except (BrokenPipeError, OSError):
            self.stop()
            raise SandboxError("the submission's process ended") from None

    def receive(self, timeout):
        """The next message from the sandbox, or SandboxError (the sandbox is then dead) if none comes in time."""
        if self.process is None:
            raise SandboxError("the submission's process is not running")
        fd = self.process.stdout.fileno()

        def read(size):
            ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise TimeoutError
            return os.read(fd, size)
        deadline = time.monotonic() + max(timeout, 0)
        try:
            return wire.receive(read)
        except TimeoutError:
            self.stop()
            raise SandboxError(f"no answer within {timeout:.0f} s (time limit)") from None
        except EOFError:
            self.stop()
            raise SandboxError("the submission's process ended") from None
        except wire.WireError as error:
            self.stop()
            raise SandboxError(f"the submission's process broke the protocol: {error}") from None

    def stop(self):
        """Kill the sandbox and every process in it; wait until they are gone."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                stream.close()
        if self.cgroup is not None:
            for _ in range(200):
                pids = (self.cgroup / "cgroup.procs").read_text().split()
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                time.sleep(0.01)
            try:
                self.cgroup.rmdir()
            except OSError:
                pass
            self.cgroup = None
        self.process = None
