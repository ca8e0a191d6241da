"""The change history of a case reads in words, in the reader's language: why each change was
made (the transition's name, "agreement signed", "handed back down"), the fields, people, teams,
states, amounts and dates; never the keys the services store ("close", "fail_mediation: …",
"agreement binding", "deescalated", "· 提交")."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from casework.cases.lifecycle import TRANSITIONS
from casework.cases.services.transitions import case_transition
from casework.clocks.escalation import case_deescalate, case_escalate
from casework.supervision.history import REASON_WORDS, readable_reason
from mediation.choices import SignatureMethod
from mediation.services.agreements import SignatureInput, agreement_draw_up, agreement_sign
from tests.factories.cases import (
    REASON,
    cover_streets_with_unit_office,
    make_case,
    make_org,
    put_case_in_state,
)
from tests.mediation.conftest import TODAY, hold, terms_for

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]

CODE_NAME = re.compile(
    r"\b[a-z]+(?:_[a-z]+)+\b|agreement binding|deescalated"
    r"|· (?:close|resolve|accept|reopen|assign|grouped|collective|escalated|binding|void|filed)\b"
)
HAN = re.compile(r"[\u3400-\u9fff]")


def _history_text(client, case, language: str) -> str:
    page = client.get(
        reverse("casework:case_history", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    listing = page.split('<ol class="history">', 1)[1].split("</ol>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", listing))


def _walk_a_case_through_every_kind_of_change(org):
    """One case through mediation to a binding agreement, resolved, closed, reopened,
    escalated and handed back; another through failed mediation to a referral."""
    agreed = put_case_in_state(
        make_case(worker=org.worker, street=org.a.street, platform=org.platform),
        "verifying",
        org.supervisor,
    )
    case_transition(actor=org.supervisor, case_id=agreed.pk, name="request_response")
    case_transition(
        actor=org.supervisor, case_id=agreed.pk, name="record_response", reason="企业已回应"
    )
    hold(org, agreed)  # starts mediation; an agreement rests on a held session
    agreement = agreement_draw_up(actor=org.a.mediator, terms=terms_for(agreed), case_id=agreed.pk)
    for side, case_id in (("worker", agreed.pk), ("employer", None), ("mediator", None)):
        signature = SignatureInput(
            side=side, case_id=case_id, signer_name="签名人", method=SignatureMethod.IN_PERSON
        )
        agreement_sign(actor=org.a.mediator, agreement_id=agreement.pk, signature=signature)
    case_transition(
        actor=org.supervisor, case_id=agreed.pk, name="resolve", waiver="工人放弃其余金额。"
    )
    case_transition(actor=org.supervisor, case_id=agreed.pk, name="close")
    case_transition(actor=org.supervisor, case_id=agreed.pk, name="reopen", reason=REASON)
    case_escalate(actor=org.supervisor, case_id=agreed.pk, reason="金额较大")
    case_deescalate(actor=org.supervisor, case_id=agreed.pk, reason="已核实")

    failed = put_case_in_state(
        make_case(worker=org.worker, street=org.a.street, platform=org.platform),
        "mediation_failed",
        org.supervisor,
    )
    case_transition(
        actor=org.supervisor,
        case_id=failed.pk,
        name="refer",
        referral_target="arbitration",
        referral_reference="仲裁2026-1号",
    )
    return agreed, failed


def test_the_history_of_a_case_reads_in_chinese_words_without_code_names(client):
    org = cover_streets_with_unit_office(make_org())
    agreed, failed = _walk_a_case_through_every_kind_of_change(org)
    client.force_login(org.supervisor)

    for case in (agreed, failed):
        text = _history_text(client, case, "zh-hans")
        assert not CODE_NAME.findall(text), f"code names on the history page: {text}"
        english = re.findall(r"[A-Za-z]{3,}", text)
        assert not english, f"English words on the Chinese history page: {english}"
    agreed_text = _history_text(client, agreed, "zh-hans")
    for words in ("受理", "调解协议", "¥2,400.00", "金额较大", "已核实"):
        assert words in agreed_text, f"{words!r} missing from: {agreed_text}"


def test_the_history_of_a_case_reads_in_english_words_for_an_english_reader(client):
    org = cover_streets_with_unit_office(make_org())
    agreed, failed = _walk_a_case_through_every_kind_of_change(org)
    org.supervisor.preferred_language = "en"
    org.supervisor.save(update_fields=["preferred_language"])
    client.force_login(org.supervisor)

    for case in (agreed, failed):
        text = _history_text(client, case, "en")
        assert not CODE_NAME.findall(text), f"code names on the history page: {text}"
        # What remains in Chinese is what people wrote and named (reasons, people, places).
        data = [
            "签名人",
            "企业已回应",
            REASON,
            "工人放弃其余金额。",
            "金额较大",
            "已核实",
            "仲裁2026-1号",
        ]
        data += [case.worker_name, org.supervisor.name, org.a.mediator.name, org.worker.name]
        data += [org.a.street.name, org.platform.name]
        data += [
            team.name for team in (case.team, org.a.station, org.unit_office, org.a.coordinators)
        ]
        for word in sorted(set(data), key=len, reverse=True):
            text = text.replace(word, " ")
        assert not HAN.findall(text), f"Chinese words on the English history page: {text}"
    agreed_text = _history_text(client, agreed, "en")
    assert "¥2,400.00" in agreed_text and "Mediation agreement signed by every party" in agreed_text


@pytest.mark.parametrize("key", [*TRANSITIONS, *REASON_WORDS])
def test_every_stored_reason_reads_as_words_in_both_languages(key):
    with translation.override("zh-hans"):
        chinese = readable_reason(f"{key}: 双方分歧较大")
        assert HAN.search(chinese.split("：")[0]) and not re.search(r"[A-Za-z]", chinese), chinese
        assert chinese.endswith("：双方分歧较大"), chinese
    with translation.override("en"):
        english = readable_reason(key)
        assert not HAN.search(english) and not CODE_NAME.search(english), english
        assert english[0].isupper() and (english != key or key == "Filed"), english


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_contract_s_history_reads_in_words(client, language):
    from tests.contracts.builders import make_contract_org, put_contract_in_state

    co = make_contract_org()
    contract = put_contract_in_state(
        "expired", keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    co.supervisor.preferred_language = language
    co.supervisor.save(update_fields=["preferred_language"])
    client.force_login(co.supervisor)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    history = page.split("<h2>", 1)[1] if "<h2>" in page else page
    listing = re.sub(r"<[^>]+>", " ", history.split('<ol class="history">')[-1].split("</ol>")[0])
    assert listing.strip(), "the contract's history is shown"
    assert not CODE_NAME.findall(listing), listing
    if language == "zh-hans":
        assert not re.findall(r"[A-Za-z]{3,}", listing), listing


def test_the_adapter_that_carried_a_reply_upstream_reads_as_words_not_its_key():
    from casework.channels.models import UpstreamOrder
    from casework.supervision.history import readable_value

    field = UpstreamOrder._meta.get_field("reply_sent_via")
    with translation.override("zh-hans"):
        words = readable_value(field, "file")
    assert words and words != "file"
    assert readable_value(field, "") == ""
