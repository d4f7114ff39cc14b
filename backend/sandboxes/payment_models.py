"""State kept by the sandbox payment gateway (backend/sandboxes/payment.py)."""

from tortoise import fields
from tortoise.models import Model


class SandboxPayment(Model):
    """A transaction the sandbox payment gateway took, and what the citizen chose on its page."""

    id = fields.IntField(primary_key=True)
    tmn_code = fields.CharField(max_length=16)
    txn_ref = fields.CharField(max_length=100)
    amount = fields.IntField()  # VND
    order_info = fields.CharField(max_length=255)
    return_url = fields.CharField(max_length=1000)
    ip_addr = fields.CharField(max_length=64)
    locale = fields.CharField(max_length=4)
    create_date = fields.CharField(max_length=14)
    expire_date = fields.CharField(max_length=14)
    status = fields.CharField(max_length=12, default="pending")  # pending | success | failed | cancelled
    response_code = fields.CharField(max_length=4, default="")
    transaction_no = fields.CharField(max_length=16, default="")
    bank_code = fields.CharField(max_length=20, default="")
    pay_date = fields.CharField(max_length=14, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sandbox_payment"
        unique_together = (("tmn_code", "txn_ref"),)
