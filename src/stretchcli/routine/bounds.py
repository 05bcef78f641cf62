"""The bounds of a routine's dosing, each stated in the message a user sees when a value is
outside them. Stdlib only: the command-line options (``--hold``, ``--reps``...) check them
without loading the pydantic models."""

HOLD_MIN, HOLD_MAX = 1, 3600  # a hold: 1 s .. 1 h
PAUSE_MAX = 600  # rest, prep and switch: 0 s .. 10 min
REPS_MIN, REPS_MAX = 1, 50
