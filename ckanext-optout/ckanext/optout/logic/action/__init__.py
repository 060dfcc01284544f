"""Actions of the optout plugin (registered by ``tk.blanket.actions`` from ``__all__``), one
module per concern:

- ``request``: the residents' registry. A resident files an opt-out (in effect at once), keeps a
  reference number and a secret token, checks or withdraws (解除) it with them; staff verify or
  reject. Identifying attributes are hashed (keyed) before anything is stored.
- ``resource``: the subject-key columns of resources that hold personal records.
- ``dataset``: the stock → notice → open lifecycle, judged by the table in ``lifecycle.py``.
- ``public``: what residents may see of closed datasets (notices, the listed stock).
- ``audit``: the audit log; every change of the others is written to it.

Every action validates its parameters with CKAN's ``validate`` decorator (schemas in
``logic/schema.py``) and, when it writes, commits unless the caller passed ``defer_commit``.
"""

from .audit import optout_audit_list
from .dataset import (
    optout_dataset_hold,
    optout_dataset_notice,
    optout_dataset_release,
    optout_dataset_release_due,
    optout_dataset_show,
    optout_dataset_stock,
)
from .public import optout_notice_list, optout_stock_list
from .request import (
    optout_contact_purge,
    optout_request_create,
    optout_request_list,
    optout_request_reject,
    optout_request_show,
    optout_request_verify,
    optout_request_withdraw,
)
from .resource import optout_resource_configure, optout_resource_show

__all__ = [
    "optout_audit_list",
    "optout_contact_purge",
    "optout_dataset_hold",
    "optout_dataset_notice",
    "optout_dataset_release",
    "optout_dataset_release_due",
    "optout_dataset_show",
    "optout_dataset_stock",
    "optout_notice_list",
    "optout_request_create",
    "optout_request_list",
    "optout_request_reject",
    "optout_request_show",
    "optout_request_verify",
    "optout_request_withdraw",
    "optout_resource_configure",
    "optout_resource_show",
    "optout_stock_list",
]
