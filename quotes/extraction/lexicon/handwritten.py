"""Hand-written word lists the engine uses: reporting verbs, titles, pronouns.

These are general English, not mined from any article.  Verb forms are
generated from the lemma (say -> says, said, saying) because the pipeline runs
without spaCy's lemmatizer to stay fast.
"""

from __future__ import annotations


def _words(block: str) -> list[str]:
    return block.split()


# Verbs that report speech or writing; they take a clause ("said that ...").
SPEECH_VERBS = _words("""
say tell add write ask note report announce suggest tweet argue explain declare accuse
acknowledge claim respond reply insist warn promise vow pledge deny state admit confirm
reveal indicate stress emphasize emphasise assert contend maintain recall conclude
concede complain agree estimate allege charge urge testify post counter observe remark
affirm reiterate predict repeat caution threaten boast brag joke quip muse lament
mention propose recommend demand declare contend continue say add shout yell scream
whisper insist retort answer concede disclose divulge publish announce reveal speculate
hint imply signal proclaim promise guarantee assure inform advise remind notify explain
describe criticize criticise blame condemn praise defend dismiss question reject endorse
call liken compare label brand dub cite rule wonder hail blast slam
""")

# Verbs of belief and evidence; only cues when they govern a clause.
THINK_VERBS = _words("""
think believe feel hope fear expect know worry doubt suspect understand show find
suggest indicate reckon guess assume imagine realize realise
""")

# Verbs whose content may be an infinitive ("vowed to strengthen ...").
INFINITIVE_VERBS = set(_words("""
vow pledge promise threaten urge ask refuse decline want plan hope agree offer seek
expect call warn tell order demand encourage advise
"""))

# Verbs whose content may be a plain object ("denied the report", "accused X of Y").
OBJECT_VERBS = set(_words("""
deny accuse criticize criticise blame announce reject endorse propose oppose reiterate
praise defend condemn emphasize emphasise stress dismiss question predict demand promise
acknowledge confirm admit describe call recommend tout warn urge cite liken compare
rate label brand dub hail blast slam
"""))

IRREGULAR = {
    "say": ["said"], "tell": ["told"], "write": ["wrote", "written"],
    "think": ["thought"], "feel": ["felt"], "know": ["knew", "known"],
    "find": ["found"], "show": ["shown"], "understand": ["understood"],
    "seek": ["sought"], "read": ["read"], "hold": ["held"], "speak": ["spoke", "spoken"],
}


