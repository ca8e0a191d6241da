"""`manage.py check --deploy` with production-like settings: every warning is explained."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!kq-production-like-secret-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
    "DJANGO_ALLOWED_HOSTS": "anxin.example.gov.cn",
    "ANXIN_BEHIND_TLS_PROXY": "1",
    "ANXIN_SSL_REDIRECT": "1",
    "ANXIN_HSTS_SECONDS": "31536000",
    "ANXIN_HSTS_INCLUDE_SUBDOMAINS": "1",
    "ANXIN_HSTS_PRELOAD": "1",
}

# Warnings the README's "Production" section explains (none at present).
EXPLAINED: set[str] = set()


def test_check_deploy_reports_nothing_unexplained(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(PRODUCTION_ENV, ANXIN_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    ids = {
        line.split(":")[0].strip("() ?")
        for line in result.stderr.splitlines()
        if "security." in line
    }
    unexplained = {i for i in ids if i not in EXPLAINED}
    assert result.returncode == 0 and not unexplained, result.stderr + result.stdout
