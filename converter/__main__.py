"""``python -m converter`` runs the muscle-convert command line; :func:`main` is also the
console script's entry point."""

import os
import sys
from typing import NoReturn


def main() -> None:
    """Load and run the command line. Ctrl-C while it loads (its first tenth of a
    second) ends the run as Ctrl-C does later: "Aborted!" and status 130. The process
    ends as the run does (see :func:`_end`)."""
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        try:
            sys.stderr.write("Aborted!\n")
            sys.stderr.flush()
        except BrokenPipeError:  # (a reader of stderr that stopped: it takes none of it)
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, sys.stderr.fileno())
            os.close(nowhere)
        sys.exit(130)  # (cli.INTERRUPTED, not loaded yet)
    try:
        run()
    except SystemExit as done:
        _end(done)


def _end(done: SystemExit) -> NoReturn:
    """End the process with the status ``done`` carries once the interpreter's at-exit
    work is done (the callbacks of :mod:`atexit`, multiprocessing's included, and the
    standard streams flushed), with no teardown after it: the interpreter's resets the
    signal handlers the run keeps up to the process's exit (see
    :mod:`~converter.once_written`) and runs on for tens of milliseconds, where a signal
    ended the process without a word. Where the interpreter's own exit has more to do
    (another thread to wait for, a status that is a message, a stream that refuses its
    last bytes) it ends the process as ever."""
    import atexit
    import threading

    code = 0 if done.code is None else done.code
    waiting = [t for t in threading.enumerate()
               if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if not isinstance(code, int) or waiting:
        raise done
    atexit._run_exitfuncs()  # (each run once: they are let go as they run)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            raise done from None
    os._exit(code)


if __name__ == "__main__":
    main()
