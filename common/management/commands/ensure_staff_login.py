"""Create (once) the demo staff superuser for `make run` and print its login."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "创建演示用的局机关工作人员账号（超级用户）并打印登录信息；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username: str, url: str, **options):
        username = (username or "").strip()
        if not username or len(username) > 150:
            raise CommandError("--username 不能为空，且不超过 150 个字符。")
        if not url.startswith(("http://", "https://")):
            raise CommandError(f"--url 必须以 http:// 或 https:// 开头，收到“{url}”。")
        password_file = Path(settings.BASE_DIR) / ".demo-admin-password"
        if password_file.exists():
            password = password_file.read_text().strip()
        else:
            password = secrets.token_urlsafe(9)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not user.check_password(password):
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        self.stdout.write(self.style.SUCCESS(f"登录地址 {url}  用户名 {username}  密码 {password}"))
