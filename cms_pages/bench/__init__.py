"""The ``bench`` command's parts: a separate database, a synthetic dataset, measures, a report.

Nothing here is imported by the product: the command and the load test are its only users.
"""
