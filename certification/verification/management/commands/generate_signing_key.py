"""Create an Ed25519 private key for signing credentials (development, or a key rotation)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.verification import keys, services


class Command(BaseCommand):
    help = (
        "Generate an Ed25519 private key (PEM) for signing certificates' credentials. "
        "Point CREDENTIAL_SIGNING_KEY_FILE at the file. With --rotate, the new key becomes "
        "the current one at once; the old public key stays published."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--output",
            help="File to write (refuses to overwrite). Default: the development key file "
            f"{keys.DEV_KEY_PATH}.",
        )
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Publish the new key as current and retire the current one (kept published).",
        )

    def handle(self, *args, output=None, rotate=False, **options):  # type: ignore[no-untyped-def]
        path = Path(output) if output else keys.dev_key_path()
        if path.exists():
            raise CommandError(f"{path} already exists: choose another --output file.")
        key = keys.generate_private_key()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(keys.private_key_to_pem(key))
        path.chmod(0o600)
        if rotate:
            services.register_signing_key(private_key=key)
        self.stdout.write(f"Private key written to {path} (key id {keys.thumbprint(key)}).")
        self.stdout.write(f"Set CREDENTIAL_SIGNING_KEY_FILE={path.resolve()}")
        if rotate:
            self.stdout.write(
                "The new key is current; the previous one is retired and stays published. "
                "Update CREDENTIAL_SIGNING_KEY_FILE before signing anything else."
            )
