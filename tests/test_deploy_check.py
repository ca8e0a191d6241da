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


def bureau_signing_files(tmp_path) -> dict[str, str]:
    """The README's signing key, certificate and chain, made for the test (a throwaway CA in
    place of the authority that certified the bureau)."""
    from mediation.documents.local_ca import create_local_ca

    files = create_local_ca(tmp_path / "bureau-signing")
    return {
        "ANXIN_SIGNING_KEY": str(files.key),
        "ANXIN_SIGNING_CERT": str(files.cert),
        "ANXIN_SIGNING_CHAIN": ",".join(str(path) for path in files.chain),
    }


def check_deploy(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ANXIN_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(readme_production_env(), ANXIN_VAR_DIR=str(tmp_path))
    env.update(bureau_signing_files(tmp_path), **overrides)
    env = {name: value for name, value in env.items() if value is not None}
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


def test_production_refuses_to_start_without_the_bureau_signing_key(tmp_path):
    result = check_deploy(tmp_path, ANXIN_SIGNING_KEY=None, ANXIN_SIGNING_CERT=None)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "ANXIN_SIGNING_KEY" in result.stderr


def test_the_local_test_ca_fails_the_deploy_check(tmp_path):
    result = check_deploy(
        tmp_path, ANXIN_SIGNING_KEY=None, ANXIN_SIGNING_CERT=None, ANXIN_SIGNING_LOCAL_CA="1"
    )
    assert result.returncode != 0 and "mediation.E002" in result.stderr, result.stderr


def test_a_signing_key_that_is_not_the_certificates_fails_the_deploy_check(tmp_path):
    (tmp_path / "other").mkdir()
    other = bureau_signing_files(tmp_path / "other")
    result = check_deploy(tmp_path, ANXIN_SIGNING_KEY=other["ANXIN_SIGNING_KEY"])
    assert result.returncode != 0 and "mediation.E003" in result.stderr, result.stderr
