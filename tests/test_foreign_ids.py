"""Every URL of the project, for every role, with the IDs of someone else's objects.

The world has two streets. Everything of street b (its cases, group, mediation session,
agreement, document, deadlines, evidence, its regional collective contract with clauses and
representatives, the other worker's notifications, a company only street b's cases name) is
foreign to every actor below, who all belong to street a (or to nobody).

Each URL pattern (found by walking the resolver, so a new page is covered the day it is added)
is requested by each actor:
- with every int path converter filled with the foreign object of its kind, by GET and by a
  POST whose body names foreign objects in every field a form might read: the answer is a
  404 or 403 (405 for the wrong method, 302 to sign-in for the anonymous), never a page;
- with the actor's own objects in the path (or no IDs at all) and the same foreign body: any
  answer but a 500, and no page shows street b's data.
In every case nothing of street b changes: its rows (every field, history and timeline
counts) are checksummed before and after each request, and the row count of every table is
compared around each foreign-ID request.
"""

import hashlib
import io
import itertools
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from casework.cases.choices import CaseState, Channel
from casework.cases.models import Case
from casework.cases.services.evidence import case_worker_message
from casework.clocks.extensions import deadline_extend
from casework.clocks.models import Deadline, DeadlineExtension
from casework.core.roles import Role
from casework.core.uploads import check_evidence_file
from casework.groups.models import CaseGroup
from casework.groups.services import group_add_cases
from casework.intake.services import PartyInput, case_file
from casework.notifications.models import Notification
from mediation.contracts.models import CollectiveContract
from mediation.documents.models import Document
from mediation.models import Agreement, MediationSession
from mediation.services.agreements import agreement_draw_up
from platforms.choices import CompanyKind
from platforms.models import Representative
from platforms.webhooks.services import endpoint_create, endpoint_ping
from tests.contracts.builders import add_clause, add_representatives, regional_terms
from tests.factories.cases import (
    make_case_worker,
    make_complaint,
    make_org,
    make_platform,
    put_case_in_state,
)
from tests.factories.foreign import LEDGER_CASE, build_later_foreign_objects
from tests.factories.organisation import make_staff
from tests.mediation.conftest import hold, schedule, terms_for

pytestmark = [pytest.mark.now("2026-04-13", hour=10), pytest.mark.django_db]

# Not walked: Django's admin (its own permission checks, staff only), the i18n switch.
SKIPPED_PREFIXES = ("admin/", "i18n/")
# Public by design: a printed document's code is what proves it genuine; anyone holding the
# paper may check it. Requested like the others (no 500), without the 404 demand.
PUBLIC = {"mediation.views.documents.verify"}

REFUSED = {403, 404, 405}


