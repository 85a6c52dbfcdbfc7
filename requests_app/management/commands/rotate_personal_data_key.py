"""Re-encrypt every piece of personal data under the first key of PERSONAL_DATA_KEYS, and recompute
the keyed hashes with PERSONAL_DATA_HASH_KEY. Safe to run again; run it after putting a new key first."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.crypto import EncryptedTextField

BATCH = 500


class Command(BaseCommand):
    help = (
        "用 PERSONAL_DATA_KEYS 的第一个密钥重新加密全部申请人个人信息，并用 PERSONAL_DATA_HASH_KEY 重新计算查重散列。"
        " / Re-encrypt all personal data with the first key of PERSONAL_DATA_KEYS and recompute the keyed hashes."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            done = self._rotate(model, fields)
            self.stdout.write(f"{model._meta.verbose_name}：已重新加密 {done} 条（{', '.join(fields)}）")
        self.stdout.write(self.style.SUCCESS("完成。确认无误后即可从 PERSONAL_DATA_KEYS 中删去旧密钥。"))

    def _rotate(self, model, fields):
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                # Loading decrypts with whichever key opens the row; update() encrypts with the first.
                for row in model._default_manager.filter(pk__in=pks[start:start + BATCH]).only(*fields).select_for_update():
                    values = {name: getattr(row, name) for name in fields}
                    if hasattr(row, "personal_data_hashes"):
                        values.update(row.personal_data_hashes())
                    model._default_manager.filter(pk=row.pk).update(**values)
        return len(pks)
