"""Clean up after SIGTERM, SIGHUP and Ctrl-C while an output file is being written.

Python's default for SIGTERM and SIGHUP is to die at once, which skips ``finally`` blocks and
leaves the temporary ``.part`` file behind. While writing, these signals raise
:class:`Interrupted` instead, so the writer's cleanup runs; then the previous handler is put
back and the signal is sent again, so the process still ends the way its caller expects
(killed by that signal, exit status 128 + signal number in a shell). Ctrl-C already raises
KeyboardInterrupt, which the same cleanup handles. Handlers can only be set in the main
thread; elsewhere this does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(BaseException):
    """A terminating signal arrived while an output file was being written."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


def _raise(signum, frame):
    raise Interrupted(signum)


@contextlib.contextmanager
def cleanup_on_signals():
    """Within the block, SIGTERM/SIGHUP raise Interrupted; afterwards, the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in SIGNALS:
        if signal.getsignal(signum) == signal.SIG_DFL:     # keep a caller's own handler
            previous[signum] = signal.signal(signum, _raise)
    try:
        yield
    except Interrupted as exc:
        _restore(previous)
        os.kill(os.getpid(), exc.signum)                   # die by the signal, as asked
        raise SystemExit(128 + exc.signum) from None       # if it did not kill us
    finally:
        _restore(previous)


def _restore(previous: dict) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)
