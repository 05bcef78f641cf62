"""``python -m stretchcli``."""

from stretchcli.cli import main

main()
