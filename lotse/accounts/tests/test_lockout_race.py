"""Parallel guesses must not slip past the limit (found in review: check and record were two
steps, so 30 simultaneous wrong passwords were all evaluated)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lotse.accounts.tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_evaluate_at_most_the_limit(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # realistic timing
    user = UserFactory()
    parallel = 30
    barrier = threading.Barrier(parallel)
    statuses: list[int] = []

    def guess(n: int) -> None:
        try:
            barrier.wait()
            response = Client().post(
                reverse("accounts:login"),
                {"username": user.username, "password": f"guess-{n}-xxxxxxxx"},
                REMOTE_ADDR=f"10.20.{n}.1",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == parallel
    evaluated = statuses.count(200)  # 200: the password was checked (and wrong); 429: refused
    assert evaluated <= settings.LOCKOUT_FAILURES
