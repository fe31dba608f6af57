"""Replace Wagtail's welcome page with a Parcours home page, add the site's languages, and let
coordinators edit pages, images and documents."""

import uuid

from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("cms_pages", "HomePage")

    french, _ = Locale.objects.get_or_create(language_code="fr")
    for code in ("en", "nl"):
        Locale.objects.get_or_create(language_code=code)

    # Wagtail's own migration created a "Welcome" page at depth 2; replace it.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", slug="home").delete()
    root = Page.objects.get(depth=1)
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms_pages")
    numchild = Page.objects.filter(depth=2).count()
    home = HomePage.objects.create(
        title="Parcours",
        draft_title="Parcours",
        slug="home",
        content_type=content_type,
        path=f"{root.path}{numchild + 1:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=french,
        translation_key=uuid.uuid4(),
        live=True,
        intro="<p>La formation et la certification des pairs-aidants.</p>",
    )
    root.numchild = numchild + 1
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True, site_name="Parcours")

    ensure_permissions(apps, "wagtailcore", "wagtailimages", "wagtaildocs")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    # Wagtail's sample groups would sit confusingly beside the Parcours roles.
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()
    coordinator, _ = Group.objects.get_or_create(name="coordinator")
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=coordinator, page=root, permission=permission)
    collection = Collection.objects.get(depth=1)
    for app_label, codename in COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=coordinator, collection=collection, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cms_pages", "0001_initial"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_home, migrations.RunPython.noop)]
