"""How long a failed mail waits before its next try: doubling from a minute, at most 6 h."""

from datetime import timedelta

from directory.operations.outgoing_mail import RetryPolicy


def test_a_failed_mail_waits_twice_as_long_each_time_up_to_six_hours():
    policy = RetryPolicy()
    waits = [policy.delay(attempts) for attempts in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert waits[-1] == timedelta(hours=6) and max(waits) == timedelta(hours=6)
    assert waits == sorted(waits)
    # Ten attempts in all (the default) span about eight and a half hours.
    assert sum((policy.delay(n) for n in range(1, policy.max_attempts)), timedelta()) < timedelta(
        hours=9
    )
