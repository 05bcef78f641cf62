"""A plan over weeks: plan file -> model -> schedule (what is due, done, skipped; the dose
in use; suspended items) and reminders through the system's own scheduler."""
