"""``python -m stretchcli``."""

from stretchcli.cli.entry import main

main()
