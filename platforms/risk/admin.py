from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from platforms.risk.models import RiskBand, RiskRule


@admin.register(RiskRule)
class RiskRuleAdmin(SimpleHistoryAdmin):
    list_display = ["signal", "threshold", "points"]
    list_filter = ["signal"]


@admin.register(RiskBand)
class RiskBandAdmin(SimpleHistoryAdmin):
    list_display = ["level", "min_points"]
