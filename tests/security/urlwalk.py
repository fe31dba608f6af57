"""Every URL the project answers, found by walking the resolver (and routable pages)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import get_page_models

# Packages written in this repository. A pattern whose view, or whose Wagtail viewset model,
# lives in one of them is "ours" and needs an explicit row in the permission matrix.
PROJECT_PACKAGES = ("lms", "certification", "courses", "vae", "cms_pages")


@dataclass(frozen=True)
class Pattern:
    key: str  # the namespaced URL name, "page:<app.Model>[:<route>]", or the route if unnamed
    route: str
    module: str  # where the view (or the viewset's model) is defined

    @property
    def is_project(self) -> bool:
        return self.module.split(".")[0] in PROJECT_PACKAGES


def _owner_module(callback) -> str:  # type: ignore[no-untyped-def]
    model = getattr(callback, "view_initkwargs", {}).get("model")
    if isinstance(model, type) and model.__module__.split(".")[0] in PROJECT_PACKAGES:
        return model.__module__
    view_class = getattr(callback, "view_class", None)
    return (view_class or callback).__module__


def _walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]):  # type: ignore[no-untyped-def]
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            key = ":".join((*namespaces, entry.name)) if entry.name else route
            yield Pattern(key=key, route=route, module=_owner_module(entry.callback))


def project_page_models() -> list[type]:
    return [m for m in get_page_models() if m.__module__.split(".")[0] in PROJECT_PACKAGES]


def all_patterns() -> list[Pattern]:
    """URL patterns (the i18n prefix is a LocalePrefixPattern, walked like any other), then one
    entry per project page type and per route of a project routable page (served by Wagtail's
    catch-all, they are ours too)."""
    patterns = list(_walk(get_resolver(), "", ()))
    for model in project_page_models():
        label = model._meta.label
        patterns.append(Pattern(key=f"page:{label}", route=f"<{label}>", module=model.__module__))
        if issubclass(model, RoutablePageMixin):
            for sub in model.get_subpage_urls():
                patterns.append(
                    Pattern(
                        key=f"page:{label}:{sub.name}",
                        route=f"<{label}>/{sub.pattern}",
                        module=model.__module__,
                    )
                )
    return patterns
