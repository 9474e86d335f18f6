"""The national French referrals every line starts from, and can reset its list to.

Real resources, emergency numbers first; the demo tenant files list the same ones. A name
English readers would not understand has English words too; proper nouns stay as they are.
"""

# ruff: noqa: E501 - long sentences of data read better unbroken
from __future__ import annotations

from server.tenants.structs import Localised, Referral, ReferralName

NATIONAL_REFERRALS: tuple[Referral, ...] = (
    Referral(
        key="3114",
        name=ReferralName(
            fr="3114 — Numéro national de prévention du suicide",
            en="3114 — French national suicide prevention line",
        ),
        topics=["suicide", "crisis"],
        phone="3114",
        url="https://3114.fr",
        emergency=True,
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Un numéro gratuit pour les personnes en détresse qui pensent au suicide, et pour leurs proches.",
            en="A free line for people in distress who are thinking about suicide, and for those close to them.",
        ),
    ),
    Referral(
        key="samu",
        name=ReferralName(
            fr="SAMU — 15",
            en="SAMU — 15, medical emergencies",
        ),
        topics=["emergency", "medical"],
        phone="15",
        emergency=True,
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Le numéro à appeler en cas d'urgence médicale.",
            en="The number to call in a medical emergency.",
        ),
    ),
    Referral(
        key="112",
        name=ReferralName(
            fr="112 — Numéro d'urgence européen",
            en="112 — European emergency number",
        ),
        topics=["emergency"],
        phone="112",
        emergency=True,
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Le numéro d'urgence européen, pour joindre les secours partout dans l'Union européenne.",
            en="The European emergency number, to reach emergency services anywhere in the European Union.",
        ),
    ),
    Referral(
        key="114",
        name=ReferralName(
            fr="114 — Urgences par SMS",
            en="114 — Emergencies by text message",
        ),
        topics=["emergency", "deaf"],
        sms="114",
        emergency=True,
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Le numéro d'urgence par SMS pour les personnes sourdes ou malentendantes, ou pour qui ne peut pas parler.",
            en="The emergency number by text message for deaf or hard-of-hearing people, or for anyone who cannot speak.",
        ),
    ),
    Referral(
        key="sos-amitie",
        name="SOS Amitié",
        topics=["loneliness", "distress"],
        phone="09 72 39 40 50",
        url="https://www.sos-amitie.com",
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Une écoute pour les personnes seules ou en détresse, qui ont besoin de parler.",
            en="A listening line for people who feel lonely or in distress and need to talk.",
        ),
    ),
    Referral(
        key="suicide-ecoute",
        name="Suicide Écoute",
        topics=["suicide"],
        phone="01 45 39 40 00",
        url="https://suicide-ecoute.fr",
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Une écoute pour les personnes qui pensent au suicide.",
            en="A listening line for people who are thinking about suicide.",
        ),
    ),
    Referral(
        key="fil-sante-jeunes",
        name="Fil Santé Jeunes",
        topics=["youth", "health"],
        phone="0 800 235 236",
        url="https://www.filsantejeunes.com",
        hours=Localised(
            fr="Tous les jours, de 9h à 23h",
            en="Every day, 9 am to 11 pm",
        ),
        description=Localised(
            fr="Une écoute et des informations santé pour les jeunes de 12 à 25 ans.",
            en="Listening and health information for young people aged 12 to 25.",
        ),
    ),
    Referral(
        key="119",
        name=ReferralName(
            fr="119 — Allô Enfance en Danger",
            en="119 — Children at risk (Allô Enfance en Danger)",
        ),
        topics=["children", "violence"],
        phone="119",
        url="https://www.allo119.gouv.fr",
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Le numéro à appeler quand un enfant est en danger ou risque de l'être.",
            en="The number to call when a child is in danger or at risk.",
        ),
    ),
    Referral(
        key="3919",
        name=ReferralName(
            fr="3919 — Violences Femmes Info",
            en="3919 — Women facing violence (Violences Femmes Info)",
        ),
        topics=["violence", "women"],
        phone="3919",
        url="https://arretonslesviolences.gouv.fr",
        hours=Localised(
            fr="24h/24, 7j/7",
            en="24/7",
        ),
        description=Localised(
            fr="Une écoute et une orientation pour les femmes victimes de violences.",
            en="Listening and guidance for women who face violence.",
        ),
    ),
)


def national_referrals() -> list[Referral]:
    """A fresh list (the structs are immutable in use, the list is the caller's)."""
    return list(NATIONAL_REFERRALS)
