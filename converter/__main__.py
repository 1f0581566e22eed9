"""``python -m converter`` runs the muscle-convert command line; :func:`main` is also the
console script's entry point."""

import sys


def main() -> None:
    """Load and run the command line. Ctrl-C while it loads (its first tenth of a
    second) ends the run as Ctrl-C does later: "Aborted!" and status 130."""
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")
        sys.exit(130)  # (cli.INTERRUPTED, not loaded yet)
    run()


if __name__ == "__main__":
    main()
