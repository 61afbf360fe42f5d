"""Work that may take long, run off the window's thread: a file load in a process, a save in a thread.

A load runs in a separate process because json.loads holds the GIL for the whole parse (seconds for
a file near the size cap), which would freeze the window as surely as loading on its own thread; a
process can also be stopped outright. A save runs in a thread: its slow parts give the GIL back
often, and once it starts writing it must not be stopped (see Gate). No Qt here.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import explorer
from explorer.files import reader
from explorer.files.model import FileFormatError, NetworkFile, one_line


class Gate:
    """The point after which a job can no longer be cancelled: a save that started writing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self.passed = False

    def go_through(self) -> bool:
        """Pass the gate unless cancelled; return whether the work may go on."""
        with self._lock:
            if not self.cancelled:
                self.passed = True
            return self.passed

    def cancel(self) -> bool:
        """Stop the work at the gate; return False if it has passed (it then finishes)."""
        with self._lock:
            if not self.passed:
                self.cancelled = True
            return self.cancelled


class Job:
    """One piece of background work: wait for it or poll done(), then take result(); or cancel() it."""

    def __init__(self) -> None:
        self._finished = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None

    def done(self) -> bool:
        """Return True once the work has finished (or failed)."""
        return self._finished.is_set()

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds` for the work; return whether it finished."""
        return self._finished.wait(seconds)

    def result(self) -> Any:
        """Return what the work produced, or raise what it raised."""
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self) -> bool:
        """Abandon the work; return False if it can no longer be stopped (it then finishes)."""
        raise NotImplementedError

    def _finish(self, value: Any = None, error: BaseException | None = None) -> None:
        self._value, self._error = value, error
        self._finished.set()


class ThreadJob(Job):
    """Runs `work(gate)` in a daemon thread; cancel() stops it at the gate if it has not passed it."""

    def __init__(self, work: Callable[[Gate], Any]) -> None:
        super().__init__()
        self.gate = Gate()
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[Gate], Any]) -> None:
        try:
            value = work(self.gate)
        except BaseException as error:  # noqa: BLE001 - handed to the window's thread by result()
            self._finish(error=error)
        else:
            self._finish(value)

    def cancel(self) -> bool:
        """Stop the work at its gate; False if it is past the gate and will finish."""
        return self.gate.cancel()


CHILD = "from explorer.files.background import child_main; child_main()"


def child_main() -> None:
    """Load the file named by argv[1] and write the pickled outcome to stdout (the child's side)."""
    # FileFormatError goes as its parts: pickling it would keep only its str().
    path = sys.argv[1]
    message: tuple[Any, ...]
    try:
        message = ("ok", reader.load(path))
    except FileFormatError as error:
        message = ("error", error.problem, error.source)
    except Exception as error:  # noqa: BLE001 - reported as one line like any unreadable file
        message = ("error", f"could not open: {one_line(error)}", path)
    sys.stdout.buffer.write(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


class ProcessLoad(Job):
    """Loads a network file with reader.load in a child Python; result() is its NetworkFile."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self._cancelled = False
        # A plain child interpreter, not multiprocessing: spawn would re-run the window's main
        # script in the child, and fork would copy Qt's threads' locks in whatever state they are.
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(explorer.__file__)))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-c", CHILD, path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._receiver = threading.Thread(target=self._receive, daemon=True)
        self._receiver.start()

    def _receive(self) -> None:
        # read() waits without the GIL; unpickling the arrays takes a moment and is done here too.
        assert self._process.stdout is not None
        with self._process.stdout as output:
            data = output.read()
        code = self._process.wait()
        try:
            message = pickle.loads(data) if data else None  # noqa: S301 - our own child's output
        except Exception:  # noqa: BLE001 - a child killed mid-write leaves a truncated pickle
            message = None
        if message is None:
            problem = "the load was cancelled" if self._cancelled else "the reading process stopped"
            self._finish(error=FileFormatError(f"{problem} (exit code {code})", self.path))
        elif message[0] == "ok":
            self._finish(message[1])
        else:
            self._finish(error=FileFormatError(message[1], message[2]))

    def result(self) -> NetworkFile:
        """Return the loaded file, or raise FileFormatError."""
        value: NetworkFile = super().result()
        return value

    def cancel(self) -> bool:
        """Stop the child process; a load can always be abandoned."""
        self._cancelled = True
        if self._process.poll() is None:
            self._process.terminate()
        return True


def load_job(path: str) -> Job:
    """Start loading `path` in a child process (in a thread where there is no Python to start)."""
    if not sys.executable:
        return ThreadJob(lambda gate: reader.load(path))
    return ProcessLoad(path)
