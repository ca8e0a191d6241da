from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casework.clocks.models import CalendarDay, CalendarYear, Deadline, DeadlineRule
from casework.clocks.publishing import calendar_year_published
from casework.clocks.work_calendar import forget_calendar
from casework.groups.models import CaseGroup
from casework.organisation.models import (
    Membership,
    OneTimeCode,
    SignInLock,
    SmsMessage,
    Team,
    Unit,
    User,
)
from casework.routing.models import RoutingRule


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "team"]


@admin.register(User)
class AnxinUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "mobile", "is_worker", "is_staff", "is_active"]
    list_filter = ["is_worker", "is_staff", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["username", "display_name", "mobile", "first_name", "last_name"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Anxin"), {"fields": ["display_name", "mobile", "preferred_language", "is_worker"]}),
    ]
    inlines = [MembershipInline]


class ChildUnitInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    extra = 0
    fields = ["name", "code", "kind"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [ChildUnitInline]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "unit"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["covers"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "team"]
    list_filter = ["role", "team__kind", "team__unit"]
    search_fields = ["user__username", "user__display_name", "team__name"]
    autocomplete_fields = ["user", "team"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the system: admins read them, nobody edits them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "body"]
    search_fields = ["to"]
    date_hierarchy = "created_at"


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(ReadOnlyAdmin):
    list_display = ["mobile", "created_at", "expires_at", "failed_attempts", "used_at"]
    search_fields = ["mobile"]
    exclude = ["code_hash"]


@admin.register(SignInLock)
class SignInLockAdmin(admin.ModelAdmin):
    """Admins may clear a lock (set failures to 0 and empty "locked until")."""

    list_display = ["key", "failures", "locked_until", "updated_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "updated_at"]

    def has_add_permission(self, request):
        return False


# Clocks, routing and groups ------------------------------------------------------------------


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Add next year's holidays and make-up workdays first, then the year here: saving it
    publishes the year, and the open clocks that touch it are recomputed (no longer
    provisional), each affected case's timeline saying why."""

    list_display = ["year", "source"]
    actions = ["recompute_clocks"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _published(request, obj.year)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _published(request, obj.year)

    @admin.action(description=_("Recompute the open deadlines of the selected years"))
    def recompute_clocks(self, request, queryset):
        for year in queryset.values_list("year", flat=True):
            _published(request, year)


def _published(request, year: int) -> None:
    changed = calendar_year_published(actor=request.user, year=year)
    messages.info(
        request,
        _("%(year)s: the open deadlines of %(n)d cases were recomputed.")
        % {"year": year, "n": changed},
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name", "name_en"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._changed(request, obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._changed(request, obj)

    def _changed(self, request, obj):
        # A correction to a published year moves its due dates; an unpublished year's days
        # count once the year itself is saved.
        if CalendarYear.objects.filter(year=obj.date.year).exists():
            _published(request, obj.date.year)
        else:
            forget_calendar()


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "name_en", "length", "unit", "escalate_on_breach", "is_active"]
    search_fields = ["key", "name", "name_en"]
    list_filter = ["unit", "escalate_on_breach", "is_active"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["case", "rule", "started_on", "due_on", "status", "provisional", "breached_at"]
    list_filter = ["status", "rule", "provisional"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "rule"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(SimpleHistoryAdmin):
    list_display = ["category", "jurisdiction", "team_kind", "priority", "note", "note_en"]
    list_filter = ["team_kind", "category"]


@admin.register(CaseGroup)
class CaseGroupAdmin(ReadOnlyAdmin):
    list_display = ["title", "employer", "created_at", "collective_since"]
    list_select_related = ["employer"]
