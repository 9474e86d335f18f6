"""French and English risk lexicon for the lexicon scorer: data only, no logic.

Every pattern is written against *normalised* text (see `scorer.normalise`): lower case, no
accents, apostrophes and punctuation turned into spaces, single spaces between tokens, SMS
spellings expanded. Each alternative must start at a token; the scorer prefixes each regex with
a literal space (the normalised text starts with one) and adds an end-of-token guard. Pattern
sources are folded like the text when compiled (accents stripped, doubled consonants collapsed),
so they may be written in ordinary spelling: "kill myself" matches "kil myself".

Categories are reason names, `family:detail`. The vocabulary is closed (`CATEGORY_ORDER`); a
reason never carries text from a message.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# Normalisation data

# Emoji that carry a risk meaning become plain tokens before punctuation is dropped.
EMOJI: dict[str, str] = {
    "\U0001f48a": " emojipill ",  # 💊 pill
    "\U0001f52a": " emojiknife ",  # 🔪 kitchen knife
    "\U0001f5e1": " emojiknife ",  # 🗡 dagger
    "\U0001fa92": " emojiknife ",  # 🪒 razor
    "\U0001faa2": " emojirope ",  # 🪢 knot
    "\U0001f52b": " emojigun ",  # 🔫 pistol
}

# Whole-token SMS and contraction spellings (keys and values are folded before use).
SMS: dict[str, str] = {
    # French
    "jveu": "je veux",
    "jveux": "je veux",
    "jve": "je veux",
    "jvx": "je veux",
    "chui": "je suis",
    "chuis": "je suis",
    "chu": "je suis",
    "jsui": "je suis",
    "jsuis": "je suis",
    "jss": "je suis",
    "jpeu": "je peux",
    "jpeux": "je peux",
    "jpp": "j en peux plus",
    "jenpeuxplus": "j en peux plus",
    "jvai": "je vais",
    "jvais": "je vais",
    "jme": "je me",
    "jte": "je te",
    "jen": "j en",
    "jai": "j ai",
    "g": "j ai",
    "gt": "j etais",
    "jsp": "je sais pas",
    "jsais": "je sais",
    "jsai": "je sais",
    "ché": "je sais",
    "den": "d en",
    "nen": "n en",
    "cest": "c est",
    "ct": "c etait",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "pourkoi": "pourquoi",
    "pourqoi": "pourquoi",
    "ms": "mais",
    "bcp": "beaucoup",
    "mtn": "maintenant",
    "mnt": "maintenant",
    "maint": "maintenant",
    "ajd": "aujourd hui",
    "auj": "aujourd hui",
    "ajrd": "aujourd hui",
    "aujd": "aujourd hui",
    "ojd": "aujourd hui",
    "aujourdhui": "aujourd hui",
    "dem1": "demain",
    "2m1": "demain",
    "koi": "quoi",
    "kwa": "quoi",
    "ke": "que",
    "ki": "qui",
    "pa": "pas",
    "plu": "plus",
    "jamé": "jamais",
    "jamai": "jamais",
    "tjr": "toujours",
    "tjrs": "toujours",
    "vrmt": "vraiment",
    "vrm": "vraiment",
    "envi": "envie",
    "mouri": "mourir",
    "mourire": "mourir",
    "ya": "il y a",
    "qd": "quand",
    "qnd": "quand",
    "kan": "quand",
    "pr": "pour",
    "ds": "dans",
    "tro": "trop",
    "dsl": "desole",
    "qqn": "quelqu un",
    "qqun": "quelqu un",
    "qq1": "quelqu un",
    "qqch": "quelque chose",
    "msg": "message",
    "msgs": "messages",
    "tkt": "t inquiete",
    "lair": "l air",
    "jaime": "j aime",
    "jaimerais": "j aimerais",
    "jaimerai": "j aimerais",
    "jarrive": "j arrive",
    "jarrete": "j arrete",
    "jetais": "j etais",
    "javais": "j avais",
    # English
    "dont": "don t",
    "dnt": "don t",
    "cant": "can t",
    "wont": "won t",
    "im": "i m",
    "ive": "i ve",
    "youre": "you re",
    "whats": "what s",
    "thats": "that s",
    "theres": "there s",
    "isnt": "isn t",
    "doesnt": "doesn t",
    "didnt": "didn t",
    "wasnt": "wasn t",
    "werent": "weren t",
    "couldnt": "couldn t",
    "shouldnt": "shouldn t",
    "wouldnt": "wouldn t",
    "havent": "haven t",
    "hasnt": "hasn t",
    "arent": "aren t",
    "aint": "ain t",
    "wanna": "want to",
    "wana": "want to",
    "gonna": "going to",
    "gona": "going to",
    "gotta": "got to",
    "finna": "going to",
    "tryna": "trying to",
    "imma": "i m going to",
    "ima": "i m going to",
    "kms": "kill myself",
    "kys": "kill yourself",
    "u": "you",
    "ur": "your",
    "r": "are",
    "rn": "right now",
    "tonite": "tonight",
    "2nite": "tonight",
    "2night": "tonight",
    "2day": "today",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "idk": "i don t know",
    "idc": "i don t care",
    "ppl": "people",
    "noone": "no one",
    "no1": "no one",
    "every1": "everyone",
    "some1": "someone",
    "b4": "before",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "bcuz": "because",
    "abt": "about",
    "nvr": "never",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "tn": "tonight",
    "til": "until",
    "dw": "don t worry",
    "tho": "though",
    "rly": "really",
    "sewerslide": "suicide",
    "selfharm": "self harm",
    "anymore": "any more",
}

# Tokens whose doubled letters carry the meaning ("tt" is "tout", "t" is "t'es"): expanded
# before doubled letters are collapsed.
SMS_DOUBLED: dict[str, str] = {"tt": "tout", "tte": "toute", "ttes": "toutes"}

# Words people hide behind asterisks ("s*icide", "k*ll"): a token with an asterisk becomes the
# word of the same length whose other letters it matches.
CENSORED: tuple[str, ...] = (
    "suicide",
    "suicides",
    "suicider",
    "suicidee",
    "suicidaire",
    "suicidaires",
    "suicidal",
    "kill",
    "killing",
    "die",
    "dead",
    "death",
    "mourir",
    "mort",
    "morte",
    "crever",
    "tuer",
    "pendre",
    "overdose",
)

# ---------------------------------------------------------------------------------------------
# Shared fragments

_MEDS_WORDS = (
    # French
    "medicaments?",
    "medocs?",
    "cachets?",
    "comprimes?",
    "pilules?",
    "gelules?",
    "somniferes?",
    "anxiolytiques?",
    "antidepresseurs?",
    "neuroleptiques?",
    "calmants?",
    "antidouleurs?",
    "dolipranes?",
    "dafalgans?",
    "efferalgans?",
    "paracetamol",
    "ibuprofenes?",
    "ibuprofens?",
    "advils?",
    "nurofens?",
    "spedifen",
    "aspirine?",
    "xanax",
    "lexomil",
    "valium",
    "temesta",
    "lysanxia",
    "seresta",
    "tranxene",
    "stilnox",
    "zolpidem",
    "imovane",
    "zopiclone",
    "seroplex",
    "escitalopram",
    "deroxat",
    "paroxetine",
    "prozac",
    "fluoxetine",
    "sertraline",
    "zoloft",
    "effexor",
    "venlafaxine",
    "laroxyl",
    "amitriptyline",
    "tramadol",
    "codeine",
    "lamaline",
    "izalgi",
    "morphine",
    "oxycodone",
    "fentanyl",
    "lithium",
    "insuline",
    "opiaces",
    "benzodiazepines?",
    # English
    "pills?",
    "meds",
    "medications?",
    "tablets",
    "painkillers?",
    "antidepressants?",
    "sleeping tablets",
    "tylenols?",
    "acetaminophen",
    "motrin",
    "benadryl",
    "percocet",
    "vicodin",
    "oxys?",
    "benzos?",
    "opioids?",
    "armoire a pharmacie",
    "medicine cabinet",
    "emojipill",
)
MEDS = "(?:" + "|".join(_MEDS_WORDS) + ")"

# A dose: any number of milligrams, or a plausible number of grams (3g/4g/5g are phone networks,
# three-digit grams are recipes).
DOSE = (
    r"(?:\d+(?:[.,]\d+)? ?(?:mg|milligrammes?|milligrams?)"
    r"|(?:[12]|[6-9]|1\d|20)(?:[.,]\d+)? ?(?:g|gr|grammes?|grams?))"
)

# A quantity that turns a medication into an overdose.
STRONG_QTY = (
    r"(?:[5-9]|[1-9]\d+|une? (?:dizaine|vingtaine|trentaine|quarantaine|cinquantaine|centaine"
    r"|douzaine|poignee)|dix|quinze|vingt|trente|quarante|cinquante|cent|plusieurs|plein|trop"
    r"|ten|fifteen|twenty|thirty|forty|fifty|hundred|a (?:dozen|handful|bunch|lot)|dozens|lots"
    r"|loads|too many)"
)

BLADE = (
    r"(?:couteaux?|(?:une|des|la|les|ma|mes|avec une|avec la|avec des) lames?|lames? de rasoirs?"
    r"|rasoirs?|cutter|scalpel|knife|knives|razors?|razor blades?|blades?|box cutter|emojiknife)"
)
ROPE = r"(?:cordes?|ropes?|noose|noeud coulant|emojirope)"
FIREARM = (
    r"(?:guns?|pistols?|firearms?|rifles?|shotguns?|revolver|flingue|pistolet|fusils?"
    r"|armes? a feu|emojigun)"
)
MEANS_ANY = f"(?:{MEDS}|{BLADE}|{ROPE}|{FIREARM}|{DOSE})"

_FR_DESIRE = (
    r"(?:veux|veu|voudrais|voudrai|veut|aimerais|aimerai|souhaite|souhaiterais|prefererais"
    r"|envie d|envie de|besoin de|pense a|penser a|songe a|reve de|hate de)"
)
_FR_FUTURE = (
    r"(?:vais|vai|compte|decide d|decide de|l intention d|l intention de|pret a|prete a"
    r"|essayer de|dois|vais essayer de)"
)
_FR_DEATH_ACTIVE = (
    r"(?:me tuer|me tue|me suicider|me suicide|en finir|mettre fin a (?:mes jours|ma vie|tout)"
    r"|me (?:foutre|fou[st]?) en l air|me pendre|sauter|me jeter|me noyer|m ouvrir les veines"
    r"|avaler (?:tous|toute)|faire une (?:od|overdose|betise|connerie))"
)
_FR_DEATH_ALL = (
    r"(?:mourir|mourrir|crever|" + _FR_DEATH_ACTIVE[3:-1] + ")"
)  # mourir/crever + the active list
_NO_NEG = r"(?:(?!pas |plus |jamais |personne |rien )[a-z]+ )"

_EN_DEATH = (
    r"(?:die|be dead|kill myself|end it|end it all|end my life|end things|take my (?:own )?life"
    r"|commit suicide|unalive(?: myself)?|stop existing|not exist|not be alive|hang myself|jump"
    r"|overdose|od)"
)
_EN_DEATH_ACTIVE = (
    r"(?:kill myself|end it|end it all|end my life|end things|take my (?:own )?life"
    r"|commit suicide|unalive(?: myself)?|hang myself|jump|overdose|od)"
)
_EN_NO_NEG = r"(?:(?!not |never |don t )[a-z]+ )"

# ---------------------------------------------------------------------------------------------
# Acts in progress / at the spot: scored on the unmasked text; any of them is imminent.

ACTS: dict[str, tuple[str, ...]] = {
    "act:ingested": (
        # "j'ai pris 30 doliprane", "I swallowed 20 pills", "I took the whole bottle"; in a chat
        # the subject is often dropped ("took 25 xanax"): past forms alone count too.
        r"(?:(?:j ai|g|je viens d|je viens de|viens d|viens de|i|i ve|i have|just|already|deja)"
        r" (?:deja |just |already )?(?:pris|avale|avaler|prendre|took|taken|swallowed|swallow"
        r"|downed|ate|bu|boire|drank|chugged|popped)"
        r"|(?<!he )(?<!they )(?<!il )(?<!elle )(?:took|swallowed|downed|chugged|popped|avale))"
        r" (?:[a-z]+ ){0,5}?(?:"
        + STRONG_QTY
        + r"(?:[.,]\d+)? ?(?:g|gr|mg|(?:[a-z]+ ){0,3}?"
        + MEDS
        + r")"
        r"|(?:toute (?:la|une|ma)|toutes (?:les|mes)|(?:the|a|my) (?:whole|entire)) (?:[a-z]+ )?"
        r"(?:boites?|plaquettes?|flacons?|bouteilles?|bottles?|box|boxes|packs?|packets?|strips?)"
        r"(?! d eau| of (?:water|coke|soda|juice|milk|lemonade|gatorade))"
        r"|(?:une|la|ma) (?:boite|plaquette|flacon) entiere"
        r"|(?:la moitie|half|the half) (?:de |d |of )?(?:la |les |ma |mes |the |my |a )?"
        r"(?:boites?|plaquettes?|flacons?|bouteilles?|bottles?|box|packs?|strips?|" + MEDS + r")"
        r"|(?:tous|toutes) (?:mes|les|ces) (?:[a-z]+ )?"
        + MEDS
        + r"|all (?:of )?(?:my|the) (?:[a-z]+ )?"
        r"" + MEDS + r"|them all|everything|de la javel|bleach)",
        r"(?:swallowed|downed|chugged|avale|bu) (?:[a-z]+ ){0,2}?(?:a|an|une|un) (?:[a-z]+ )?"
        r"(?:bottle|box|pack|packet|strip|boite|plaquette|flacon|tube) (?:of|de|d)"
        r" (?:[a-z]+ ){0,2}?" + MEDS,
        r"(?:j ai|g|i|i ve) (?:deja |just |already )?tout (?:pris|avale)",
        r"(?:i just|just|i ve just|je viens de|viens de)"
        r" (?:overdosed|od|oded|faire une (?:overdose|od))",
        r"i m overdosing",
    ),
    "act:at_location": (
        r"(?:(?:je suis|j suis)(?: (?:la|deja|actuellement|juste|assise?|debout|en haut))?"
        r"|(?:i m|i am)(?: (?:standing|sitting|now|currently|right|already|just|out))?"
        r"|standing|sitting|writing (?:this|to you)|je vous ecris)"
        r" (?:sur|au bord (?:du|de la|d un|d une)|en haut (?:du|de la|d un|d une)|au|on|at"
        r"|on top of|at the edge of|on the edge of|by|from|depuis|du haut du|du haut de la"
        r"|de la|du|d un|d une)"
        r" (?:le |la |les |l |un |une |the |a )?(?:pont|toit|rails|voie feree|voie ferree"
        r"|falaise|rebord|parapet|bord du vide|vide|bridge|roof|rooftop|ledge|cliff|tracks"
        r"|train tracks|railway|railroad|rail tracks|platform edge|edge of the (?:roof|cliff"
        r"|bridge|building|platform)|overpass|viaduc|viaduct|passerelle"
        r"|roof of [a-z]+(?: [a-z]+)?|toit de [a-z]+(?: [a-z]+)?)",
        r"(?:je suis|i m|i am) (?:[a-z]+ )?(?:en haut du|sur le toit du|on top of the"
        r"|on the roof of the|at the top of the|au dernier etage du) (?:parking|car park"
        r"|parking garage|parking lot|immeuble|batiment|building|tour|tower)",
        r"(?:moteur (?:allume|qui tourne)|engine (?:running|on)) (?:[a-z]+ ){0,3}?garage"
        r"|garage (?:[a-z]+ ){0,3}?(?:moteur (?:allume|qui tourne)|engine (?:running|on))",
        r"(?:jambes|pieds) (?:dans le vide|au dessus du vide|par la fenetre)"
        r"|legs (?:over the edge|dangling over|out the window)",
        r"(?:i m|i am) climbing over|je suis en train d enjamber",
        r"(?:j enjambe|je passe par dessus|climbing over|i climbed over) (?:la|le|the) "
        r"(?:rambarde|garde corps|parapet|railing|barrier|fence)",
    ),
    "act:injured": (
        r"(?:je saigne|ca saigne|saigne) (?:beaucoup|trop|partout|abondamment|sans arret"
        r"|et ca s arrete pas|de partout)",
        r"(?:i m|i am) bleeding (?:a lot|heavily|badly|everywhere|so much|out|really bad)",
        r"can t stop (?:the )?bleeding|won t stop bleeding|bleeding won t stop",
        r"me suis ouvert (?:les|mes) veines|(?:i ve|i|i just) (?:slit|cut|opened) my wrists",
        r"(?:du )?sang partout|blood everywhere|(?:cut|coupee?) (?:too|trop) (?:deep|profond)",
    ),
}

# ---------------------------------------------------------------------------------------------
# Captures: recorded, then masked, before the figurative masks and the main lexicon, so that
# e.g. "I tried to kill myself" is a past attempt and not a current intent.

CAPTURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "history:attempt",
        (
            r"(?:j ai|g|j avais|j ai deja|je l ai) (?:deja )?(?:fait|tente|essaye|commis)"
            r" (?:une |de |d )?(?:tentative(?: de suicide)?|ts|me tuer|me suicider|en finir"
            r"|mourir|me pendre)",
            r"tentatives? de suicide|(?:ma|mes|une|fait une|faire une) (?:derniere |premiere )?ts",
            r"(?:tried|attempted|tryed) (?:to )?(?:kill myself|end my life|end it|take my (?:own )?"
            r"life|commit suicide|overdose|hang myself|suicide)",
            r"suicide attempts?|(?:my|previous|last|first) (?:suicide )?attempt",
            r"attempted (?:before|last (?:year|month|week|summer|winter|time)|in 20\d\d|twice|once"
            r"|(?:two|three|several|multiple|many|a few|\d+) times|when i was|as a (?:kid|teen))",
        ),
    ),
    (
        "suicide:exposure",
        (
            r"s est (?:suicidee?|tuee?|pendue?|jetee? sous un train|donne la mort)"
            r"|se sont suicidee?s?|mort par suicide|morte par suicide"
            r"|a mis fin a ses jours|suicide de (?:mon|ma|mes) [a-z]+",
            r"(?:killed|hanged|hung|shot) (?:himself|herself|themselves|themself)"
            r"|took (?:his|her|their) (?:own )?life|died (?:by|of|from) suicide"
            r"|committed suicide|lost (?:my|a|her|his|our) [a-z]+ to suicide|suicide of my [a-z]+",
        ),
    ),
    (
        "concern:third_party",
        (
            r"(?:il|elle|ils|elles|qu il|qu elle|quelqu un|mon [a-z]+|ma [a-z]+|mes [a-z]+"
            r"|un ami|une amie|son [a-z]+|sa [a-z]+) (?:[a-z]+ ){0,2}?"
            r"(?:veut|voulait|voudrait|compte|pense a|parle de|menace de|a envie de|avait envie de"
            r"|va|allait|a dit qu (?:il|elle) (?:voulait|allait))"
            r" (?:[a-z]+ ){0,2}?(?:se suicider|se tuer|en finir|se pendre|se jeter|se faire du mal"
            r"|se (?:foutre|fou[st]?) en l air|se scarifier|se couper|mettre fin a ses jours)",
            r"(?:il|elle|ils|elles|qu il|qu elle|quelqu un|mon [a-z]+|ma [a-z]+|un ami|une amie)"
            r" (?:[a-z]+ ){0,2}?(?:veut|voulait|voudrait|a envie de|avait envie de) mourir",
            r"(?:il|elle|ils|elles) se (?:scarifie|scarifient|mutile|mutilent|fait du mal)",
            r"(?:est|sont|etait) suicidaires?",
            r"(?:kill|killing|cut|cutting) (?:himself|herself|themselves|themself)"
            r"|end(?:ing)? (?:his|her|their) (?:own )?life",
            r"(?:he|she|they|friend|brother|sister|mom|mum|dad|mother|father|boyfriend|girlfriend"
            r"|bf|gf|someone|cousin|roommate|classmate) (?:(?!i )[a-z]+ ){0,4}?"
            r"(?:wants?|wanted|is going|s going|was going|is planning|plans|threatens|threatened"
            r"|talks? about|talked about"
            r"|says?|said|told me) (?:[a-z]+ ){0,3}?(?:to )?(?:die|suicide|suicidal)",
            r"(?:he|she|they) (?:is|s|seems|was|are|re|feels) (?:[a-z]+ )?suicidal",
        ),
    ),
    (
        "ideation:negated",
        (
            # French: a desire verb directly negated, with a death verb (not a life verb:
            # "je ne veux plus vivre" stays a risk).
            r"(?:je |j )?(?:ne |n )?(?:veux|veu|voudrais|vais|compte|souhaite|cherche|vois|pense)"
            r" (?:[a-z]+ )?(?:pas|plus|jamais) (?:[a-z]+ )?(?:mourir|me tuer|me suicider|en finir"
            r"|mettre fin a mes jours|me faire du mal|faire de betises?|faire une betise"
            r"|faire de connerie|me (?:foutre|fou[st]?) en l air)",
            r"(?:n )?(?:ai|a) (?:pas|plus|jamais) (?:eu )?(?:envie|l intention|l idee)"
            r" (?:de |d )(?:mourir|me tuer|me suicider|en finir|me faire du mal)",
            r"(?:ne |n )?(?:suis|suis vraiment|suis absolument) (?:pas|plus|absolument pas"
            r"|vraiment pas) suicidaire|pas suicidaire",
            r"(?:ne |n )?(?:pense|pensais) (?:pas|plus|jamais) (?:au suicide|a (?:me tuer"
            r"|me suicider|mourir|la mort|en finir))",
            r"(?:ne |n )?(?:ferai|ferais|ferait) (?:pas|rien|jamais)(?: de)? (?:betises?|conneries?"
            r"|mal|ca|rien de grave|de grave)",
            r"jamais je (?:ne )?(?:me tuerai|me tuerais|me suiciderai|me suiciderais|ferai ca"
            r"|ferais ca)|me (?:tuerai|tuerais|suiciderai|suiciderais) jamais",
            # English
            r"(?:don t|do not|didn t|never|no longer|not) (?:really |even |actually )?(?:want|wanna"
            r"|wish|plan|intend|mean|need|think about|think of) (?:to )?(?:die|kill myself|end it"
            r"|end my life|hurt myself|harm myself|commit suicide|be dead|suicide|dying"
            r"|killing myself)",
            r"(?:i m|i am) (?:not|never) (?:[a-z]+ )?(?:suicidal|going to (?:kill myself|die"
            r"|hurt myself|do anything|end it)|planning (?:to|on) [a-z]+)",
            r"(?:not|never) (?:[a-z]+ )?going to (?:kill myself|die|hurt myself|do anything"
            r"|end it)",
            r"(?:won t|will not|would never|wouldn t|will never|could never) (?:ever )?"
            r"(?:kill myself|hurt myself|do anything (?:stupid|dumb|bad|silly)|end it|end my life"
            r"|do that)",
            r"not suicidal|no suicidal (?:thoughts|ideation|intent)"
            r"|no (?:intention|plans?) (?:of|to) (?:kill|hurt|end|die)[a-z]*",
            r"never (?:thought|think) (?:about|of) (?:suicide|killing myself|dying)",
        ),
    ),
    (
        # "me couper du monde" is isolation, not self-harm.
        "distress:isolation",
        (
            r"(?:me couper|me coupe|me suis coupee?|sens coupee?|suis coupee?|sentir coupee?)"
            r" du monde|couper les ponts|coupe les ponts",
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# Figures of speech and everyday uses of risk words: masked before the main lexicon.

FIGURATIVE: tuple[str, ...] = (
    # dying / killing as hyperbole
    r"morte? de (?:rire|faim|soif|froid|chaud|fatigue|peur|honte|ennui)",
    r"(?:mourir|meurs|meurt|meure|creve|crever|crevee?) (?:de|d) (?:rire|faim|soif|froid|chaud"
    r"|fatigue|honte|ennui|envie|impatience|peur)",
    r"mdr[a-z]*|ptdr[a-z]*|lol|lmao|xd|jpp de rire|j suis morte?|je suis morte? de rire",
    r"(?:dying|die|died|dead) (?:of|from) (?:laughter|laughing|embarrassment|boredom|cringe"
    r"|hunger|thirst|heat|shame|curiosity)",
    r"dying to (?:see|know|try|meet|go|get|hear|watch|tell|eat)",
    r"to die for",
    r"(?:killing|killed|kill) it",
    r"kill(?:ing)? time",
    r"(?:is|are|s|re|was) killing me",
    r"kill for (?:a|an|some)",
    r"(?:going to|will|ll|gonna) kill me",
    r"(?:me|se|te|nous|vous) (?:tuer|tue|tues|tuent|tuais|tuait) (?:a la tache|au travail"
    r"|au boulot|a l ouvrage)",
    r"dead tired|deadline|i m dead|phone is dying|battery is dying|dying battery",
    r"suicide (?:squad|social|commercial|politique|professionnel|economique|financier"
    r"|academique|mission|doors?|burpees|sprints?|run)",
    # bridges
    r"jours? de pont|(?:faire|fait|faisons|font|on fait) le pont"
    r"|le pont (?:de|du) (?:mai|l ascension|la pentecote|la toussaint|noel|novembre|\d+)",
    r"pont (?:de l alma|neuf|mirabeau|des arts|alexandre|de normandie|de tancarville|du gard"
    r"|d avignon|aerien|dentaire|levis|roulant|thermique|diviseur|de bir hakeim|de la concorde)",
    r"ponts et chaussees",
    # "ya pont vendredi": a long weekend (no article: "il y a un pont" is a bridge)
    r"(?:il y a|on a|y aura|il y aura|avoir|aura) pont"
    r"|pont (?:ce |le )?(?:lundi|vendredi|ce week end|ce weekend)",
    r"(?:cross|crossed|crossing|crosses|traverse|traverser|traversait|traversons|traverser)"
    r" (?:the|a|le|un|ce|this) (?:[a-z]+ ){0,3}?(?:bridge|pont)",
    r"(?:le|ce) pont (?:est|etait|sera) (?:ferme|bouche|en travaux|embouteille|bloque)",
    r"cliff (?:jumping|diving)|saut de falaise",
    r"bridge (?:of|on) (?:my|the|his|her|your|a) (?:nose|guitar|violin|bass|cello|song|glasses"
    r"|ukulele)",
    r"(?:guitar|violin|nose|dental|bass|cello) bridges?",
    r"bridge (?:loan|club|game|player|card|tournament|camera|mode|course|year)",
    r"play(?:ed|ing|s)? bridge|bridge the gap|water under the bridge|cross that bridge",
    r"burn(?:ed|t|ing|s)? (?:the |my |our |that |a |all )?bridges?",
    r"the bridge (?:of|in) (?:the |this |that )?song|(?:the )?bridge (?:is|was) closed",
    # trains
    r"en train (?:de|d)|train de vie|train train|fond de train|mise? en train",
    r"(?:prendre|prends|prend|pris|prenons|prenez|rate|rater|raté) (?:le|mon|un) train",
    r"le train (?:part|arrive|pour|de retour|est en retard|a du retard|etait|est)",
    r"train (?:pour|de (?:paris|lyon|marseille|nuit|retour))|dans le train|billet de train"
    r"|mon train",
    r"train (?:to|for|from|station|ride|ticket|journey|trip|set|of thought|home|was|is)",
    r"(?:on|in|by|take|took|taking|catch|caught|catching|miss|missed|my|last)"
    r" (?:the |a |my )?train(?! tracks)",
    r"(?:i|we|you|they|to|will|can|going to|want to|have to) train",
    r"train (?:hard|every|daily|at the gym)|train(?:ed)? (?:my|the) (?:dog|puppy)",
    r"off the rails|(?:remettre|remis|remets|revenir|retour) sur les rails",
    r"tracks on (?:this|the|her|his|my) album",
    # jumping
    r"jump (?:rope|start|scare|to conclusions|the gun|the queue|at the chance|for joy"
    r"|on (?:a|the) (?:call|bed|trampoline|bandwagon)|in (?:the|a) (?:pool|shower|car"
    r"|conversation|chat)|into the pool|shot)",
    r"jumping (?:jacks|rope|on the bed)|(?:high|long|ski|triple|bungee|base|parachute"
    r"|trampoline) jump[a-z]*|jumpscare",
    r"jumped (?:into|in) (?:the|a) (?:pool|car|conversation|shower)",
    r"jump(?:ed|ing|s)? out of (?:my|his|her|their|your|the) (?:seat|chair|skin|bed)",
    r"sauter (?:un|une|le|les|des|mon|ma|mes|son|sa) (?!pont|vide|toit|balcon|fenetre|falaise)"
    r"[a-z]+",
    r"saute (?:un|une|le|les|des|mon|ma|mes|son|sa) (?!pont|vide|toit|balcon|fenetre|falaise)"
    r"[a-z]+",
    r"(?:saute|sauter) (?:de joie|au plafond|aux yeux|le pas|en parachute|a l elastique"
    r"|a la corde|dans les bras|sur l occasion|en l air|partout|sur le lit|dans la piscine"
    r"|du lit|hors du lit)",
    r"corde a sauter|(?:faire|fait|fais) sauter|saut en (?:longueur|hauteur|parachute)",
    r"me jeter (?:sur (?:mon|le) lit|dans (?:tes|ses|les) bras|sur la nourriture"
    r"|dans le travail)",
    # ropes, strings, hanging
    r"cordes? (?:de |d )(?:ma |mon |la |sa |ta |mes |son )?(?:guitare|violon|violoncelle|basse"
    r"|harpe|ukulele|piano|arc|raquette)",
    r"cordes? vocales?|cordes? a linge|instruments? a cordes|plusieurs cordes a son arc"
    r"|tirer sur la corde|sur la corde raide|il pleut des cordes",
    r"(?:jump|jumping|skipping) ropes?|rope (?:swing|course|climb|bridge)|ropes course"
    r"|(?:learn|learning|learned|show (?:me|you|him|her)) the ropes|on the ropes",
    r"pendre (?:la cremaillere|le linge|les rideaux|des rideaux|un tableau|le tableau"
    r"|les vetements|le manteau)",
    # cutting, blades, burns
    r"me (?:couper|coupe) (?:les|la|le|des|du|une|un|mes|ma|mon) "
    r"(?!veines|poignets?|bras|cuisses?|jambes?|peau|ventre|monde)[a-z]+",
    r"me suis coupee? (?:(?:le|la|les|au|aux|a la|a l) [a-z]+|avec (?:une |du |le |la |un )?"
    r"(?:feuille|papier|verre|conserve|couteau de cuisine)|en [a-z]+ant)",
    r"cut myself (?:shaving|while|when|cooking|on (?:a|the|some)|by accident|accidentally"
    r"|with (?:a|the) (?:kitchen|bread|paper)|a (?:slice|piece))",
    r"(?:hurt|burn|burned|burnt|hit) myself (?:on|with|while|cooking|at|during|playing|skating"
    r"|in the kitchen|ironing)(?! [a-z ]*(?:on purpose|deliberately|intentionally))",
    r"me faire mal (?:au|a la|aux|a l) [a-z]+|me bruler (?:la|le|les|avec|au) [a-z]+",
    r"me brule (?:[a-z]+ )?(?:la|le|les|au|aux|a la|a l|avec (?:le|la)|en) (?:langue|doigts?"
    r"|mains?|palais|bouche|levres?|soleil|four|plaques?|fer|casserole|poele|cuisinant)",
    r"cutting (?:down|back|class|classes|corners|it close)",
    r"(?:knife|couteau) (?:to cut|pour couper|and fork|et (?:la )?fourchette) (?:the |le |la |les"
    r" |du |des )?(?!my|me |moi|mes |ma |wrist|veine|skin|peau|arm|bras)[a-z]*",
    r"butter knife|couteau a (?:beurre|pain|huitres)",
    r"razor (?:burn|bumps|scooter|sharp)|shoulder blades?|blade runner|blades? of grass",
    r"(?:so|that s|that is|is|was|pretty|kinda|really) lame",
    # medication that is not a means
    r"(?:ma|la|sa|ta) pilule(?: du lendemain| contraceptive)?|pilule du lendemain",
    r"(?:on|take|taking|took|forgot|forget|forgotten|missed|miss) (?:the|my) pill"
    r"|birth control pills?|morning after pill",
    r"cachet de la poste|cachet d artiste|(?:un certain|du|beaucoup de) cachet",
    r"j ai (?:plus de |pas de |de la |la )?[345]g|(?:en|la|de la|pas de|plus de|my|no) [345]g",
    # firearms
    r"(?:glue|water|nerf|squirt|heat|nail|staple|toy) guns?|water pistols?|pistolet a (?:eau|colle)"
    r"|gun control|top gun|jump(?:ed)? the gun|son of a gun",
    # poison
    r"poison ivy|bleach (?:my|your|her|his|the) (?:hair|clothes|teeth)",
    r"(?:nettoy[a-z]*|menage|laver|lave) (?:[a-z]+ ){0,4}?(?:javel|bleach)",
    # finishing things
    r"en finir avec (?:les|le|la|ce|cet|cette|mes|mon|ma|ces) (?:exams?|examens?|partiels?|bac"
    r"|devoirs?|dossier|projet|boulot|travail|semaine|memoire|these|stage|revisions?|cours"
    r"|histoire)",
    r"end it with (?:him|her|them|my (?:boyfriend|girlfriend|bf|gf|partner))",
    r"adieu (?:les|la|le|mes) (?:vacances|week end|weekend|soleil|grasse matinee)",
    # farewell formulas that are ordinary
    r"merci pour tout|thanks for everything",
    r"(?:derniers? messages?|derniere fois que je (?:vous |te )?(?:parle|ecris))"
    r" (?:de la soiree|de la journee|pour (?:ce soir|aujourd hui)"
    r"|avant (?:de dormir|de partir en|les vacances|demain|la rentree))"
    r"|last message (?:of the day|for today|for tonight|before bed)",
    r"(?:die|dying|dyed|dye) (?:my|her|his|your|their) hair",
    r"(?:overdose|overdosed|od|surdose) (?:de|d|of|on) (?:[a-z]+ )?(?:series|netflix|chocolat"
    r"|chocolate|sucre|sugar|cafe|coffee|cafeine|caffeine|travail|work|love|amour|tiktok"
    r"|memes?|cuteness|candy|bonbons|jeux|games|anime|mangas?|k ?drama)",
    r"disappear (?:from|off) (?:social media|instagram|tiktok|snapchat|the internet|online)"
    r"|disparaitre des reseaux(?: sociaux)?",
    r"saut a la corde",
    # victims: idioms
    r"(?:ca|ce qui|qui) m a frappee?|(?:ca|ce qui) me frappe|m a frappe que|me frappe que",
    r"(?:ca|cela|ton message|tes mots|ce que tu dis) me touche|it touches me"
    r"|(?:message|words|story|song|movie|gesture) (?:really )?touched me",
    r"hit me up|it hit me|hits me that|(?:that|reality|it) hit me|hit me hard"
    r"|beat me (?:at|in|to)|touched me (?:deeply|so much)|hurts me (?:to|that|when)",
    r"me (?:bat|cogne|tape)[a-z]* (?:toujours |encore )?(?:aux? (?!coups)|a (?:la |l )?(?!coups))"
    r"[a-z]+",
    # time words that are not a timeframe
    r"depuis (?:[a-z]+ )?maintenant|maintenant (?:que|ca va)|jusqu a maintenant|mieux maintenant",
    r"pas (?:ce soir|maintenant|aujourd hui|demain|cette nuit)",
    r"not (?:tonight|now|today|tomorrow|right now)",
    r"now that|for now|by now|until now|up (?:un)?to now|even now|just now"
    r"|(?:years|months|weeks|days|a while|ages|some time|a long time|long) now"
    r"|now and (?:then|again)|better now",
    # drowning as a figure
    r"me noyer (?:dans|sous) (?:le|les|mon|mes) (?:travail|boulot|devoirs|cours|series)",
)

# ---------------------------------------------------------------------------------------------
# Main lexicon, scored on the masked text.

LEXICON: dict[str, tuple[str, ...]] = {
    "intent:suicidal": (
        r"(?:je |j |g )?" + _FR_DESIRE + " " + _NO_NEG + "{0,2}?" + _FR_DEATH_ALL,
        _FR_FUTURE + " " + _NO_NEG + "{0,2}?" + _FR_DEATH_ACTIVE,
        r"me suicider|me suicide|suicider|me tuerai|me tuerais|j en finis|j en finirai"
        r"|en finir (?:avec (?:la vie|tout|ma vie|cette vie|tout ca)|une bonne fois)"
        r"|mettre fin a mes jours|me (?:foutre|fou[st]?) en l air|envie de crever|envie de mort"
        r"|c (?:est )?(?:fini|la fin) pour moi|it s over for me",
        r"(?:want|wants|wanna|wanted|wish|need|long|longing|would rather|rather|ready|deserve)"
        r" (?:to )?" + _EN_NO_NEG + "{0,2}?" + _EN_DEATH,
        r"(?:going|about|planning|plan|decided|trying|try|will|ll|intend|intending|got|have)"
        r" (?:to )?" + _EN_NO_NEG + "{0,1}?" + _EN_DEATH_ACTIVE,
        r"feel like (?:ending (?:it|my life|things)|dying|killing myself|disappearing)"
        r"|kill myself|killing myself|end it all|ending it all|end my life|ending my life"
        r"|take my (?:own )?life|taking my (?:own )?life|unalive myself|commit suicide",
    ),
    "ideation:suicidal": (
        r"idees? noires?|pensees? (?:suicidaires?|de mort|morbides?|noires)"
        r"|idees? (?:suicidaires?|de mort|de suicide)|suicidaires?",
        r"(?:pense|pensais|penser|songe|songer) (?:[a-z]+ ){0,2}?(?:au suicide|a la mort|a mourir"
        r"|a me (?:tuer|suicider|pendre|jeter|(?:foutre|fou[st]?) en l air|noyer)|a en finir"
        r"|a sauter|a disparaitre)",
        r"(?:obsedee?|hantee?) par la mort",
        r"suicidal|(?:think|thinking|thought|thoughts) (?:[a-z]+ ){0,2}?(?:about|of) (?:death"
        r"|dying|suicide|killing myself|ending (?:it|my life|things)|jumping|hanging myself"
        r"|overdosing|not being here|not waking up)",
        r"death all the time|obsessed with death|suicide thoughts",
        r"(?:painless |easy |quick |best )?ways? to (?:die|kill myself|end it|end my life)"
        r"|how to (?:die|kill myself|end my life|commit suicide)|painless (?:way|death)"
        r"|moyens? (?:de|pour) (?:mourir|me suicider|se suicider|en finir)"
        r"|comment (?:mourir|se suicider|me suicider|en finir|se tuer|me tuer)"
        r"|mourir sans (?:souffrir|douleur)",
        r"can t promise (?:i ll|i will|to) (?:be|stay|keep myself) safe"
        r"|(?:don t|do not) feel safe (?:with|around) myself|not safe (?:with|from) myself"
        r"|(?:peux|peu) pas (?:vous )?promettre (?:de|que) (?:je )?(?:rester|resterai|serai)"
        r"|pas en securite avec moi meme",
    ),
    "ideation:passive": (
        r"(?:plus|pas|aucune|jamais) (?:[a-z]+ )?(?:envie|la force|le courage|l envie|besoin)"
        r" (?:de |d )(?:vivre|continuer a vivre|me reveiller|exister|etre la|etre en vie"
        r"|etre vivante?|rester en vie|me battre)",
        r"(?:veux|veu|voudrais|aimerais|prefererais|souhaite|peux|peu|arrive|sais|supporte)"
        r" (?:[a-z]+ )?(?:plus|pas)"
        r" (?:[a-z]+ )?(?:vivre|exister|etre en vie|me reveiller|etre la)",
        r"(?:aucune|plus de|pas de|plus aucune|pas une seule|aucun|plus|pas) (?:[a-z]+ )?"
        r"(?:raison|sens) (?:de |d )(?:vivre|continuer|rester|exister)"
        r"|rien pour (?:quoi|lequel|laquelle) vivre",
        r"pourquoi (?:je )?(?:vis|vivre|vivrais|existe|suis encore (?:la|en vie|vivante?)"
        r"|reste en vie)",
        r"a quoi bon vivre|(?:fatiguee?|lasse?|marre) de vivre|marre de la vie"
        r"|la vie ne vaut (?:pas|plus) la peine",
        r"(?:serait|seraient|serais|seront|sera|serons|seriez|etre) (?:[a-z]+ )?mieux sans moi"
        r"|mieux (?:mort|morte|morts)|mieux sans moi",
        r"(?:m endormir|dormir) (?:et )?(?:ne )?(?:jamais|plus|pas)(?: jamais)? (?:me )?reveiller"
        r"|ne (?:jamais|plus|pas) me reveiller|plus jamais me reveiller|dormir pour toujours"
        r"|m endormir pour (?:toujours|de bon)",
        r"disparaitre|partir pour (?:toujours|de bon)|ne plus exister|plus etre la"
        r"|(?:arreter|cesser) (?:de vivre|d exister)|stop living",
        r"(?:si|quand) je (?:n etais|ne serais|ne serai|serai|serais|suis|etais) (?:plus la"
        r"|partie?|morte?|plus en vie)",
        r"si je (?:mourais|mourrais|disparaissais|me tuais|me suicidais|partais|n etais plus la)",
        r"que (?:tout|ca|la vie|cette douleur|la douleur|cette souffrance) s arrete",
        r"(?:plus|pas) vivre comme ca",
        r"(?:sert a rien|a quoi (?:ca )?sert|a quoi bon|inutile|pas la peine) (?:que je |de )"
        r"(?:(?:rester|reste) en vie|vivre|vive|continuer a vivre|exister|existe)",
        r"(?:si|que) (?:une voiture|un camion|un bus|un train|un metro) (?:m|me) (?:ecrasait"
        r"|ecrase|renversait|renverse|percutait|percute|fauchait|tuait)",
        r"(?:wish|hope) (?:a|some) (?:car|bus|truck|train) (?:would )?(?:hit|hits|run over"
        r"|runs over|kill|kills) me|(?:wouldn t|don t) mind (?:if i got|getting) (?:hit|run over)",
        r"(?:don t|do not|no longer) (?:really |even |actually |just )?(?:want|wanna|wish|care)"
        r" (?:to )?(?:live|be alive|exist|be here|wake up|go on|keep living|keep going"
        r"|stay alive)",
        r"not (?:sure|certain) (?:if |that |whether )?i (?:want|wanna) (?:to )?(?:live|be alive"
        r"|be here|keep going|go on|exist)",
        r"(?:don t|do not) know (?:if|whether|why) i (?:[a-z]+ ){0,2}?(?:live|living|alive"
        r"|keep going|go on|exist)",
        r"(?:no|any|zero) (?:reason|point) (?:to|in|of|for) (?:live|living|go on|going on"
        r"|be alive|being alive|exist|existing|stay|staying|keep going|continue)"
        r"|nothing (?:left )?to live for",
        r"what s the point (?:of|in) (?:living|life|being alive|going on|existing|anything"
        r"|trying)|why (?:am i|should i|do i) (?:still )?(?:alive|live|exist|bother living)",
        r"better off (?:dead|without me|if i (?:was|were|wasn t|weren t) (?:gone|here|around"
        r"|alive|born)(?! (?:him|her|them|you|my|his|their|people))|if i (?:died|disappeared"
        r"|didn t exist))|(?:be|are) better (?:off )?"
        r"without me",
        r"wish i (?:was|were|d been) (?:dead|never born|gone)|wish i (?:had )?never (?:been )?born"
        r"|wish i (?:could )?(?:just |simply )?(?:disappear|vanish|not wake up|not exist"
        r"|stop existing)",
        r"if i (?:just |simply )?(?:died|was dead|were dead|disappeared|wasn t here|weren t here"
        r"|(?:wasn t|weren t) around(?! (?:him|her|them|you|my|his|their|people))"
        r"|didn t exist|was never born"
        r"|was gone"
        r"|were gone|killed myself)",
        r"(?:go to )?sleep (?:and )?(?:never|not) wake up|never wake up|sleep forever"
        r"|fall asleep and (?:never|not)",
        r"(?:disappear|vanish) (?:forever|for good|for ever|completely|and never come back)"
        r"|(?:want|wanna) to (?:disappear|vanish)",
        r"can t live like this|(?:can t|cannot) keep living|tired of (?:living|being alive|life"
        r"|existing)|done with (?:life|living|it all|this life)",
        r"(?:want|wanna|need) (?:it|this|everything|the pain|it all|all of this|all this"
        r"|all of it) to (?:stop|end|be over)",
        r"if i (?:was|were) gone|when i m gone|once i m gone|after i m gone"
        r"|(?:want|wanna|wish) to be dead|life isn t worth (?:living|it)|not worth living",
    ),
    "means:overdose": (
        STRONG_QTY + r" (?:[a-z]+ ){0,2}?" + MEDS,
        r"(?:tous|toutes) (?:mes|les|ces|ses) (?:[a-z]+ )?" + MEDS,
        r"all (?:of )?(?:my|the|these|those|her|his) (?:[a-z]+ )?" + MEDS,
        r"toute (?:la|une|ma) (?:boite|plaquette|flacon|bouteille)"
        r"|(?:boite|plaquette|flacon|tube)s? entieres?",
        r"(?:the|a|an|my) (?:whole|entire) (?:bottle|box|pack|packet|blister|strip)",
        r"(?:[2-9]|\d{2,}) (?:boites|plaquettes|flacons|bottles|boxes|packs|packets)",
        r"overdos[a-z]*|surdos[a-z]*|od|oding|oded",
        r"lethal dose|dose (?:letale|mortelle)",
        r"(?:how many|combien de) (?:[a-z]+ ){0,2}?" + MEDS + r" (?:[a-z]+ ){0,5}?(?:die|mourir"
        r"|kill|tuer|overdose|od|fatal|mortel|letal|se reveiller|wake up)",
        r"(?:emojipill ){2,}emojipill",
        r"(?:prendre|prends|prend|avaler|avale|take|taking|swallow|swallowing) (?:tout|everything)"
        r" (?:[a-z]+ ){0,7}?(?:pharmacie|medicine cabinet|bathroom cabinet)",
    ),
    "means:medication": (MEDS,),
    "means:dose": (DOSE,),
    "means:blade": (BLADE,),
    "means:rope": (ROPE,),
    "means:firearm": (FIREARM,),
    "means:poison": (
        r"(?:boire|bu|avaler|avale|drink|drank|drinking|swallow|swallowed) (?:[a-z]+ ){0,2}?"
        r"(?:javel|bleach|antigel|antifreeze|deboucheur|drain cleaner|mort aux rats|rat poison"
        r"|poison|pesticides?|desherbant|weed killer)",
        r"m empoisonner|poison myself|mort aux rats|rat poison",
    ),
    "method:jump": (
        r"sauter|je saute|saute (?:du|d un|d une|de la|par|dans le vide|depuis|du haut)"
        r"|me jeter|me defenestrer|defenestr[a-z]*",
        r"ponts?|bridges?|jump|jumping|jumped (?:off|from|out|in front)|falaises?|cliffs?",
    ),
    "method:train": (
        r"(?:sous|under|in front of|devant) (?:un|une|le|la|les|a|the|an|next) (?:[a-z]+ )?"
        r"(?:trains?|metros?|rers?|tgv|trams?|subway)",
        r"trains?|rails|voies? ferrees?|railway|railroad|train tracks|the tracks"
        r"|throw myself (?:under|in front)|step in front of",
    ),
    "method:hanging": (
        r"(?:me|te|se) pendre|pendre|pendaison|me pends|hang myself|hanging myself"
        r"|hanged myself",
    ),
    "method:cutting": (
        r"(?:m )?(?:ouvrir|ouvert|ouvre|couper|coupe|tailler|taille|taillader|entailler|trancher"
        r"|scarifier|lacerer) (?:les|mes) (?:veines|poignets)",
        r"(?:slit|cut|cutting|slash|slashing|open) (?:my|the) (?:wrists?|veins?|throat)",
    ),
    "method:drowning": (
        r"me noyer|drown myself|drowning myself|me jeter (?:a l eau|dans la seine"
        r"|dans la riviere|dans la mer|dans le lac|dans le canal)"
        r"|(?:walk|jump) into the (?:sea|river|lake|ocean)",
        r"(?:river|sea|lake|ocean|water|riviere|seine|mer|lac|canal|fleuve) (?:[a-z]+ ){0,8}?"
        r"(?:walk|jump|go|wade|drive) in(?:to it)?|(?:marcher|entrer|aller) dans l eau",
        r"(?:riviere|seine|mer|lac|canal|fleuve|eau) (?:[a-z]+ ){0,8}?(?:rouler|conduire|foncer"
        r"|marcher|entrer|aller) dedans",
    ),
    "method:vehicle": (
        r"(?:foncer|me crasher|crash|crasher|drive|driving|swerve) (?:[a-z]+ ){0,3}?"
        r"(?:contre|dans|into|off) (?:un|une|le|la|a|the) (?:mur|arbre|wall|tree|pile|cliff"
        r"|platane)",
        r"(?:sous|under|in front of|devant) (?:un|une|le|la|a|the) (?:[a-z]+ )?(?:bus|camion"
        r"|voiture|truck|car|lorry)",
        r"monoxyde|carbon monoxide|car exhaust|pot d echappement",
        r"(?:rouler|conduire|drive|driving|steer) (?:[a-z]+ ){0,2}?(?:dans (?:l eau|le lac"
        r"|la riviere|le canal|la mer)|into the (?:water|lake|river|sea|canal))",
    ),
    "selfharm:current": (
        r"me (?:scarifier|scarifie|scarifiais|mutiler|mutile|mutilais|taillader|taillade"
        r"|griffer jusqu au sang|bruler|brule|brulais|cogner la tete)|scarif[a-z]*"
        r"|automutil[a-z]*|auto mutil[a-z]*",
        r"me faire (?:du )?mal|me suis fait du mal|me fais(?:ais)? du mal"
        r"|me (?:couper|coupe|coupais)"
        r"|me suis coupee?",
        r"(?:cut|cuts|cutting) myself|(?:hurt|hurting|harm|harming|burn|burning|burned|burnt)"
        r" myself|self ?harm[a-z]*",
        r"(?:started|been|stop|stopped|keep|quit|urge to|urges to|relapsed? on)"
        r" (?:cutting|sh|self ?harm[a-z]*)",
        r"relaps[a-z]* (?:[a-z]+ ){0,2}?(?:cut|cutting|sh|self ?harm[a-z]*|burn[a-z]*)"
        r"|(?:i|and|just|i ve|i just) cut (?:again|last night|yesterday|today|tonight|deep|deeper)",
        r"cutting (?:again|right now|tonight|my (?:arms?|wrists?|legs?|thighs?|skin))"
        r"|sh (?:again|urges?)|my sh",
        r"(?<!je )me (?:frapper|frappe|mordre|mords|griffer|griffe|gratter|gratte)(?! la porte)"
        r"|(?:punch|punching|hit|hitting|bite|biting|scratch|scratching) myself"
        r"|jusqu au sang|jusqu a (?:ce que )?(?:[a-z]+ ){0,2}?saigne[a-z]*"
        r"|until (?:i|my [a-z]+) (?:bleed|bleeds|bled|start bleeding)|until it bleeds",
        r"me suis (?:brulee?|coupee?|frappee?|griffee?|mordue?|fait mal)(?: [a-z]+){0,6}?"
        r" (?:expres|volontairement)",
        r"(?:burned|burnt|cut|hit|hurt|bit|scratched|punched) myself(?: [a-z]+){0,6}?"
        r" (?:on purpose|deliberately|intentionally)",
    ),
    "selfharm:past": (
        r"cicatrices?(?! (?:d |de )(?:operation|l operation|acne|varicelle|cesarienne"
        r"|appendicite))|scars",
        r"used to (?:self ?harm|cut(?: myself)?(?! (?:my|the|his|her|their|our|your|a|an|class"
        r"|classes|hair|grass|down|back|off|out|it|them|people|ties|corners)(?![a-z])))",
    ),
    "plan:prepared": (
        r"j ai tout (?:prevu|prepare|organise|planifie|regle)|j ai (?:un|mon) plan"
        r"|j ai (?:deja )?choisi (?:le jour|la date|l endroit|le moyen|comment|quand)"
        r"|j ai (?:donne|distribue) (?:mes|toutes mes) (?:affaires|choses)|mon testament"
        r"|mes dernieres volontes|j ai (?:repere|trouve) (?:un|le|l) (?:endroit|moyen)"
        r"|je sais (?:comment|ou|quand) (?:je vais|le faire)",
        r"i (?:have|ve got|got|made|ve made) a plan|i ve (?:got it all )?planned"
        r" (?:it|everything|it all|it out)|i ve (?:picked|chosen) (?:a|the) (?:date|day|spot"
        r"|place|time)|(?:given|gave) away (?:my|all my) (?:stuff|things|belongings)"
        r"|wrote (?:my|a) will|my affairs in order|i know (?:how|when|where) i m going to",
    ),
    "plan:decided": (
        r"j ai pris ma decision|ma decision est prise|c est decide"
        r"|j ai (?:regarde|cherche|calcule) (?:comment|combien)",
        r"i ve decided|i ve made (?:up )?my (?:mind|decision)|my mind is made up"
        r"|(?:looked up|researched|googled) (?:how|what)",
        r"me suis enfermee?|locked myself in",
    ),
    "plan:location": (
        r"(?:i m|i am|je suis) (?:[a-z]+ ){0,3}?(?:by|at|next to|near|on|in|au bord|pres|a cote"
        r"|sur|au|dans)(?: (?:de|du|des|d|the|la|le|l|les|un|une|a|mon|ma|my)){0,3}"
        r" (?:river|sea|lake|ocean|riviere|seine|mer|lac|canal|fleuve|pont|bridge|rails|tracks"
        r"|voie|quai|platform|parking|balcon|balcony|fenetre|window|toit|roof|falaise|cliff)",
    ),
    "plan:means_ready": (
        # bought / stockpiled / set out: any determiner
        r"(?:j ai|g) (?:[a-z]+ )?(?:achete|recupere|stocke|garde|accumule|mis de cote"
        r"|economise|prepare|sorti|commande|vole|aligne|compte|etale) (?:[a-z]+ ){0,3}?"
        + MEANS_ANY,
        r"(?:j ai|g|i have|i ve got|i got) " + STRONG_QTY + r" (?:[a-z]+ ){0,2}?" + MEDS,
        r"i (?:bought|purchased|ordered|stole|prepared|stockpiled|saved up|collected|hoarded"
        r"|lined up|laid out|set out|counted)"
        r" (?:[a-z]+ ){0,3}?" + MEANS_ANY,
        r"i ve (?:bought|saved up|saved|been saving|been collecting|been stockpiling|stockpiled"
        r"|hoarded|collected|prepared|got|gotten|lined up|laid out|set out|counted)"
        r" (?:[a-z]+ ){0,3}?" + MEANS_ANY,
        # "j'ai les cachets", "I have the pills", "I have my dad's gun"
        r"(?:j ai|g|i have|i ve got|i got|got) (?:les|la|le|l|tous les|toutes les|assez de"
        r"|the|all the|enough|my dad s|my mom s|my father s|my mother s) " + MEANS_ANY,
        # means at hand
        MEANS_ANY + r" (?:[a-z]+ ){0,3}?(?:devant moi|a cote de moi|dans ma main|dans la main"
        r"|sur (?:mon|le|la|ma) (?:bureau|lit|table|table de nuit)|in front of me|next to me"
        r"|in my hand|on (?:my|the) (?:desk|bed|table|lap|nightstand|counter)"
        r"|(?:est|sont) (?:pretes?|attachee?s?|accrochee?s?|installee?s?)|is ready|are ready|ready"
        r"|(?:is|are) (?:tied|set up|hanging)|autour (?:du|de mon) cou|around my neck"
        r"|dans un verre|in a glass|into (?:a|my) drink|dissous|dissolved|ecrases?|crushed"
        r"|(?:sur|contre) (?:mon|ma|mes|la|le) (?:poignets?|bras|gorge|cou|peau|tempe|veines)"
        r"|(?:on|against) my (?:wrists?|arms?|throat|neck|skin|head|temple|veins))",
        r"(?:i m|i am|je suis) (?:[a-z]+ ){0,5}?(?:with|avec) (?:a|the|my|un|une|le|la|mon|ma|des"
        r"|mes) " + MEANS_ANY,
        r"j ai (?:tout )?ce qu il (?:me )?faut|i have everything i need|i have everything",
    ),
    "plan:farewell": (
        r"lettres? d adieu|mots? d adieu|messages? d adieu|adieu|mes adieux"
        r"|(?:ecrit|dit au revoir|ecrire|dire au revoir) a (?:tous )?ceux"
        r" (?:que j aime|qui comptent)"
        r"|(?:wrote|written|texted|said goodbye) to (?:everyone|everybody|all the people|the people"
        r"|those) i love"
        r"|(?:c est|voici|ceci est|voila|ce sera) (?:mon|mes) derniers? messages?"
        r"|(?:ecris|parle|dis|ecrire|parler) une derniere fois|vous ne m entendrez plus"
        r"|c est la derniere fois que je (?:vous )?(?:parle|ecris)"
        r"|je voulais (?:juste )?(?:vous )?dire au revoir|au revoir pour (?:toujours|de bon)"
        r"|dites a (?:[a-z]+ ){1,3}que je (?:l|les) aime|prenez soin de (?:ma|mon|mes)"
        r"|(?:laisse|ecrit) (?:une|des|un|ma|mes) (?:lettres?|mots?) (?:pour|a) (?:ma|mon|mes)"
        r"|(?<!quand )(?<!si )je (?:ne )?serai (?:plus|pas) la(?! pour)"
        r"|(?<!quand )(?<!si )je (?:ne )?serai plus (?:en vie|de ce monde)",
        r"goodbye (?:letter|note|message)s?|suicide notes?|this is (?:my )?goodbye"
        r"|goodbye forever|goodbye everyone|this is my (?:last|final) message"
        r"|my (?:final|last) message (?:to you|ever|before)"
        r"|tell (?:my )?(?:mom|mum|dad|family|parents|sister|brother|friends) (?:that )?i love"
        r"|i (?:just )?wanted to say goodbye|you won t hear from me (?:again|any more)"
        r"|(?:left|wrote|written) (?:a |some |my )?(?:notes?|letters?) (?:for|to) (?:my|her|him"
        r"|them|everyone|everybody|all the people)"
        r"|(?:won t|will not|don t think i ll|not going to) be (?:here|around) (?:tomorrow"
        r"|much longer|for long|any more)|i ll be gone (?:soon|tomorrow|by)"
        r"|notes? (?:for|to) my (?:family|parents|mom|mum|dad|friends)"
        r"|written (?:notes?|letters?) (?:to|for) my",
    ),
    "plan:letter": (
        r"j ai ecrit (?:une|des|ma|mes) (?:lettres?|mots?)"
        r"|i ve written (?:a |the |my |some )?(?:letters?|notes?)|i wrote (?:a |some |my )?"
        r"(?:letters?|notes?)",
    ),
    "timeframe:now": (
        r"maintenant|tout de suite|immediatement|right now|now|immediately|this minute"
        r"|at this moment|it s time|c est le moment|c est l heure|the time has come"
        r"|l heure est venue|about to|sur le point d|sur le point de|je m apprete a"
        r"|derniere fois que je (?:vous )?(?:parle|ecris)|last time i (?:talk|write|speak)",
    ),
    "timeframe:tonight": (
        r"ce soir|cette nuit|tonight|this evening|a minuit|at midnight|cette soiree",
    ),
    "timeframe:today": (r"aujourd hui|today|this afternoon|cet aprem|cet apres midi",),
    "timeframe:soon": (
        r"demain|tomorrow|ce (?:week end|weekend|we)|this weekend",
        r"dans (?:une|1|2|deux|trois|quelques|\d+) (?:heures?|minutes?|min|h)"
        r"|in (?:an|one|a|a few|few|\d+|two|ten|five) (?:hours?|minutes?|mins?)",
        r"before (?:morning|sunrise|dawn|tomorrow)|avant (?:demain|le matin|l aube)",
        r"a \d{1,2} ?h\d{0,2}|\d{1,2}h\d{0,2}|at \d{1,2} ?(?:pm|am|o clock)",
        r"quand (?:tout le monde|mes parents|ils|elle|il|ma mere|mon pere) (?:dort|dorment"
        r"|dormira|dormiront|seront couches|sera couchee?|partira|partiront|sera parti)",
        r"when (?:everyone|my (?:parents|mom|mum|dad|family)|they|he|she)(?: [a-z]+)? (?:go"
        r"|goes|is|are|fall|falls|leave|leaves)(?: to (?:sleep|bed)| asleep"
        r"| out)?",
        r"des que (?:possible|je rentre|mes parents|ils|tout le monde)",
        r"after (?:my|everyone|they|he|she)(?: [a-z]+)? (?:leaves?|goes|go|is asleep|are asleep"
        r"|falls asleep)|le prochain (?:train|metro|rer|tgv|bus)|the next (?:train|bus)",
        r"after (?:this|my) (?:message|chat|conversation|call)"
        r"|apres (?:ce|mon) message|apres (?:cette|notre) (?:conversation|discussion)",
    ),
    "harm:violence": (
        r"(?:il|elle|mon [a-z]+|ma [a-z]+) (?:me|m) (?:touche|a touchee?|touchait)"
        r"|(?<!je )(?:me|m) (?:frappe|frappait|bat|battait|tabasse|viole|violait|etrangle|force a"
        r"|tape dessus|tapait dessus|tapent dessus|cogne|cognait|gifle|giflait)"
        r"|m a (?:frappee?|battue?|violee?|agressee?|etranglee?|tabassee?)",
        r"viol|violee?|agression sexuelle|attouchements?|inceste"
        r"|violences? (?:conjugales?|sexuelles?|familiales?)|menace de me tuer"
        r"|peur qu (?:il|elle) me tue",
        r"(?:hits|beats|beat|kicks|kicked|chokes|choked|strangles|strangled|punches|punched"
        r"|slaps|slapped|abuses|abused|rapes|raped|molests|molested|hurts|touches|touched) me",
        r"(?:was|got|been|being) (?:raped|sexually assaulted|molested|abused|beaten)"
        r"|sexual(?:ly)? (?:assault[a-z]*|abuse[a-z]*)|domestic (?:violence|abuse)"
        r"|threaten[a-z]* to kill me",
    ),
    "suicide:mention": (r"suicide|suicides|3114",),
    "distress:hopelessness": (
        r"j en peux plus|je n en peux plus|j en peu plus|je peux plus|je peu plus"
        r"|je (?:ne )?supporte plus|je (?:ne )?tiens plus|a bout|au bout du rouleau"
        r"|ca (?:ne )?sert a rien|rien ne sert|sert a rien|(?:plus|aucun|pas) d espoir"
        r"|sans espoir|(?:pas|aucun|plus) d avenir|(?:pas|aucune|plus) d (?:issue|autre"
        r" (?:solution|issue|choix))|aucune (?:issue|solution)|rien ne (?:va|changera|s arrange)"
        r"|jamais mieux|tout est foutu|suis foutue?|a quoi bon|la vie n a (?:plus )?(?:aucun )?"
        r"sens|n arrive plus a rien|je (?:ne )?vois pas (?:le bout|d issue|comment m en sortir)"
        r"|je craque|au fond du trou|je coule|l impression de couler|je me noie|plus la force"
        r"|tout (?:lacher|abandonner|plaquer)|baisser les bras|(?:plus |ne )?qu a un fil"
        r"|continuer comme ca|j abandonne|(?:suis|me sens) (?:[a-z]+ )?perdue?"
        r"|(?:deteste|hais) ma vie|(?:plus|pas) (?:gout|envie) (?:a|de) rien|plus gout a rien"
        r"|(?:plus|pas|aucune) (?:de )?motivation",
        r"can t (?:go on|take (?:it|this|much more)|do this|cope|handle (?:it|this|anything)"
        r"|keep going)|(?:no|any) hope|hopeless|no way out|no point|pointless"
        r"|(?:see|find) (?:the|any) point|hate my life|no motivation"
        r"|what s (?:even |really )?the point|(?:will|ll) (?:never|ever) get better"
        r"|never get better|hanging by a thread|done with everything"
        r"|nothing (?:will )?(?:ever )?(?:gets?|be) better|nothing matters|i give up"
        r"|giving up|i m done|at (?:my|the) breaking point|i m drowning|drowning in"
        r"|i m sinking|can t any more|i m lost",
    ),
    "distress:exhaustion": (
        r"epuisee?s?|epuisement|burn ?out|fatiguee? de (?:tout|tout ca|la vie|me battre|lutter"
        r"|faire semblant)",
        r"exhausted|drained|burn(?:ed|t)? ?out|tired of (?:everything|it all|all of this"
        r"|fighting|trying|pretending)|worn out",
    ),
    "distress:worthlessness": (
        r"je me deteste|je me hais|je (?:ne )?vaux rien|je (?:ne )?sers a rien"
        r"|je (?:suis|me sens|me trouve) (?:[a-z]+ )?(?:une? )?(?:nulle?|merde|ratee?|incapable"
        r"|inutile|minable|pathetique"
        r"|degoutante?|fardeau|poids|echec|bonne? a rien|monstre)(?! en [a-z]+)"
        r"|un fardeau|un poids pour|tout est de ma faute|c est (?:toujours )?(?:de )?ma faute"
        r"|je gache tout|je rate tout|je (?:me )?degoute|une deception|la honte de ma famille",
        r"hate (?:[a-z]+ ){0,2}?(?:about )?myself|i m (?:so |such a |a |really |just )?"
        r"(?:worthless|useless|a failure"
        r"|failure|loser|burden|disappointment|pathetic|disgusting|nothing|waste of space"
        r"|mistake)(?! at)|i feel like (?:a |such a )?(?:failure|burden|disappointment|loser"
        r"|nothing)|i ruin everything|(?:it s|everything is|its) (?:all )?my fault"
        r"|i don t deserve|i m not good enough|i disgust myself",
    ),
    "distress:isolation": (
        r"personne (?:ne )?(?:m aime|me comprend|m ecoute|me parle|s interesse a moi|remarque"
        r"|me voit|s inquiete|m aide|se soucie|viendrait|me regretterait|se rendrait compte)"
        r"|je (?:suis|me sens) (?:[a-z]+ )?(?:seule?|isolee?|abandonnee?|invisible|de trop)"
        r"|(?:j ai|j ai plus|je n ai|je n ai plus) personne|(?:pas|plus) d amis|aucun ami"
        r"|tout le monde (?:s en fout|me deteste|me hait|m ignore|me laisse tomber)"
        r"|seule? au monde|(?:etre|suis|sens) de trop"
        r"|(?:vois|parle a|parle) plus (?:a )?personne",
        r"(?:no one|nobody) (?:loves|cares|understands|listens|notices|likes|wants"
        r"|would (?:care|notice|miss)|gives a)|i (?:feel|am|m) (?:so |completely |totally"
        r" |really |very |all )?(?:alone|lonely|isolated|invisible|abandoned)"
        r"|i have no (?:one|friends)|i don t have (?:anyone|any friends)"
        r"|everyone (?:hates|ignores|left) me|no friends|all alone",
    ),
    "distress:panic": (
        r"crises? d (?:angoisse|anxiete|panique)|angoisse|angoissee?|je panique|panique"
        r"|j (?:arrive|n arrive) (?:pas|plus) a respirer|je suffoque|mon coeur (?:bat|s emballe)"
        r"|peur de mourir|l impression que je vais mourir|je vais mourir",
        r"panic (?:attack|attacks)|panicking|can t breathe|anxiety attack|anxious"
        r"|my heart is racing|i (?:feel like|think) i m (?:going to|gonna) die"
        r"|scared i m going to die|hyperventilat[a-z]*|scared all the time|chest (?:hurts|pain)",
        r"peur tout le temps|mal a la poitrine|oppression|etouffe|etouffer|suffoque"
        r"|(?:arrive|peux) (?:pas|plus) a me (?:calmer|detendre)"
        r"|(?:tellement|trop|si) stressee? que|sur les nerfs",
        r"on edge|can t (?:relax|calm down)|so stressed (?:that|i)|suffocating",
    ),
    "distress:emptiness": (
        r"je me sens vide|vide (?:a l interieur|de l interieur|en moi)|(?:sens|ressens) plus rien"
        r"|je (?:ne )?ressens (?:plus )?rien|morte? a l interieur|morte? de l interieur"
        r"|comme morte?|je suis vide|plus d emotions?",
        r"i feel (?:so |completely |totally |just )?(?:empty|numb|hollow|nothing)|numb"
        r"|dead inside|empty inside|hollow inside|i don t feel anything|can t feel anything",
    ),
    "distress:general": (
        r"je vais mal|je (?:ne )?vais pas bien|je (?:ne )?suis pas bien|ca va pas du tout"
        r"|je pleure (?:tout le temps|sans arret|tous les (?:soirs|jours)|toutes les nuits"
        r"|chaque (?:soir|nuit|jour)|h24)|j arrete pas de pleurer|je souffre|trop mal"
        r"|je suis mal|depression|deprimee?|depressive?|je n arrive plus a dormir"
        r"|pleure (?:sans raison|pour rien|sans arret)"
        r"|je (?:ne )?(?:dors|mange) (?:plus|pas)"
        r"|j arrive (?:plus|pas) a (?:dormir|manger|me lever)"
        r"|(?:pas|plus) le moral|moral (?:a zero|au plus bas|dans les chaussettes)"
        r"|me (?:faire|fais) vomir|faire semblant",
        r"i m not (?:ok|okay|fine|alright|all right|doing well)|(?:can t stop|keep) crying"
        r"|(?:feel|feeling|i m|i am) (?:so |really |very |pretty |super )?(?:low(?! on)|miserable"
        r"|like shit|like crap|awful)|feel(?:ing)? (?:so |really |very )?down"
        r"|haven t (?:left|been out of|gotten out of) (?:my |the )?(?:room|house|bed|flat"
        r"|apartment)|je (?:ne )?(?:sors|quitte) plus (?:de )?(?:ma chambre|chez moi|mon lit)"
        r"|cry myself to sleep|crying (?:every|all) (?:day|night|the time)"
        r"|i m (?:really )?(?:struggling|hurting|suffering)|depressed|depression"
        r"|breakdown|falling apart|i m broken|can t sleep|can t (?:eat|get out of bed)"
        r"|haven t (?:eaten|slept)|not (?:eating|sleeping)|make myself (?:throw up|sick|puke)",
    ),
}

# ---------------------------------------------------------------------------------------------
# Contexts and markers (not categories on their own, except the two contexts).

MEDICAL_CONTEXT: tuple[str, ...] = (
    r"migraines?|mal (?:de|a la|au|aux) (?:tete|crane|dos|dents|ventre|gorge|regles|oreilles?)"
    r"|maux de tete|fievre|rhume|grippe|angine|covid|allergies?|ordonnance|prescrite?s?"
    r"|mon medecin|le medecin|docteur|traitement|posologie|par jour|fois par jour"
    r"|chaque (?:matin|soir|jour)|le matin|oublie de (?:les )?prendre|oublie (?:mes|mon)"
    r"|pharmacien|douleurs?|mes regles|tension|diabete|cholesterol"
    r"|pour (?:sa|son|ses) (?!mort|suicide)[a-z]+|sous traitement|(?:je suis )?sous "
    + MEDS
    + r"|pour dormir|veto|veterinaire|cafeine|vitamines?|magnesium",
    r"headaches?|toothache|backache|stomach ache|period (?:pain|cramps)|cramps|fever|a cold"
    r"|the flu|allergy|allergies|prescription|prescribed|my doctor|the doctor|treatment"
    r"|per day|(?:twice|times|\d+ [a-z]+) a day|every (?:morning|evening|night|day)"
    r"|forgot to take|forgot my"
    r"|pharmacist|for (?:my|the) (?:pain|cold|adhd|anxiety|depression)|blood pressure|diabetes"
    r"|cholesterol|for (?:her|his|their) (?!death|suicide)[a-z]+|to (?:help me )?sleep"
    r"|vet|caffeine|vitamins?|supplements?|i m on (?:[a-z]+ )?" + MEDS,
)
EVERYDAY_CONTEXT: tuple[str, ...] = (
    r"escalade|climbing|camping|bateau|voile|sailing|cuisine|cooking|kitchen|recipe|recette"
    r"|gateau|cake|bread|legumes|vegetables|chasse|hunting|stand de tir|shooting range"
    r"|bricolage|diy|demenagement|moving house|shaving|shave|rasage|me raser|beard|barbe"
    r"|hamac|hammock|linge|laundry|tente|tent|swiss army|couteau suisse|suisse",
)
# Self-harm told as past history (lowers current self-harm to elevated)...
PAST_MARKERS: tuple[str, ...] = (
    r"used to|when i was|years ago|in (?:high|middle|secondary) school|as a (?:kid|teen|teenager)"
    r"|i stopped|i quit|clean (?:for|since|from)|\d+ (?:days|months|years) clean",
    r"avant je|quand j etais|il y a (?:\d+|deux|trois|quelques|plusieurs|des) (?:ans|annees|mois)"
    r"|au (?:college|lycee)|j ai arrete|scarifiais|coupais|mutilais|faisais du mal",
)
# An ingestion told as past history is a past attempt, not an act in progress.
ACT_PAST_MARKERS: tuple[str, ...] = (
    r"last (?:month|year|week|summer|winter|time)|(?:years?|months?|weeks?) ago|when i was"
    r"|ended up in (?:the )?(?:hospital|er)|in 20\d\d",
    r"l an dernier|l annee derniere|le mois dernier|la semaine derniere|quand j etais"
    r"|il y a (?:\d+|deux|trois|quelques|plusieurs) (?:ans|mois|semaines)|en 20\d\d"
    r"|(?:fini|finie|retrouvee?) (?:a l hopital|aux urgences)",
)
# ...unless it has started again.
RELAPSE_MARKERS: tuple[str, ...] = (
    r"recommence|rechute|again|relaps[a-z]*|de nouveau|hier|yesterday|last night|tonight"
    r"|ce soir|right now|maintenant|depuis (?:deux|\d+|quelques|trois) (?:jours|semaines)",
)
# "I don't want to die, but..." keeps the risk.
CONTRAST: tuple[str, ...] = (r"mais|but|though|pourtant|sauf que|cependant|parfois|sometimes|yet",)

# ---------------------------------------------------------------------------------------------
# The closed vocabulary of reasons, in the order they are reported.

CATEGORY_ORDER: tuple[str, ...] = (
    "act:ingested",
    "act:at_location",
    "act:injured",
    "intent:suicidal",
    "ideation:suicidal",
    "ideation:passive",
    "ideation:ambivalent",
    "ideation:negated",
    "history:attempt",
    "means:overdose",
    "means:medication",
    "means:dose",
    "means:blade",
    "means:rope",
    "means:firearm",
    "means:poison",
    "method:jump",
    "method:train",
    "method:hanging",
    "method:cutting",
    "method:drowning",
    "method:vehicle",
    "selfharm:current",
    "selfharm:past",
    "plan:prepared",
    "plan:decided",
    "plan:means_ready",
    "plan:location",
    "plan:farewell",
    "plan:letter",
    "timeframe:now",
    "timeframe:tonight",
    "timeframe:today",
    "timeframe:soon",
    "harm:violence",
    "concern:third_party",
    "suicide:exposure",
    "suicide:mention",
    "distress:hopelessness",
    "distress:exhaustion",
    "distress:worthlessness",
    "distress:isolation",
    "distress:panic",
    "distress:emptiness",
    "distress:general",
    "context:medical",
    "context:everyday",
)
