"""`manage.py check --deploy` with the README's own production variables: every warning it
reports is one the README explains, and a short secret key stops start-up."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x7!kq-production-like-secret-" + "a1b2c3d4e5f6g7h8i9j0" * 3


def readme_production_env() -> dict[str, str]:
    """The variables of the `export` in the README's "Production" section, as written there
    ("..." placeholders aside: the secret key gets a real one, the others are left unset)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    export = re.search(r"^export (.*?)\n(?!\s)", section, re.M | re.S).group(1)
    env = dict(word.split("=", 1) for word in shlex.split(export.replace("\\\n", " ")))
    env["DJANGO_SECRET_KEY"] = SECRET
    return {name: value for name, value in env.items() if value != "..."}


def readme_expected_warnings() -> set[str]:
    """The check ids the README says `check --deploy` reports with those variables."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    sentence = re.search(r"`manage\.py check --deploy` with the variables above[^:]*:", section)
    return set(re.findall(r"security\.W\d+", sentence.group(0)))


def check_deploy(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ANXIN_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(readme_production_env(), ANXIN_VAR_DIR=str(tmp_path), **overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_exactly_what_the_readme_says(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"security\.W\d+", result.stderr + result.stdout))
    assert reported == readme_expected_warnings(), result.stderr + result.stdout


def test_a_short_secret_key_stops_start_up_in_production(tmp_path):
    result = check_deploy(tmp_path, DJANGO_SECRET_KEY="x")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "50" in result.stderr
