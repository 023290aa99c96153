"""Use cases: plain functions (db, args, progress) -> result. Every write goes through here. Never Qt."""
