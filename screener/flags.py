"""The words a person reads about each flag the screener raises.

Pure Python, like the rules: one `FlagText` for every id in `rules.FLAG_IDS`,
a heading and sentence for every level, and the texts every result needs.
Every claim comes from the fact base (shared/facts/iontophoresis.md,
sections B, C, D); where the sources disagree the text says so. The wording
follows the "Is it safe?" page, and a source cited there keeps its title here.

Plain language: reading age 9 to 11, second person, UK spelling, short
sentences. Never say the treatment is safe for someone, never diagnose.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iontoinfo.pages import Source
from screener.rules import QUESTION_BY_NAME, severity_meaning


@dataclass(frozen=True)
class FlagText:
    # A short heading in the second person.
    title: str
    # Why it matters for iontophoresis, per the sources: 2 to 4 short sentences.
    explanation: str
    # What to say to the clinician, or ask them.
    tell_clinician: str
    sources: tuple[Source, ...]
    # Only for metal-implant: shown when the metal lies in the current's path.
    in_path_explanation: str | None = None


# The sources, titled as on the content pages that cite the same links.
HIDREX = Source(
    "Iontophoresis: contraindications, side effects, safety instructions – Hidrex",
    "https://hidrex.com/en/iontophoresis-contraindications-side-effects-safety-instructions/",
)
SAALMANN = Source(
    "Questions and answers on iontophoresis – Saalmann medical",
    "https://www.saalmann-medical.de/service/faq-iontophoresis/?L=1",
)
SAALIO = Source("FAQs – saalio", "https://saalio.de/en/support/faqs")
FISCHER = Source(
    "Notes, warnings and contraindications – R.A. Fischer Co.",
    "https://www.rafischer.com/warnings-contraindications/",
)
NHS_NEWCASTLE = Source(
    "Iontophoresis – Newcastle upon Tyne Hospitals NHS Foundation Trust",
    "https://newcastle-hospitals.nhs.uk/services/dermatology/"
    "patient-dermatology-information-leaflets/iontophoresis",
)
NHS_SOUTH_TEES = Source(
    "Iontophoresis – South Tees Hospitals NHS Foundation Trust",
    "https://www.southtees.nhs.uk/resources/ionotophoresis/",
)
BAYLOR = Source(
    "Iontophoresis for excessive sweating – Baylor College of Medicine",
    "https://cdn.bcm.edu/healthcare/specialties/dermatology/excessive-sweating-options/"
    "iontophoresis-for-excessive-sweating",
)
PACEMAKER_SENSING = Source(
    "Will iontophoresis stimulators damage or reprogram my pacemaker? – aacheart.com"
    " (a cardiology practice)",
    "https://www.aacheart.com/ActiveKB/index.php?ToDo=view&questId=18&catId=2",
)
METAL_IMPLANT_STUDY = Source(
    "Is it safe for patients with metal implants to have iontophoresis treatment? – Sinclair"
    " and others, Clinical and Experimental Dermatology, 2023 (University of Portsmouth)",
    "https://researchportal.port.ac.uk/en/publications/"
    "is-it-safe-for-patients-with-metal-implants-to-have-iontophoresis",
)
DAGASH = Source(
    "Tap water iontophoresis in the treatment of pediatric hyperhidrosis – Dagash and others,"
    " Journal of Pediatric Surgery, 2017",
    "https://pubmed.ncbi.nlm.nih.gov/27912978/",
)
HORNBERGER = Source(
    "Criteria of Hornberger et al. for the diagnosis of primary focal hyperhidrosis"
    " – Medical Algorithms",
    "https://www.medicalalgorithms.com/"
    "criteria-of-hornberger-et-al-for-the-diagnosis-of-primary-focal-hyperhidrosis",
)
WALLING = Source(
    "Clinical differentiation of primary from secondary hyperhidrosis – Walling,"
    " Journal of the American Academy of Dermatology, 2011",
    "https://pubmed.ncbi.nlm.nih.gov/21334095/",
)
REMEDY_BNSSG = Source(
    "Hyperhidrosis – Remedy, NHS Bristol, North Somerset and South Gloucestershire",
    "https://remedy.bnssg.icb.nhs.uk/adults/dermatology/hyperhidrosis",
)


FLAG_TEXT: dict[str, FlagText] = {
    "implanted-device": FlagText(
        title=_("You have, or may have, a pacemaker or another implanted device"),
        explanation=_(
            "All the sources we use say not to use iontophoresis if you have a pacemaker. "
            "A pacemaker may pick up the current. It may then pause, or beat at the wrong "
            "times. Treat a heart device that gives shocks (an ICD), a nerve stimulator or "
            "a pump just like a pacemaker."
        ),
        tell_clinician=_(
            "Tell them what kind of device you have, who made it, and where it is. "
            "If you are not sure if you have one, ask your GP to check your records."
        ),
        sources=(HIDREX, SAALMANN, BAYLOR, PACEMAKER_SENSING),
    ),
    "pregnancy": FlagText(
        title=_("You are pregnant, or might be"),
        explanation=_(
            "Device makers and an NHS hospital say not to use iontophoresis if you are "
            "pregnant, or might be. One maker also says not to use it while you are "
            "breastfeeding."
        ),
        tell_clinician=_(
            "Tell them how many weeks pregnant you are, or why you think you might be. "
            "Tell them too if you are breastfeeding."
        ),
        sources=(HIDREX, SAALMANN, NHS_NEWCASTLE, SAALIO),
    ),
    "metal-implant": FlagText(
        title=_("You have, or may have, a metal implant"),
        explanation=_(
            "Metal implants include plates, screws, pins, rods and joint replacements. "
            "The sources do not agree. Some makers say metal only matters in an arm or leg "
            "being treated. Other makers and an NHS hospital say no to any "
            "metal implant. A 2023 lab study found the metal did not heat up or wear away. "
            "But it did not test people."
        ),
        tell_clinician=_(
            "Tell them what the metal is and where it is in your body. "
            "Ask them if you can treat the areas you chose."
        ),
        sources=(HIDREX, FISCHER, NHS_NEWCASTLE, METAL_IMPLANT_STUDY),
        in_path_explanation=_(
            "The metal is in or near a part of your body you want to treat. The current "
            "may pass through it. Do not start until a clinician who knows about this says "
            "it is safe."
        ),
    ),
    "metal-iud": FlagText(
        title=_("You have, or may have, a coil (IUD) with metal in it"),
        explanation=_(
            "A coil with metal in it matters most if you want to treat your feet. "
            "One maker lists metal coils as a reason not to use iontophoresis. "
            "Some NHS clinics will not treat anyone with any kind of coil."
        ),
        tell_clinician=_(
            "Tell them what kind of coil you have, and that you want to treat your feet. "
            "If you are not sure, ask the clinic that fitted it."
        ),
        sources=(SAALMANN, HIDREX, NHS_NEWCASTLE),
    ),
    "heart-rhythm": FlagText(
        title=_("You have a heart rhythm problem or other heart disease"),
        explanation=_(
            "Device makers and a medical school say not to use iontophoresis if you have "
            "a heart rhythm problem or other heart disease. One maker says this also "
            "applies if a doctor only thinks you might have one."
        ),
        tell_clinician=_(
            "Tell them what your heart problem is and what treatment you have for it."
        ),
        sources=(HIDREX, SAALMANN, FISCHER, BAYLOR),
    ),
    "epilepsy": FlagText(
        title=_("You have epilepsy"),
        explanation=_(
            "Device makers and a medical school say not to use iontophoresis if you have "
            "epilepsy. One maker lists diseases of the brain and nerves too."
        ),
        tell_clinician=_(
            "Tell them what kind of epilepsy you have, how often you have seizures (fits), and "
            "when you had the last one."
        ),
        sources=(HIDREX, SAALMANN, FISCHER, BAYLOR),
    ),
    "blood-clot": FlagText(
        title=_("You have a blood clot or severe blood vessel disease"),
        explanation=_(
            "A device maker and an NHS hospital say not to use iontophoresis if you have a "
            "blood clot now (a thrombosis). The same goes for severe disease of your blood "
            "vessels."
        ),
        tell_clinician=_(
            "Tell them where the clot or vessel problem is, when it was found, and what "
            "treatment you have, such as blood thinners."
        ),
        sources=(SAALMANN, NHS_NEWCASTLE),
    ),
    "cancer-in-area": FlagText(
        title=_("You have cancer, or a growth that could be cancer, in the area to treat"),
        explanation=_(
            "Device makers, an NHS hospital and a medical school say not to use "
            "iontophoresis on a part of the body with cancer or a tumour. This includes a "
            "growth that could be cancer."
        ),
        tell_clinician=_(
            "Tell them where the growth is and if a doctor has checked it. "
            "If no one has checked it yet, ask them to."
        ),
        sources=(HIDREX, SAALMANN, NHS_NEWCASTLE, BAYLOR),
    ),
    "broken-skin": FlagText(
        title=_("You have broken skin in the area to treat"),
        explanation=_(
            "Two device makers say not to use iontophoresis on a large wound that cannot "
            "be covered. Small cuts are different. One NHS hospital says to cover them with "
            "petroleum jelly before a session."
        ),
        tell_clinician=_(
            "Tell them where the broken skin is, how big it is, and how long it has been there."
        ),
        sources=(HIDREX, SAALMANN, NHS_SOUTH_TEES),
    ),
    "skin-infection": FlagText(
        title=_("You have a skin infection, a rash or sore skin in the area to treat"),
        explanation=_(
            "Two device makers say not to use iontophoresis on skin that is infected, has "
            "a rash, or is red, sore and swollen."
        ),
        tell_clinician=_(
            "Tell them what the skin looks like and how long it has been like this. "
            "Ask if it needs treating first."
        ),
        sources=(HIDREX, SAALMANN),
    ),
    "reduced-feeling": FlagText(
        title=_("You have less feeling in the area to treat"),
        explanation=_(
            "If you cannot feel your skin well, you might not notice a burn from the "
            "current. Two device makers and an NHS hospital list numb skin or nerve damage "
            "in the area as a reason not to use iontophoresis."
        ),
        tell_clinician=_(
            "Tell them which part of your body feels numb, and what causes it, if you know."
        ),
        sources=(HIDREX, SAALMANN, NHS_NEWCASTLE),
    ),
    "young-child": FlagText(
        title=_("Your child is under 6"),
        explanation=_(
            "The sources give different ages. An NHS hospital says not under 5. Two device "
            "makers say not at 6 or younger. Children under 6 should not have this "
            "treatment."
        ),
        tell_clinician=_(
            "Tell them your child's age and where they sweat. Ask what else could help for now."
        ),
        sources=(NHS_NEWCASTLE, SAALMANN, FISCHER),
    ),
    "under-18": FlagText(
        title=_("You are under 18, or your child is"),
        explanation=_(
            "Children and teenagers can have this treatment, but only with a clinician "
            "involved. In a study of children, 84 in 100 had a good result. Children may "
            "need a gentler kind of current, called pulsed current. Two device makers say not to "
            "use it at age 6."
        ),
        tell_clinician=_(
            "Tell them the age of the person to be treated. Ask them how to set the device "
            "up for a child."
        ),
        sources=(DAGASH, SAALMANN, FISCHER),
    ),
    "face": FlagText(
        title=_("You want to treat your face"),
        explanation=_(
            "Treating the face is a job for a specialist only. One maker says the current "
            "must never pass through the chest or the head."
        ),
        tell_clinician=_(
            "Tell them you want to treat your face. Ask if you should see a skin specialist."
        ),
        sources=(HIDREX,),
    ),
    "other-cause": FlagText(
        title=_("Your sweating may have another cause"),
        explanation=_(
            "Sometimes an illness or a medicine causes heavy sweating. Signs include night "
            "sweats, and sweating all over or on one side only. So do a fever, weight loss, "
            "feeling unwell, and sweating that began after age 25 or with a new medicine. "
            "These signs do not always mean something is wrong, but a doctor should check."
        ),
        tell_clinician=_(
            "Tell them which signs you have and when the sweating began. "
            "Take a list of the medicines you use."
        ),
        sources=(WALLING, REMEDY_BNSSG, HORNBERGER),
    ),
}

# For each level in rules.LEVELS: a heading and the sentence under it.
LEVEL_TEXT: dict[str, tuple[str, str]] = {
    "stop": (
        _("Do not start without a clinician's go-ahead"),
        _("Do not start iontophoresis unless a clinician who knows about this says it is safe."),
    ),
    "discuss": (
        _("Talk to your clinician first"),
        _("Talk to your clinician about this before you start."),
    ),
    "check-cause": (
        _("Find out why you sweat first"),
        _("See a doctor to find out why you sweat before you treat it."),
    ),
}

NO_FLAGS_TEXT = _(
    "Nothing in your answers is a known reason not to use iontophoresis. "
    "But this is not a diagnosis, and it does not mean it is safe for you. "
    "Talk to a healthcare professional before you start."
)

ALWAYS_TEXT = _(
    "Talk to a healthcare professional, such as your GP, before you start. "
    "This check is not a diagnosis."
)


# What each answer to the HDSS question means (fact base, D): 1-2 mild to
# moderate, 3-4 severe, in the words of rules.severity_meaning.
def _severity_text(value: str) -> str:
    return gettext(
        "You chose %(value)s on the Hyperhidrosis Disease Severity Scale (HDSS). "
        "This means your sweating is %(meaning)s."
    ) % {"value": value, "meaning": gettext(severity_meaning(value))}


SEVERITY_TEXT: dict[str, str] = {
    value: lazy(_severity_text, str)(value) for value in QUESTION_BY_NAME["severity"].options
}
