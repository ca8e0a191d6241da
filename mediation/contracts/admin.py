"""Admin: the clause library is edited here; contracts are kept through their pages (every
change goes through the services), so the admin shows them read-only with their history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mediation.contracts.models import (
    ClauseTemplate,
    CollectiveContract,
    CongressVote,
    ConsultationRound,
    ContractClause,
    ContractVersion,
    Representative,
)


@admin.register(ClauseTemplate)
class ClauseTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["key", "chapter", "title", "position", "is_active"]
    list_filter = ["chapter", "is_active"]
    search_fields = ["key", "title", "text"]
    ordering = ["chapter", "position", "key"]

    def has_delete_permission(self, request, obj=None):
        # Contracts refer to their templates (PROTECT); retire a clause with "is_active".
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RepresentativeInline(ReadOnlyInline):
    model = Representative
    fields = ["side", "name", "organisation", "position", "is_chief"]


class ClauseInline(ReadOnlyInline):
    model = ContractClause
    fields = ["template", "values", "own_chapter", "own_title", "own_text", "position"]


class RoundInline(ReadOnlyInline):
    model = ConsultationRound
    fields = ["number", "held_at", "place", "recorded_by"]


class VoteInline(ReadOnlyInline):
    model = CongressVote
    fields = ["held_at", "members", "attended", "yes", "no", "abstain", "passed", "version"]


class VersionInline(ReadOnlyInline):
    model = ContractVersion
    fields = ["number", "why", "state", "created_by", "created_at"]
    readonly_fields = ["created_at", "why"]

    @admin.display(description=_("why"))
    def why(self, version):
        return version.reason_text


@admin.register(CollectiveContract)
class CollectiveContractAdmin(SimpleHistoryAdmin):
    list_display = ["title", "scope_kind", "industry", "state", "term_start", "term_end"]
    list_filter = ["state", "scope_kind", "industry"]
    search_fields = ["title", "employer_party", "union_name"]
    inlines = [RepresentativeInline, ClauseInline, RoundInline, VoteInline, VersionInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
