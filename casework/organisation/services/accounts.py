from casework.organisation.choices import Language
from casework.organisation.models import User


def user_set_language(*, actor: User, language: str) -> None:
    """Remember the language the user reads in (pages, notifications and texts).

    Changes: actor.preferred_language. Sends nothing.
    """
    if language not in Language.values:
        raise ValueError(f"Unsupported language: {language!r}")
    if actor.preferred_language != language:
        actor.preferred_language = language
        actor.save(update_fields=["preferred_language"])
