"""Admin: each mediation organisation's document numbering (prefix, name printed as issuer).
Numbers already given and the counters are read-only: they are the register of documents."""

from django.contrib import admin

from casework.organisation.choices import TeamKind
from mediation.documents.models import DocumentNumber, NumberingSeries


@admin.register(NumberingSeries)
class NumberingSeriesAdmin(admin.ModelAdmin):
    list_display = ["team", "prefix", "issuer_name"]
    search_fields = ["team__name", "prefix", "issuer_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            from casework.organisation.models import Team

            # a service station never issues documents
            kwargs["queryset"] = Team.objects.filter(
                kind__in=[TeamKind.MEDIATORS, TeamKind.UNIT_OFFICE]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DocumentNumber)
class DocumentNumberAdmin(admin.ModelAdmin):
    list_display = ["text", "issuer_name", "year", "number", "issued_at"]
    list_filter = ["year", "team"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
