"""Schemas of the optout actions (applied by CKAN's ``validate`` decorator: a bad value is a
ValidationError, HTTP 409 over the API, with a Japanese and English message)."""

from __future__ import annotations

from ckan.logic.schema import validator_args


@validator_args
def request_create(not_missing, unicode_safe, ignore_missing, optout_subject, optout_scope, default):
    return {
        "subject": [not_missing, optout_subject],
        "scope": [default("all"), optout_scope],
        "contact": [ignore_missing, unicode_safe],
    }


@validator_args
def request_token(not_empty, optout_code):
    return {"reference": [not_empty, optout_code], "token": [not_empty, optout_code]}


@validator_args
def request_withdraw(not_empty, ignore_missing, optout_code, unicode_safe):
    return {
        "reference": [not_empty, optout_code],
        "token": [ignore_missing, optout_code],
        "note": [ignore_missing, unicode_safe],
    }


@validator_args
def request_decide(not_empty, ignore_missing, optout_code, unicode_safe):
    return {"reference": [not_empty, optout_code], "note": [ignore_missing, unicode_safe]}


@validator_args
def request_list(ignore_missing, unicode_safe, natural_number_validator, default):
    return {
        "status": [ignore_missing, unicode_safe],
        "scope": [ignore_missing, unicode_safe],
        "limit": [default(50), natural_number_validator],
        "offset": [default(0), natural_number_validator],
    }


@validator_args
def resource_id(not_empty, unicode_safe):
    return {"resource_id": [not_empty, unicode_safe]}


@validator_args
def resource_configure(not_empty, unicode_safe, optout_subject_columns, default):
    return {
        "resource_id": [not_empty, unicode_safe],
        "subject_columns": [default({}), optout_subject_columns],
    }


@validator_args
def dataset_id(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


@validator_args
def dataset_stock(not_empty, unicode_safe, ignore_missing, boolean_validator):
    return {"id": [not_empty, unicode_safe], "listed": [ignore_missing, boolean_validator]}


@validator_args
def dataset_notice(not_empty, unicode_safe, optout_date):
    return {"id": [not_empty, unicode_safe], "deadline": [not_empty, optout_date]}


@validator_args
def dataset_release(not_empty, unicode_safe, ignore_missing, boolean_validator, default):
    return {
        "id": [not_empty, unicode_safe],
        "early": [default(False), boolean_validator],
        "reason": [ignore_missing, unicode_safe],
    }


@validator_args
def release_due(ignore_missing, optout_judgement_date):
    return {"today": [ignore_missing, optout_judgement_date]}


@validator_args
def dataset_hold(not_empty, unicode_safe, boolean_validator, default):
    return {"id": [not_empty, unicode_safe], "held": [default(True), boolean_validator]}


@validator_args
def listing(natural_number_validator, default):
    return {
        "limit": [default(100), natural_number_validator],
        "offset": [default(0), natural_number_validator],
    }


@validator_args
def audit_listing(natural_number_validator, default, ignore_missing, unicode_safe):
    return {
        "reference": [ignore_missing, unicode_safe],
        "id": [ignore_missing, unicode_safe],
        "limit": [default(100), natural_number_validator],
        "offset": [default(0), natural_number_validator],
    }


@validator_args
def stock_listing(natural_number_validator, default, boolean_validator):
    return {
        "limit": [default(100), natural_number_validator],
        "offset": [default(0), natural_number_validator],
        "include_unlisted": [default(False), boolean_validator],
    }
