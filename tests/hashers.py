"""A cheap Argon2 for the test process: the same algorithm and hash format as production, at a
cost a test can pay hundreds of times (production's costs 0.15 s of CPU and 100 MB per hash)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB
    parallelism = 1
