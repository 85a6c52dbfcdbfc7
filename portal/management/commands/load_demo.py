from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "载入演示县（青禾县）的机构、人员和各模块示例数据；重复运行不会改变已有数据。"
        " Load the demo county: each app's demo.load_demo(), in INSTALLED_APPS order (idempotent)."
    )

    def handle(self, *args, **options):
        # Each app contributes its own demo data, so portal need not import the apps built on it.
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(config.name) is None or find_spec(module_name) is None:
                continue
            summary = import_module(module_name).load_demo()
            self.stdout.write(f"{config.verbose_name}：{summary}")
