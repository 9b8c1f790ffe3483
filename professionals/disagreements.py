"""Where the sources disagree, and which side the screener takes.

The only hand-written sentences about the rules in this section, from the fact
base (shared/facts/iontophoresis.md, section B). Each names the flags it is
about; the levels it quotes are filled in from `screener.rules`, so a change
of level shows here too, and the tests check that every flag named exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from iontoinfo.pages import Source
from professionals.rulebook import flag_level_heading
from screener import flags as texts


@dataclass(frozen=True)
class Disagreement:
    topic: Promise
    sources_say: Promise
    # With %(name)s for the level heading of each flag in `flags`.
    screener_does: Promise
    flags: dict[str, str]
    sources: tuple[Source, ...]

    def screener_side(self) -> str:
        return str(self.screener_does) % {
            name: flag_level_heading(flag_id) for name, flag_id in self.flags.items()
        }


DISAGREEMENTS: tuple[Disagreement, ...] = (
    Disagreement(
        topic=_("Metal implants in or out of the current's path"),
        sources_say=_(
            "Hidrex and Saalmann count metal only when it is in the arm or leg being "
            "treated; R.A. Fischer and an NHS hospital say no to any metal implant from an "
            "operation; a 2023 lab study found no heating or wear of titanium, steel or copper, "
            "but did not test people."
        ),
        screener_does=_(
            "The screener takes the wider view: any metal implant, or “I'm not sure”, raises "
            "metal-implant (“%(metal)s”), and metal in an arm or leg being treated gets "
            "stronger words: do not start until a clinician who knows about this says it is safe."
        ),
        flags={"metal": "metal-implant"},
        sources=(
            texts.HIDREX,
            texts.SAALMANN,
            texts.FISCHER,
            texts.NHS_NEWCASTLE,
            texts.METAL_IMPLANT_STUDY,
        ),
    ),
    Disagreement(
        topic=_("Copper and other metal coils (IUDs)"),
        sources_say=_(
            "Saalmann says a coil with metal matters only when the feet are treated; Hidrex "
            "lists a metal coil with no such limit; an NHS hospital lists any coil at all."
        ),
        screener_does=_(
            "The screener follows Saalmann: it asks about a coil with metal only when the feet "
            "are treated, where “Yes” or “I'm not sure” raises metal-iud (“%(coil)s”) and the "
            "result says some NHS clinics will not treat anyone with any coil; someone "
            "treating only hands, underarms or face is not asked."
        ),
        flags={"coil": "metal-iud"},
        sources=(texts.SAALMANN, texts.HIDREX, texts.NHS_NEWCASTLE),
    ),
    Disagreement(
        topic=_("The youngest age"),
        sources_say=_(
            "An NHS hospital says not under 5; Saalmann and R.A. Fischer say not at 6 or younger."
        ),
        screener_does=_(
            "The screener asks for an age group, not an exact age: under 6 raises young-child "
            "(“%(young)s”), and 6 to 17 raises under-18 (“%(older)s”), whose text says two "
            "makers advise against it at age 6."
        ),
        flags={"young": "young-child", "older": "under-18"},
        sources=(texts.NHS_NEWCASTLE, texts.SAALMANN, texts.FISCHER),
    ),
    Disagreement(
        topic=_("Pacemakers and other implanted devices"),
        sources_say=_(
            "Here the sources agree: every tap-water source we use says no with a pacemaker, "
            "Baylor College of Medicine extends this to any implanted electrical device, and a "
            "cardiology practice notes that a pacemaker may sense the current and pause or beat "
            "at the wrong times."
        ),
        screener_does=_(
            "The screener takes the widest reading: a pacemaker, a defibrillator (ICD), a nerve "
            "stimulator, a medicine pump or “I'm not sure” raises implanted-device (“%(device)s”)."
        ),
        flags={"device": "implanted-device"},
        sources=(
            texts.HIDREX,
            texts.SAALMANN,
            texts.FISCHER,
            texts.NHS_NEWCASTLE,
            texts.BAYLOR,
            texts.PACEMAKER_SENSING,
        ),
    ),
)
