"""Kinds of the services the bureau provides to organizations (服务记录)."""

from django.db import models


class ServiceKind(models.TextChoices):
    ANNUAL_REPORT_TRAINING = "annual_report_training", "年报培训"
    QUALIFICATION_PREREVIEW = "qualification_prereview", "资质初审"
    RATING_SERVICE = "rating_service", "等级评估服务"
    FINANCE_HR = "finance_hr", "财务/人事服务"
