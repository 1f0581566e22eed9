"""``python -m converter`` runs the muscle-convert command line; :func:`main` is also the
console script's entry point."""

import os
import sys


def main() -> None:
    """Load and run the command line. Ctrl-C while it loads (its first tenth of a
    second) ends the run as Ctrl-C does later: "Aborted!" and status 130."""
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
    run()


if __name__ == "__main__":
    main()
