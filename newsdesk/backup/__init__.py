"""Backup and restore of a whole newsroom as one archive (`newsdesk export` / `newsdesk import`)."""
