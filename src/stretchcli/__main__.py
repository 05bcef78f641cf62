"""``python -m stretchcli``."""

from stretchcli.cli.app import main

main()
