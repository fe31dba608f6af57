"""Scan every text, char and JSON column of every model for given values."""

import json

from django.apps import apps
from django.db import models


def text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def scan(needles: dict[str, str]) -> set[tuple[str, str, str]]:
    """(model label, field, needle label) for every column value containing a needle; reads
    through the ORM, so encrypted columns are compared in clear."""
    found = set()
    lowered = {label: value.casefold() for label, value in needles.items()}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = text_fields(model)
        if not fields:
            continue
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                if value in (None, "", [], {}):
                    continue
                if isinstance(field, models.JSONField):
                    text = json.dumps(value, ensure_ascii=False, default=str)
                else:
                    text = str(value)
                text = text.casefold()
                for label, needle in lowered.items():
                    if needle in text:
                        found.add((model._meta.label, field.name, label))
    return found
