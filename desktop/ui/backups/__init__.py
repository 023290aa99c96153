"""Backups in the window: RestoreDialog lists the backups of the open database and restores one."""
