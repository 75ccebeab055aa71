"""Password hashers. Production uses Django's Argon2 hasher with its default cost; the test
suite uses the same algorithm with a minimal cost so that hundreds of logins stay fast."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with minimal cost. For the test settings only."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
