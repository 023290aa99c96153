"""Qt item models over store records: built from plain lists, so they are tested without a window."""
