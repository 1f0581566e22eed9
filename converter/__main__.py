"""``python -m converter`` runs the muscle-convert command line."""

from .cli import main

main()