def url_patterns(resolver=None, prefix=""):
    """(route, URLPattern) of every pattern, depth first."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("pay.jpg", buffer.getvalue(), content_type="image/jpeg")


class World:
    """Street a (the actors' own side) and street b (foreign), built through the services."""

    def __init__(self):
        org = self.org = make_org()
        self.own_platform = org.platform
        self.foreign_company = make_platform("闪送急送平台")

        # Street a: the actors' own case (mediating, with a session), and a group of two.
        self.own_case = self._case(org.worker, org.a.street, self.own_platform)
        self.own_case = put_case_in_state(self.own_case, CaseState.VERIFYING, org.supervisor)
        self.own_session = schedule(org, self.own_case)
        second = self._case(make_case_worker("王师傅"), org.a.street, self.own_platform)
        self.own_second = second
        self.own_group = group_add_cases(
            actor=org.a.coordinator, case_ids=[self.own_case.pk, second.pk]
        )

        # Street b: the other worker's case, in mediation, an agreement drawn up.
        b = org.b
        self.case = self._case(org.other_worker, b.street, self.foreign_company, files=[_jpeg()])
        self.evidence = self.case.evidence.get()
        self.case = put_case_in_state(self.case, CaseState.VERIFYING, org.supervisor)
        self.session = hold(org, self.case, actor=b.mediator)  # an agreement follows one
        self.agreement = agreement_draw_up(
            actor=b.mediator,
            terms=terms_for(self.case, amounts={self.case.pk: Decimal("2400.00")}),
            case_id=self.case.pk,
        )
        self.document = Document.objects.get(object_id=self.agreement.pk)
        # ... and a group of two more complaints of street b, against the platform street a's
        # cases name too (so that nothing but access keeps street a's cases out of it).
        g1 = self._case(make_case_worker("赵师傅"), b.street, self.own_platform)
        g2 = self._case(make_case_worker("钱师傅"), b.street, self.own_platform)
        self.group = group_add_cases(actor=b.coordinator, case_ids=[g1.pk, g2.pk])
        self.group_session = None
        self.deadline = Deadline.objects.filter(case=self.case).order_by("pk").first()
        # (self.case is in mediation: the inspection's extendable clock no longer runs there.)
        put_case_in_state(g1, CaseState.VERIFYING, b.coordinator)
        extendable = (
            Deadline.objects.filter(case=g1, rule__extension_length__gt=0, status="running")
            .order_by("pk")
            .first()
        )
        self.extension = deadline_extend(
            actor=b.coordinator, deadline_id=extendable.pk, reason="材料待补"
        )
        self.notification = (
            Notification.objects.filter(recipient=org.other_worker).order_by("pk").first()
        )
        # The foreign platform's webhook endpoint and one delivery (never sent: no commit here).
        rival = get_user_model().objects.create_user(username="rival.rep", password="x" * 12)
        Representative.objects.create(user=rival, company=self.foreign_company)
        self.endpoint, _secret = endpoint_create(
            actor=rival,
            company_id=self.foreign_company.pk,
            url="https://93.184.216.34/hook",
            events=["case.named"],
        )
        self.delivery = endpoint_ping(actor=rival, endpoint_id=self.endpoint.pk)
        # The later features' objects of street b (payments, work orders, governance, ...).
        self.later_ids = build_later_foreign_objects(self, rival)

        # A regional collective contract of street b, kept by the district.
        keeper = make_staff(role=Role.COORDINATOR, team=org.unit_office, display_name="劳动关系科")
        from mediation.contracts.services.terms import contract_create

        self.contract = contract_create(
            actor=keeper,
            terms=regional_terms(
                org,
                region=b.street,
                title="西城街道外卖配送行业集体合同",
                union_name="西城街道总工会",
            ),
        )
        add_representatives(self.contract, keeper)
        self.clause = add_clause(self.contract, keeper, "hourly-floor")
        self.representative = self.contract.representatives.order_by("pk").first()
        # ... and one of street a, which street a's supervisor keeps.
        self.own_contract = contract_create(actor=keeper, terms=regional_terms(org))
        add_representatives(self.own_contract, keeper)
        self.own_clause = add_clause(self.own_contract, keeper, "hourly-floor")

        self.case_ids = sorted(
            Case.objects.filter(jurisdiction=b.street).values_list("pk", flat=True)
        )

        # The actors: everyone of street a, workers, a representative, and nobody.
        self.actors = {
            "worker": org.worker,
            "another worker": make_case_worker("孙师傅"),
            "station coordinator": org.a.station_coordinator,
            "coordinator": org.a.coordinator,
            "mediator": org.a.mediator,
            "inspector": org.a.inspector,
            "street supervisor": make_staff(
                role=Role.SUPERVISOR, team=org.a.coordinators, display_name="街道督导"
            ),
            "platform representative": org.representative,
            "anonymous": None,
        }
        # Words only street b's pages would show (company names are the shared registry's).
        self.markers = [
            self.case.reference,
            g1.reference,
            "西城街道调解室",
            self.contract.title,
            "西城街道总工会",
            b.coordinator.username,
            b.mediator.username,
        ]

    @staticmethod
    def _case(worker, street, company, files=()):
        complaint = make_complaint(
            street=street, parties=[PartyInput(kind=CompanyKind.PLATFORM, company=company)]
        )
        case = case_file(actor=worker, complaint=complaint, channel=Channel.ONLINE)
        if files:
            case_worker_message(
                actor=worker,
                case_id=case.pk,
                body="",
                files=[check_evidence_file(f) for f in files],
            )
        return case

    # What a path converter names ------------------------------------------------------------

    def foreign_ids(self) -> dict:
        """{kwarg: id}, and {(route prefix, kwarg): id} where a name means different objects."""
        return {
            **self.later_ids,
            "case_id": self.case.pk,
            "evidence_id": self.evidence.pk,
            "group_id": self.group.pk,
            "session_id": self.session.pk,
            "agreement_id": self.agreement.pk,
            "document_id": self.document.pk,
            "contract_id": self.contract.pk,
            "clause_id": self.clause.pk,
            "representative_id": self.representative.pk,
            "number": 1,
            "company_id": self.foreign_company.pk,
            "notification_id": self.notification.pk,
            "deadline_id": self.deadline.pk,
            "extension_id": self.extension.pk,
            "endpoint_id": self.endpoint.pk,
            "delivery_id": self.delivery.pk,
        }

    def foreign_body(self) -> dict:
        """Every form field that names an object, naming street b's."""
        b = self.org.b
        return {
            "group": self.group.pk,
            "case": self.case.pk,
            "cases": [self.case.pk, *self.group.cases.values_list("pk", flat=True)],
            "case_id": self.case.pk,
            "assignee": b.coordinator.pk,
            "mediator": b.mediator.pk,
            "session": self.session.pk,
            "agreement": self.agreement.pk,
            "document": self.document.pk,
            "contract": self.contract.pk,
            "clause": self.clause.pk,
            "representative": self.representative.pk,
            "team": b.coordinators.pk,
            "jurisdiction": b.street.pk,
            "region": b.street.pk,
            "company": self.foreign_company.pk,
            "employer": self.foreign_company.pk,
            "notification": self.notification.pk,
            "deadline": self.deadline.pk,
            "party": f"worker:{self.case.pk}",
            f"a{self.agreement.pk}-party": f"worker:{self.case.pk}",
            "user": self.org.other_worker.pk,
            "worker": self.org.other_worker.pk,
            "reason": "测试原因",
            "expected_state": self.case.state,
            "place": "会议室",
            "scheduled_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": "纪要",
            "outcome": "agreement",
            "signer_name": "张三",
            "method": "in_person",
            "title": "标题",
            "body": "留言",
        }

    def own_ids(self, actor) -> dict:
        """The actor's own objects where they have some (else the foreign ones stay)."""
        own = {
            "case_id": self.own_case.pk,
            LEDGER_CASE: self.own_case.pk,
            "pk": self.own_case.pk,
            "group_id": self.own_group.pk,
            "session_id": self.own_session.pk,
            "company_id": self.own_platform.pk,
            "contract_id": self.own_contract.pk,
            "clause_id": self.own_clause.pk,
            "representative_id": self.own_contract.representatives.order_by("pk").first().pk,
        }
        mine = Notification.objects.filter(recipient=actor).order_by("pk").first()
        if actor and mine:
            own["notification_id"] = mine.pk
        return own

    # What must not change --------------------------------------------------------------------

    def foreign_checksum(self) -> str:
        """Every field of street b's rows, their history and timeline rows, the cases of its
        group (whatever their street), the other worker's notifications."""
        from casework.timeline.models import CaseEvent

        case_ids = self.case_ids
        parts = [
            Case.objects.filter(group=self.group).order_by("pk").values_list("pk"),
            Case.objects.filter(pk__in=case_ids).order_by("pk").values(),
            Case.history.filter(id__in=case_ids).values_list("history_id"),
            CaseEvent.objects.filter(case_id__in=case_ids).values_list("pk"),
            CaseGroup.objects.filter(pk=self.group.pk).values(),
            CaseGroup.history.filter(id=self.group.pk).values_list("history_id"),
            MediationSession.objects.filter(case_id__in=case_ids).values()
            | MediationSession.objects.filter(group=self.group).values(),
            Agreement.objects.filter(pk=self.agreement.pk).values(),
            self.agreement.signatures.values(),
            Document.objects.filter(pk=self.document.pk).values(),
            Deadline.objects.filter(case_id__in=case_ids).order_by("pk").values(),
            DeadlineExtension.objects.filter(deadline__case_id__in=case_ids).values(),
            Notification.objects.filter(recipient=self.org.other_worker).order_by("pk").values(),
            CollectiveContract.objects.filter(pk=self.contract.pk).values(),
            CollectiveContract.objects.filter(region=self.org.b.street).values_list("pk"),
            self.contract.clauses.order_by("pk").values(),
            self.contract.representatives.order_by("pk").values(),
            self.contract.rounds.values(),
            self.contract.versions.values_list("pk"),
            *(model.objects.filter(pk=pk).values() for model, pk in self.later_objects),
        ]
        digest = hashlib.sha256()
        for part in parts:
            digest.update(repr(list(part)).encode())
        return digest.hexdigest()


def row_counts() -> tuple[int, ...]:
    """The number of rows of every table (but sessions), in one query."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.label != "sessions.Session" and model._meta.managed
    )
    # Table names come from the models, not from input.
    sql = "SELECT " + ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def writes() -> int | None:
    """Rows written so far (by this connection on SQLite, in this transaction on PostgreSQL),
    to skip the checksums after a request that wrote nothing; None elsewhere (they run)."""
    queries = {
        "sqlite": "SELECT total_changes()",
        "postgresql": "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) "
        "FROM pg_stat_xact_user_tables",
    }
    if connection.vendor not in queries:
        return None
    with connection.cursor() as cursor:
        cursor.execute(queries[connection.vendor])
        return int(cursor.fetchone()[0])


# Each str/slug converter is tried with every word a view dispatches on, so that each branch
# meets the foreign IDs.
WORDS = {
    "kind": ["case", "group"],
    "action": ["assign", "start-mediation", "pause", "resume", "escalate", "deescalate"],
    "name": ["accept", "withdraw", "start_mediation"],
    "direction": ["up", "down"],
}
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def id_for(route: str, name: str, ids: dict) -> int | None:
    """The id for `name` in `route`: under the longest (prefix, name) key the route starts
    with, else under the plain name."""
    keyed = [key for key in ids if isinstance(key, tuple) and key[1] == name]
    keyed = sorted((k for k in keyed if route.startswith(k[0])), key=lambda k: -len(k[0]))
    return ids[keyed[0]] if keyed else ids.get(name)


def variants(route: str, ids: dict) -> tuple[list[str], bool]:
    """The paths for `route` with its int converters filled from `ids` (a group's id after
    /group/), every word for the others; and whether some int converter names an object.
    No paths when a converter names an object we do not have."""
    converters = [(m["converter"] or "str", m["name"]) for m in CONVERTER.finditer(route)]
    choices, names_object = [], False
    for converter, name in converters:
        if converter in ("int", "id") and name == "step":
            choices.append([1])
        elif converter in ("int", "id"):
            if id_for(route, name, ids) is None:
                return [], False
            choices.append([id_for(route, name, ids)])
            names_object = True
        elif route.startswith("contracts/") and name == "name":
            choices.append(["start_consulting", "accept_review", "renew"])
        else:
            choices.append(WORDS.get(name, ["x"]))
    paths = []
    for combination in itertools.product(*choices):
        values = iter(combination)
        paths.append("/" + CONVERTER.sub(lambda _m, v=values: str(next(v)), route))
    if any(name == "kind" for _c, name in converters):
        paths = [
            p.replace(f"/group/{ids['case_id']}/", f"/group/{ids['group_id']}/") for p in paths
        ]
    return sorted(set(paths)), names_object


def _is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and "sign-in" in response.get("Location", "")


def _shows(response, markers) -> list[str]:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return []
    text = response.content.decode("utf-8", "replace")
    return [m for m in markers if m and m in text]


def test_no_url_answers_any_role_with_someone_elses_objects():
    world = World()
    foreign, body = world.foreign_ids(), world.foreign_body()
    patterns = [(route, p) for route, p in url_patterns() if not route.startswith(SKIPPED_PREFIXES)]
    problems, requests, combinations = [], 0, 0
    checksum, counts, written = world.foreign_checksum(), row_counts(), writes()
    for role, actor in world.actors.items():
        client = Client(raise_request_exception=False)
        own = {**foreign, **world.own_ids(actor)}
        for route, pattern in patterns:
            combinations += 1
            public = pattern.lookup_str in PUBLIC
            for ids, foreign_path in ((foreign, True), (own, False)):
                paths, names_object = variants(route, ids)
                # With the actor's own objects in the path, a second POST names the actor's own
                # complaints in `cases` and foreign objects everywhere else.
                bodies = [("get", {}), ("post", body)]
                if not foreign_path:
                    bodies.append(("post", {**body, "cases": [world.own_second.pk]}))
                for path, (method, data) in itertools.product(paths, bodies):
                    if actor is not None and "_auth_user_id" not in client.session:
                        client.force_login(actor)  # again, after /sign-out/
                    response = getattr(client, method)(path, data)
                    requests += 1
                    where = f"{role} {method.upper()} {path}"
                    if response.status_code >= 500:
                        problems.append(f"{where}: {response.status_code}")
                    if written is None or writes() != written:
                        if world.foreign_checksum() != checksum:
                            problems.append(f"{where}: changed street b's records")
                            checksum = world.foreign_checksum()
                        now = row_counts()
                        if foreign_path and names_object and now != counts:
                            changed = [
                                t for (t, n), (_t, m) in zip(now, counts, strict=True) if n != m
                            ]
                            problems.append(f"{where}: added or removed rows in {changed}")
                        counts, written = now, writes()
                    if shown := _shows(response, world.markers):
                        problems.append(f"{where}: showed {shown}")
                    if foreign_path and names_object and not public:
                        if actor is None:
                            refused = _is_sign_in_redirect(response)
                        else:
                            refused = response.status_code in REFUSED
                        if not refused:
                            problems.append(
                                f"{where}: answered {response.status_code} "
                                f"{response.get('Location', '')} instead of 404"
                            )
    # The test must not pass by filling no ID: most routes name an object in their path.
    naming = [route for route, _p in patterns if variants(route, foreign)[1]]
    assert len(naming) >= len(patterns) // 2, f"only {len(naming)} routes got a foreign ID"
    print(
        f"\nforeign IDs: {len(patterns)} URL patterns x {len(world.actors)} roles = "
        f"{combinations} combinations, {requests} requests"
    )
    assert not problems, "\n".join(problems)