def _forms(lemma: str) -> list[str]:
    """Regular inflections of an English verb, plus the irregular ones listed."""
    out = [lemma]
    if lemma.endswith("e"):
        out += [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        out += [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        out += [lemma + "es", lemma + "ed", lemma + "ing"]
    else:
        out += [lemma + "s", lemma + "ed", lemma + "ing"]
        if len(lemma) <= 4 and lemma[-1] in "gpt" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
            out += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    if lemma in ("admit", "regret", "commit", "quip", "omit", "refer", "prefer"):
        out += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return out + IRREGULAR.get(lemma, [])


def _index(lemmas: list[str] | set[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for lemma in sorted(set(lemmas)):
        for form in _forms(lemma):
            table.setdefault(form, lemma)
    return table


SPEECH_FORMS = _index(SPEECH_VERBS)
THINK_FORMS = _index(THINK_VERBS)
CUE_FORMS = {**THINK_FORMS, **SPEECH_FORMS}

# Verbs that report speech only through a prepositional object ("spoke about the
# economy", "railed against the deal"); lemma -> the prepositions that carry the content.
PHRASAL_ONLY = {
    "speak": "about of on", "talk": "about", "comment": "on", "rail": "against",
    "focus": "on", "apologize": "for", "apologise": "for", "vouch": "for",
    "vote": "for against", "side": "with", "refer": "to", "point": "to",
}
PHRASAL_ONLY_FORMS = {f: lemma for f, lemma in _index(list(PHRASAL_ONLY)).items() if f not in CUE_FORMS}

# Nouns that report a statement through a that-clause ("X's statement that ...").
STATEMENT_NOUNS = {
    "statement", "claim", "assertion", "argument", "suggestion", "promise", "warning",
    "belief", "insistence", "contention", "denial", "accusation", "allegation",
    "comment", "remark", "pledge", "vow", "announcement", "declaration", "admission",
}


# The project's one list of pronouns and of titles: the Django side (quotes/services) imports
# these rather than keeping its own. Lowercase; frozen so no importer can change them.
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "we", "they", "it", "you"})
SINGULAR_PERSON_PRONOUNS = frozenset({"he", "she"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
# Every form a pronoun takes, for callers that must never take one for a name (the
# engine's rules read PERSONAL_PRONOUNS, the subject and object forms, alone).
PRONOUNS = PERSONAL_PRONOUNS | frozenset({
    "me", "us", "them", "my", "our", "your", "his", "hers", "its", "their", "theirs",
})

# Titles and honorifics stripped from a name ("U.S. President Donald Trump"), with and
# without their dot.
TITLES = frozenset({
    "president", "vice", "prime", "minister", "sen", "sen.", "senator", "rep", "rep.",
    "representative", "gov", "gov.", "governor", "dr", "dr.", "mr", "mr.", "mrs", "mrs.",
    "ms", "ms.", "miss", "secretary", "chancellor", "judge", "justice", "gen", "gen.",
    "general", "chairman", "chairwoman", "chair", "speaker", "leader", "mayor", "sir",
    "lord", "lady", "king", "queen", "prince", "princess", "pope", "rev", "rev.",
    "reverend", "adm", "adm.", "admiral", "col", "col.", "lt", "lt.", "sgt", "sgt.",
    "capt", "capt.", "captain", "attorney", "ambassador", "director", "commissioner",
    "former", "state", "foreign", "defense", "deputy", "chief", "executive", "u.s.",
    "us", "u.s", "first", "presidential", "candidate", "nominee", "supreme", "house",
    "senate", "majority", "minority", "sheriff", "officer", "professor", "prof", "prof.",
    "assemblyman", "assemblywoman", "councilman", "councilwoman", "congressman",
    "congresswoman", "democratic", "republican", "gop", "sec", "sec.", "atty", "lt.gov.",
    "commander", "comrade", "envoy", "marshal", "official", "pm", "premier", "spokesman",
    "spokesperson", "spokeswoman", "defence", "engineer", "coach",
    # Occupations news copy prints before a name like a title ("Analyst Greta Moll").
    "analyst", "economist", "researcher", "lawyer", "inspector", "master", "manager", "editor",
})

# Words that mark a capitalised phrase as an organisation or a place, not a person.
ORG_WORDS = {
    "agency", "news", "party", "house", "department", "ministry", "committee",
    "university", "college", "institute", "association", "council", "times", "post",
    "journal", "press", "network", "corporation", "company", "inc", "inc.", "corp",
    "group", "office", "bureau", "commission", "court", "army", "navy", "force",
    "forces", "union", "center", "centre", "foundation", "campaign", "board",
    "administration", "government", "congress", "senate", "service", "services",
    "federation", "organization", "organisation", "bank", "fund", "herald",
    "tribune", "daily", "magazine", "radio", "television", "tv", "cnn", "msnbc",
    "states", "kingdom", "republic", "korea", "america", "city", "county", "street",
    "poll", "survey", "report", "school", "church", "club", "league", "media",
    "coalition", "alliance", "peninsula", "east", "west", "north", "south", "ocean",
}

MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
}

# Sources that name a group, not a person: "Experts suggest ...", "Some Republicans say ...".
# They get no speaker; falling back to a name nearby would put words in someone's mouth.
GENERIC_SOURCE_HEADS = {
    "experts", "analysts", "officials", "critics", "observers", "sources", "people", "researchers",
    "scholars", "economists", "diplomats", "lawmakers", "legislators", "others", "supporters",
    "opponents", "residents", "voters", "commentators", "pundits", "insiders", "aides", "advisers",
    "advisors", "scientists", "historians", "strategists", "activists", "skeptics",
    "sceptics", "investors", "watchers", "specialists", "academics", "authorities",
    "leaders", "members", "witnesses", "protesters", "demonstrators", "conservatives", "liberals",
    "progressives", "democrats", "republicans", "americans", "polls", "studies", "reports",
}
GENERIC_QUANTIFIERS = {
    "some", "many", "most", "several", "other", "few", "numerous", "various", "all", "another",
}
