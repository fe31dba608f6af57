from hypothesis import HealthCheck, settings

# The fuzz suite's budgets. "ci" (the default) keeps the whole suite near a minute on a small
# machine; FUZZ_PROFILE=thorough digs deeper before a release.
_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=25, **_COMMON)
settings.register_profile("thorough", max_examples=300, **_COMMON)
