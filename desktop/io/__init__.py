"""Files in and out (Excel, PDF, CSV, packages). Heavy imports live inside functions; never the database."""
