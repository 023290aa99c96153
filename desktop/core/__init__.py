"""Pure domain logic: standard library only, no I/O beyond what a caller passes in."""
