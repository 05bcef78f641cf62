"""The `stretch` command line; the only package that imports typer (see ``app``)."""
