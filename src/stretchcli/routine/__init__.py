"""Routine files: file -> model -> timeline.

Durations, the pydantic model, finding and loading files, one-line problems, the
timeline compiler, routines made from the command line, the starter file.
"""
