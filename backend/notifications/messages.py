"""What a citizen is told when their dossier (or public question) moves: one short title and sentence per outbox
event, in their language.

The same words go by Web Push and, when push is not possible, by SMS. Only the dossier code and the news are
included: a notification can show on a locked phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.core.i18n import gettext_in, plain


def _(message: str) -> str:
    """Marks a message for extraction; it is translated per notification, in the citizen's language."""
    return message


NEWS = {
    "submit": _("Your dossier has been sent. The agency will receive it soon."),
    "receive": _("The agency has received your dossier and is processing it."),
    "request_supplement": _("The agency needs more from you. Open the dossier to see what to add."),
    "resubmit": _("Your supplement has been sent to the agency."),
    "approve": _("Your dossier has been approved."),
    "refuse": _("Your dossier has been refused. Open it to read the reason."),
    "withdraw": _("Your dossier has been withdrawn."),
    "transfer": _("Your dossier has been transferred to the agency competent for it. Open it to see which one and "
                  "why."),
    "result_ready": _("Your signed result is ready to download."),
    "result_reissued": _("A corrected result has been issued. Download the new one."),
    "result_revoked": _("Your result has been revoked. Open the dossier to read why."),
    "payment_paid": _("Your payment has been received. The receipt is on the dossier."),
    "delivery_code": _("Your result is with the post. Show the handover code on the dossier page to the courier."),
}
DELIVERY_NEWS = {
    "accepted": _("The post has accepted your result for delivery."),
    "in_transit": _("Your result is on its way."),
    "out_for_delivery": _("Your result is out for delivery today."),
    "delivered": _("Your result has been delivered."),
    "failed_attempt": _("The post could not deliver your result. They will try again."),
    "returned": _("Your result has been returned to the agency."),
}
# A citizen's public question (issue 19): its outbox rows have no dossier; the payload names the question.
QUESTION_NEWS = {
    "question_classified": _("The agency has classified your question. Open it to see when it must answer."),
    "question_answered": _("The agency has answered your question."),
    "question_published": _("Your question and its answer are now published, without your personal details."),
}
QUESTION_TITLE = _("Your question")
# A helper asks for a citizen's consent (issue 20): no dossier yet; the payload names the helper and the point. The
# code itself goes by SMS only (push shows on a locked screen).
ASSIST_NEWS = {
    "assist_consent": _("%(helper)s at %(point)s asks for your consent to file an application for you. The code is "
                        "in your text messages: read it out only if you agree."),
}
ASSIST_TITLE = _("A helper asks for your consent")
FALLBACK = _("There is news about your dossier.")
TITLE = _("Dossier %(dossier)s")


@dataclass(frozen=True)
class Notification:
    title: str
    body: str
    url: str
    tag: str
    lang: str

    def push_payload(self) -> dict[str, str]:
        """What the service worker shows; nothing beyond what the notification itself says."""
        return {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag, "lang": self.lang}

    def sms_text(self, base_url: str) -> str:
        return f"{self.title}: {self.body} {base_url.rstrip('/')}{self.url}"


def compose(event: str, payload: dict[str, Any], lang: str) -> Notification:
    """The notification for one outbox row, in ``lang``; its click opens the citizen's own dossier page."""
    if event in QUESTION_NEWS:
        question = str(payload.get("question", ""))
        return Notification(title=plain(gettext_in(lang, QUESTION_TITLE)),
                            body=plain(gettext_in(lang, QUESTION_NEWS[event])),
                            url=f"/{lang}/questions/{question}", tag=f"question-{question}", lang=lang)
    if event in ASSIST_NEWS:
        return Notification(title=plain(gettext_in(lang, ASSIST_TITLE)),
                            body=plain(gettext_in(lang, ASSIST_NEWS[event], helper=str(payload.get("helper", "")),
                                                  point=str(payload.get("point", "")))),
                            url=f"/{lang}/my/dossiers", tag="assist-consent", lang=lang)
    code = str(payload.get("code", ""))
    if event == "delivery":
        news = DELIVERY_NEWS.get(str(payload.get("stage", "")), FALLBACK)
    else:
        news = NEWS.get(event, FALLBACK)
    return Notification(
        title=plain(gettext_in(lang, TITLE, dossier=code)),
        body=plain(gettext_in(lang, news)),
        url=f"/{lang}/my/dossiers/{code}",
        tag=f"dossier-{code}",
        lang=lang,
    )
