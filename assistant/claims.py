"""What a reply claims was done, and whether it asks for secrets, in English and Spanish.

The patterns are deliberately about *completed* actions in the first person or the passive
("I've changed", "your plan has been changed", "he cambiado", "se ha realizado"): offers,
questions and conditionals ("I can change it once you confirm") claim nothing. A claim preceded
closely by a negation ("I haven't changed anything", "no he cambiado nada") is not a claim.
Text is folded (lower case, accents removed, NFKC) before matching.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.normalise import normalise
from assistant.tools.registry import Claim

_WE = r"(?:i'?ve|i have|we'?ve|we have|i|we|(?:lo |la |te |le )?(?:he|hemos))"
_GAP = r"[^.!?\n]{0,40}?"

_PATTERNS: dict[Claim, list[str]] = {
    "plan_changed": [
        rf"\b{_WE}\s+(?:just\s+|now\s+)?(?:changed|switched|moved|upgraded|downgraded)\b"
        r"(?!\s+(?:nothing|anything))",
        rf"\byour (?:plan|tariff|line)\b{_GAP}\b(?:has been|have been|was|is now)\s+"
        r"(?:changed|switched|moved|upgraded|downgraded|updated)\b",
        rf"\b(?:plan change|change of plan|move to)\b{_GAP}\b(?:is|has been|was)\s+"
        r"(?:done|complete|completed|confirmed|applied)\b",
        r"\byou(?:'re| are) now on\b",
        r"\b(?:he|hemos)\s+(?:cambiado|movido|actualizado)\b(?!\s+nada)",
        r"\b(?:he|hemos)\s+pasado\s+(?:tu linea\s+)?a\s+(?:la tarifa|el plan)\b",
        rf"\btu (?:plan|tarifa|linea)\b{_GAP}\b(?:ha sido|fue|se ha|ya esta)\s*"
        r"(?:cambiad|actualizad)",
        rf"\b(?:tu|el) cambio\b{_GAP}\b(?:se ha realizado|se ha aplicado|ha sido aplicado|"
        r"esta confirmado|esta hecho)",
        r"\bya estas en (?:el plan|la tarifa)\b",
    ],
    "addon_added": [
        rf"\b{_WE}\s+(?:just\s+)?(?:added|activated|bought|purchased)\b",
        rf"\b(?:add-?on|pass|bundle|bolt-?on)\b{_GAP}\b(?:has been|was|is now)\s+"
        r"(?:added|activated|applied|bought|purchased)\b",
        r"\b(?:he|hemos)\s+(?:anadido|activado|comprado|contratado)\b",
        rf"\b(?:bono|complemento|pase|paquete)\b{_GAP}\b(?:ha sido|fue|se ha|ya esta)\s*"
        r"(?:anadid|activad|comprad|contratad)",
    ],
    "paid": [
        rf"\b{_WE}\s+(?:just\s+)?(?:paid|charged|settled|taken (?:the |your |a )?payment|"
        r"processed (?:the |your |a )?payment)\b",
        rf"\b(?:bill|payment|balance|amount|invoice)\b{_GAP}\b(?:has been|is now)\s+"
        r"(?:paid|processed|taken|settled|charged)\b",
        r"\bpayment (?:received|successful|complete|completed|done)\b",
        r"\b(?:he|hemos)\s+(?:pagado|cobrado|abonado|procesado el pago)\b",
        rf"\b(?:factura|pago|importe|saldo)\b{_GAP}\b(?:ha sido|se ha|ya esta)\s*"
        r"(?:pagad|cobrad|procesad|abonad|realizad|efectuad|completad)",
        r"\bpago (?:realizado|completado|recibido|procesado)\b",
    ],
    "blocked": [
        rf"\b{_WE}\s+(?:just\s+)?(?:blocked|suspended|barred|frozen|locked)\b",
        r"\b(?:has been|have been|is now|are now)\s+(?:blocked|barred|frozen|locked)\b",
        r"\b(?:he|hemos)\s+(?:bloqueado|suspendido)\b",
        r"\b(?:ha sido|han sido|ya esta|ya estan)\s+(?:bloquead|suspendid)",
    ],
    "ticket_opened": [
        rf"\b{_WE}\s+(?:just\s+)?(?:opened|created|raised|logged|filed)\b{_GAP}"
        r"\b(?:ticket|case|request|complaint)\b",
        rf"\b(?:ticket|case)\b{_GAP}\b(?:has been|was|is now)\s+(?:opened|created|raised|logged)\b",
        rf"\b{_WE}\s+(?:just\s+)?(?:passed|handed|transferred|escalated)\b",
        rf"\b(?:he|hemos)\s+(?:abierto|creado|registrado)\b{_GAP}"
        r"\b(?:incidencia|ticket|caso|solicitud|reclamacion)\b",
        rf"\b(?:incidencia|ticket|caso|solicitud)\b{_GAP}\b(?:ha sido|fue|se ha|queda)\s*"
        r"(?:abiert|cread|registrad)",
        r"\b(?:he|hemos)\s+(?:pasado|transferido|derivado|escalado)\s+(?:tu|el|la|este)\b",
    ],
    "consent_withdrawn": [
        rf"\b{_WE}\s+(?:just\s+)?(?:withdrawn|revoked|removed|turned off)\b{_GAP}"
        r"\b(?:consent|permission)",
        rf"\b(?:consent|permission)\b{_GAP}\b(?:has been|was|is now)\s+"
        r"(?:withdrawn|revoked|removed)",
        r"\b(?:he|hemos)\s+(?:retirado|revocado|quitado)\b",
        rf"\b(?:consentimiento|permiso)\b{_GAP}\b(?:ha sido|se ha|queda|fue)\s*"
        r"(?:retirad|revocad)",
    ],
    "consent_granted": [
        rf"\b(?:consent|permission)\b{_GAP}\b(?:has been|was|is now)\s+"
        r"(?:granted|given|recorded|enabled)",
        rf"\b{_WE}\s+(?:just\s+)?(?:granted|recorded|enabled|turned on)\b{_GAP}"
        r"\b(?:consent|permission)",
        rf"\b(?:consentimiento|permiso)\b{_GAP}\b(?:ha sido|se ha|queda|fue)\s*"
        r"(?:concedid|otorgad|registrad|activad)",
    ],
    "cancelled": [
        rf"\b{_WE}\s+(?:just\s+)?cancell?ed\b",
        r"\b(?:has been|have been|is now)\s+cancell?ed\b",
        r"\b(?:he|hemos)\s+(?:cancelado|anulado)\b",
        r"\b(?:ha sido|ha quedado|queda|se ha)\s+(?:cancelad|anulad)",
    ],
}
_COMPILED = {claim: [re.compile(p) for p in ps] for claim, ps in _PATTERNS.items()}
#: "Done!" / "Hecho:" opening a sentence claims that whatever was asked has been done.
_DONE = re.compile(r"(?:^|[.!?\n]\s*)(?:all )?(?:done|hecho|listo)\s*[!:.,]")
#: Words that, just before a claim, deny it.
_NEGATION = re.compile(r"(?:\bnot|n't|\bnever|\bnothing|\bno|\bnunca|\bnada|\bsin)\W+"
                       r"(?:\w+\W+){0,2}$")  # fmt: skip

#: The secrets no one should be asked to hand over (folded text; ``assistant.planted`` too).
SECRET = (
    r"(?:card number|card details|long number|pin\b|cvv|cvc|cv2|security code|iban|"
    r"password|passcode|one[- ]time code|otp|numero de (?:la |tu )?tarjeta|datos de (?:la |tu )?"
    r"tarjeta|codigo de seguridad|contrasena|clave)"
)
#: Asking the customer for a secret: a request verb, then the secret within a few words.
_ASK = re.compile(
    r"\b(?:send|text|sms|give|provide|share|tell|enter|type|reply with|confirm|verify|read out|"
    r"envia|envianos|manda|mandanos|facilita|facilitanos|indica|indicanos|dinos|comparte|"
    r"escribe|introduce|confirma|responde con)\b[^.!?\n]{0,40}?" + SECRET
)
_SECRET_NEGATION = re.compile(
    r"\b(?:never|don'?t|do not|won'?t|will not|not|nunca|no)\b[^.!?\n]{0,40}$"
)


def fold(text: str) -> str:
    """Normalised (invisible characters removed, NFKC), lower case, accents removed,
    whitespace collapsed: what the patterns read."""
    decomposed = unicodedata.normalize("NFKD", normalise(text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain.replace("\u2019", "'")).strip()


def claims_in(text: str) -> set[Claim]:
    """The actions ``text`` claims were done."""
    folded = fold(text)
    found: set[Claim] = set()
    for claim, patterns in _COMPILED.items():
        for pattern in patterns:
            if any(not _NEGATION.search(folded[: m.start()]) for m in pattern.finditer(folded)):
                found.add(claim)
                break
    return found


def claims_done(text: str) -> bool:
    """The text opens a sentence with "Done" / "Hecho" / "Listo"."""
    return bool(_DONE.search(fold(text)))


def asks_for_secret(text: str) -> bool:
    """``text`` asks the customer to send a card number, PIN, CVV, IBAN or password.

    Warnings ("we will never ask for your PIN", "no compartas tu clave") are not requests.
    """
    folded = fold(text)
    for match in _ASK.finditer(folded):
        sentence_start = max(folded.rfind(c, 0, match.start()) for c in ".!?\n") + 1
        if not _SECRET_NEGATION.search(folded[sentence_start : match.start() + 1]):
            return True
    return False
