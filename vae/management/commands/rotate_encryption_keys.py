"""Re-encrypt every encrypted field with the first key of VAE_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand, CommandError

from vae.services.encryption import rotate_encryption_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt lived-experience narratives, jury recommendations and justifications with "
        "the FIRST key of VAE_ENCRYPTION_KEYS. Put the new key first (NEW,OLD), run this, then "
        "remove the old key. Safe to run again: values already under the first key are skipped."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def handle(self, *args, batch_size=500, dry_run=False, **options):  # type: ignore[no-untyped-def]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        results = rotate_encryption_keys(batch_size=batch_size, dry_run=dry_run)
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        for label, count in results.items():
            self.stdout.write(
                f"{label}: {count.rotated} {verb}, {count.current} already under the first key, "
                f"{count.unreadable} unreadable"
            )
        unreadable = {label: c.unreadable_ids for label, c in results.items() if c.unreadable}
        if unreadable:
            # Ids only: which rows no configured key can read (a key retired too early?).
            self.stderr.write(
                "Some values could not be decrypted with any configured key and were left as "
                f"they are (ids): {unreadable}. Do not retire a key while this is not empty."
            )
        elif not dry_run:
            self.stdout.write(self.style.SUCCESS("Every value is under the first key."))
