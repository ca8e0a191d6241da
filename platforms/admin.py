from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from platforms.models import Company, Representative


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "industry", "credit_code", "parent"]
    list_filter = ["kind", "industry"]
    search_fields = ["name", "short_name", "credit_code"]
    autocomplete_fields = ["parent"]
    inlines = [RepresentativeInline]


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ["user", "company"]
    search_fields = ["user__username", "user__display_name", "company__name"]
    autocomplete_fields = ["user", "company"]
