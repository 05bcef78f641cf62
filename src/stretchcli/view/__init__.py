"""Rendering, and the only package that imports rich: the live session screen, plain
lines, routine listings, the log and stats."""
