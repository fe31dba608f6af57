from hypothesis import HealthCheck, settings

# The fuzz suite's budgets, in examples per target: each target of tests/security/test_fuzz.py
# runs its ``share`` of them (buttons, which read no field, 15%: 3 at "ci"). "ci" (the default)
# is about 1,500 requests, the whole file in about 2 minutes on 2 xdist workers, 45 seconds of
# which is each worker building its database; FUZZ_PROFILE=thorough digs deeper before a release.
# No deadline: a slow example is not a failure (the machine may be busy), a 500 is.
#
# Named "fuzz-…": Hypothesis has its own "ci" profile, loaded for every test when the CI
# variable is set; overwriting it would shrink the budget of every property test in the suite.
# They inherit from the active profile, so on CI the fuzz inputs are derandomized as well.
_COMMON = {
    "parent": settings(),
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("fuzz-ci", max_examples=20, **_COMMON)
settings.register_profile("fuzz-thorough", max_examples=300, **_COMMON)
