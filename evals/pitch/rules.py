"""Explainable pitch signals: which sentence asks, and who benefits from the ask.

A sentence is scored by three questions, so that "happy to intro you to Maya" (an offer
to the recipient) and "could you intro me to your investors" (an ask for the sender)
come apart even though they share words:
  1. what is being sought (a category pattern: a demo, a discount, a referral, ...);
  2. is the recipient asked to act (ASK) or is the sender's own thing named (OURS)?
  3. is it an offer to the recipient (OFFER) or a mutual get-to-know invite (MUTUAL)?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from evals.pitch.normalize import has_link

try:  # RE2 runs these long alternations ~6x faster than `re`, with the same matches.
    import re2
except ImportError:  # pragma: no cover - a platform without google-re2 wheels
    re2 = None


#: A rule score this high is an explicit ask for the sender's own thing (an ask form plus
#: what is sought plus whose it is): it decides alone, as an ask-cut sentence does, and
#: training picks the threshold and ask cut with it in. The combiner alone once let a P.S.
#: free-trial offer on a warm draft through at 0.11.
RULE_DECIDES = 0.9


class Pattern(Protocol):
    def search(self, text: str) -> object | None: ...


class _AnyOf:
    """Matches where any of its patterns does: lets a lookbehind (which RE2 cannot
    express) live beside an RE2 pattern."""

    def __init__(self, *patterns: Pattern) -> None:
        self._patterns = patterns

    def search(self, text: str) -> object | None:
        for pattern in self._patterns:
            match = pattern.search(text)
            if match:
                return match
        return None


def _r(*alternatives: str) -> Pattern:
    """Case-insensitive alternatives; RE2 where it can express them, else `re`."""
    fast = [a for a in alternatives if "(?<" not in a and "(?=" not in a and "(?!" not in a]
    slow = [a for a in alternatives if a not in fast]
    compiled: list[Pattern] = []
    if fast:
        joined = "|".join(fast)
        compiled.append(re2.compile("(?i)" + joined) if re2 else re.compile(joined, re.I))
    compiled += [re.compile(a, re.IGNORECASE) for a in slow]
    return compiled[0] if len(compiled) == 1 else _AnyOf(*compiled)


_MY = r"(?:our|my|the team's)"
_THING = (
    r"(?:new\s+|little\s+|free\s+|own\s+)?(?:app|apps|product|tool|tooling|platform|startup|company|service|services|software|saas|"
    r"plugin|extension|beta|prototype|mvp|course|book|ebook|newsletter|podcast|channel|agency|"
    r"solution|api|sdk|launch|campaign|shop|store|studio|brand|deck|pitch deck|landing page|"
    r"report|programme|program|workshop|masterclass|cohort|event|conference|summit|festival|"
    r"dinner series|fund|round|charity|foundation|bot|dashboard|plan|package|offer|consultancy|firm|"
    r"day rate|rates?|fees?|proposal|engagement|services|pricing|"
    # A small business or a creative work is as much the sender's thing as an app.
    r"business|side business|roastery|bakery|practice|salon|gym|clinic|restaurant|cafe|brewery|"
    r"e-?book|novel|memoir|album|retreat|classes|membership|giveaway|catalog|catalogue|listing)"
)
#: What a creator asks people to watch, follow or like.
_CONTENT = (
    r"(?:channel|videos?|vids?|music|songs?|tracks?|album|single|mixtape|covers?|vlogs?|stuff|remix(?:es)?|raps?|beats?|"
    r"page|profile|posts?|stream|streams|playlist|podcast|blog|art|photos|account|insta|instagram|"
    r"tiktok|twitch|youtube|soundcloud|site|website|shop|store|app|game)"
)
#: The sender's own thing is named ("our app", "we built", "link in my bio", a price).
OURS = _r(
    rf"\b{_MY}\s+(?:[\w-]+\s+){{0,2}}{_THING}\b|\bwe(?:'ve| have)?\s+(?:just\s+)?(?:built|made|launched|"
    r"created|shipped|developed)\b|\bwe(?:'re| are)\s+(?:building|launching|raising|hiring|opening|"
    r"running)\b|\bwhat we(?:'re| are) building\b|\bi\s+(?:built|made|make|sell|run|coach|"
    r"help\s+\w+\s+(?:raise|grow|get|save|hire))\b|\blink in my bio\b|[$£€]\s?\d|\b\d+\s?(?:%|percent)\b"
    # The sender's own business card or channel: what follows is theirs.
    r"|\bmy (?:business )?card\b|\bmy (?:youtube |)channel\b"
)
#: The recipient is asked to do something.
ASK = _r(
    r"\b(?:would|could|can|will|do) you\b|\bwould you (?:mind|be)|\bmind if i\b|\b(?:can|could|may) i\b|"
    r"\bplease\b|\bif you could\b|\bi'?d (?:love|like) (?:it )?(?:if )?(?:for )?you(?:r)? to\b|"
    r"\bi(?:'d| would) (?:be grateful|appreciate)\b|\bit would (?:mean|help)|\bwould (?:mean|help) (?:a lot|a ton|the world|enormously|us)\b|"
    r"\bany chance\b|\bwould (?:really |truly )?help\b|\blet me know if you(?:'re| are)? (?:interested|keen|up for|want)|"
    r"\b(?:interested|keen)\?|\bwant (?:one|a spot|a slot|in)\b|\bshall i\b|\bcare to\b|\bcheck (?:it|us|this|them) out\b|"
    r"\b(?:take|have) a (?:quick )?look\b|\bsign up\b|\bgrab (?:a|your|one)\b|\bbook (?:a|your|here)\b|"
    r"\bregister\b|\bhere'?s the (?:link|booking|sign-?up)|\bif you(?:'ve| have)? (?:got )?(?:a|two|five|ten) (?:minute|min)|"
    r"\bwould love (?:your|a|an|to get your)\b|\bhope to see you\b|\bif you(?:'d)? like (?:a|one)\b|"
    r"\bfeel free to\b|\bwhy not\b|\bjust reply\b|\bhit reply\b|\bi wondered (?:if|whether)\b|\bare you open\b"
    # Chat register and the "it would change everything" request.
    r"|\bpl[sz]\b|\b(?:you|u) should (?:totally |really |definitely )?(?:try|check|join|grab|come|get)\b"
    r"|\bwould (?:genuinely |really |truly )?change (?:things|everything|our year|my year|our month)\b"
    r"|\bif you book\b|\bif you have (?:the )?budget\b"
    # "any donation helps", "would be huge", "link below", "a great time to give".
    r"|\b(?:anything|any (?:\w+ )?(?:donation|amount|gift|contribution|bit)|every (?:little )?bit) (?:helps|counts)\b"
    r"|\bwould be (?:huge|massive|a (?:huge|big|massive) help)\b|\b(?:link|details|form) (?:is |are )?below\b"
    r"|\b(?:great|good|perfect) time to (?:give|buy|donate|join|sign up|book|invest|grab)\b"
    # Sales language offers the sender's thing as a favour: "happy to set you up with a trial".
    r"|\b(?:happy|glad|love|like) to (?:set you up|get you (?:set up|started|access|onboarded)|give you (?:a|an|free|access|early))\b"
    r"|\bi(?:'d| would) love to (?:give|show|offer|send) you (?:a|an|our|my|free|access)\b"
    # "I need you to make a donation", "I encourage you to consider it".
    r"|\bi (?:need|encourage|urge|implore|beg) you(?: all)? to\b"
    r"|\b(?:you|u) (?:can|could) (?:[\w']+ ){0,5}by (?:donating|giving|contributing|buying|signing up|joining)\b"
    r"|\b(?:interested|willing|ready) (?:to|in) (?:donate|donating|give|giving|contribute|contributing)\b"
    r"|\b(?:whatever|how much) (?:you )?(?:want|wish|would like|can afford|are (?:willing|able)) to (?:donate|give|contribute)\b"
    r"|\bi (?:wish|hope)(?: that)? (?:[\w']+ ){0,4}you (?:would |will |could |can |'ll )?(?:also |too )?(?:donate|give|contribute)\b"
    # Said outright ("i am asking you to also donate", "I am only asking for a small
    # donation"); the subject must come right before, so "I'm not asking you for
    # anything" stays clear.
    r"|\b(?:i'?m|i am|we'?re|we are)\s+(?:(?:only|just|simply|also)\s+)?asking\s+(?:you(?: all)? (?:to|for)\b|for (?:a|an|your|some|any)\b)"
    # The choice put to the reader: "you can choose to donate", "are you gonna donate any?",
    # "you'd like to donate?!", "I'd recommend a donation".
    r"|\b(?:you|u) (?:can|could) (?:(?:also|even|always|simply|just) )?(?:choose to )?(?:donate|give|pledge)\b"
    r"|\b(?:are |r )?(?:you|u) (?:gonna|going to|planning to) (?:donate|give|pledge|contribute)\b"
    # "we were hoping for you to donate", "I would like to ask you to donate".
    r"|\b(?:hoping|hope) (?:for |that )?(?:you|u)(?:'ll| will| would| can| could)? (?:to )?(?:donate|give|pledge|contribute)\b"
    r"|\b(?:like|want|have|need) to ask (?:you|u) (?:to|for)\b"
    r"|\b(?:you|u)'?d like to (?:donate|give|pledge|contribute)\b|\bi'?d recommend (?:making )?(?:a )?(?:donation|donating)\b"
)
#: An offer whose benefit goes to the recipient.
OFFER = _r(
    r"\b(?:happy|glad|delighted|around) to (?:intro|introduce|connect|send|share|help|read|review|look|"
    r"show you around|put you|make|lend|give you a hand|pass)|\bwant me to (?:intro|introduce|connect|send|share|"
    r"put)|\bi(?:'ll| will| can| could)\s+(?:happily\s+)?(?:intro|introduce|connect|send|share|put you|lend|"
    r"help)|\bhere(?:'s| is| are) (?:the|a|my|our|some)\b.{0,40}\b(?:i|you|we) (?:mentioned|promised|"
    r"talked|asked|discussed)|\bas promised\b|\bif (?:it'?s|it is|that'?s|that would be|it'?d be) "
    r"(?:useful|helpful)|\bsay the word\b|\bjust ask\b|\bi'?m around\b|\bif you (?:ever )?need (?:a|any)"
    r"|\bi'?ve (?:copied|cc'?d|looped in)|\bno strings\b|\bfree to copy\b|\bhope it helps\b"
    # Something handed over that the recipient asked for or can have: the benefit is theirs.
    r"|\b(?:it'?s|they'?re) yours\b|\byours if you want\b|\bwant (?:it|them|one|the \w+)\?"
    r"|\bwould (?:an|the) intro(?:duction)? (?:be )?(?:help|use)|\bwould that help\b|\bif (?:it|that) helps\b"
    r"|\bwant me to (?:ask|check|forward|pass)|\bsince you asked\b|\byou asked (?:where|about|for|me|if|whether)"
    r"|\byou mentioned (?:you|your|that you)|\bi (?:don'?t|won'?t) (?:get|earn) (?:a |any )?(?:referral|commission|fee|anything)"
    r"|\bnot a pitch\b|\bthank(?:s| you) (?:so much )?for (?:your|the) (?:\w+ )?(?:order|donation|gift|purchase|support)"
    r"|\bif you want one\b"
    r"|\byour (?:refund|order|tracking|receipt)\b|\bi can'?t use\b|\bthat i (?:can'?t|don'?t) (?:use|need)"
)
#: A mutual get-to-know invitation (the best case / worst case intro is one).
MUTUAL = _r(
    r"\b(?:coffee|call|chat|walk|lunch|dinner|beer|drinks?|meet(?:up)?|video|zoom|tea|hike)\b.{0,80}"
    r"\b(?:get(?:ting)? to know|no agenda|just to|hear (?:about|how|more)|swap (?:notes|ideas|stories)|"
    r"perspective|learn (?:from|how)|whenever suits|my treat|on me)\b|\bbest[\s-]case\b.{0,120}\bworst[\s-]case\b|"
    r"\bworst[\s-]case\b.{0,120}\bbest[\s-]case\b|\b(?:love|like) to meet\b|\bno agenda\b"
    # Free, shared things: a reading group, a hike, an open mic.
    r"|\b(?:would|do) you (?:want|like) to (?:join|come|continue)|\bwould love to have you\b"
    r"|\b(?:it'?s )?free,? (?:no|and no) (?:sign-?up|fee|ticket)|\bno fees?\b|\bjust for fun\b|\bjust friends\b"
    r"|\bnobody selling\b|\bno sponsors\b"
)


#: A clause that opens with a bare request verb tells the reader to act ("Leave us a
#: review", "so hit subscribe", "download it and join in"): an ask without a question.
#: Only counts where a rule also names what is sought, so "Take care!" stays harmless.
IMPERATIVE = _r(
    r"(?:^|[,;:!]\s+(?:so\s+|just\s+)?|\b(?:so|please|pls|plz)\s+)"
    r"(?:buy|order|grab|download|install|join|enrol|enroll|register|subscribe|sign up|reserve|book|"
    r"leave|try|visit|call|text|click|tap|follow|vote|donate|pledge|invest|contribute|chip in|"
    r"become|create|hit|upgrade|apply|claim|shop|watch|listen|share|rate|review|enter)\b(?![-/.]\w)"
)


#: Told to go to a link to sign up, buy or join ("Please visit oldchat.tk", "Go register
#: tsu.co/x", "NOW CLICK : bit.ly/..."): the link is where the sender wants the reader to
#: act. Reading and fixing verbs ("see the slides at", "follow the link to the recording",
#: "download the latest version", "apply here for the grant") are left out: such a link is
#: often a resource offered to the recipient.
ACT_ON_LINK = _r(
    r"(?:^|[,;:!]\s+|\b(?:so|please|pls|plz|go|now|just|and)\s+)"
    r"(?:visit|click|tap|register|join|subscribe|sign up|order|buy|shop|claim|enrol|enroll)\b(?![-/.]\w)"
    # "Go to this site and you'll ...": where to go, not what to read there.
    r"|\bgo to (?:this|my|our|the following) (?:web ?site|site|link|page)\b"
)


#: A referral or affiliate address, named by its query key ("?ref=5242575", "&aff_id=x9k2"):
#: whoever sent it is paid for the click, so the link asks for the sender even with no
#: word around it. The code must hold a digit: "?ref=homepage" only tells a site where its
#: visitors come from.
REFERRAL_LINK = _r(
    r"[?&;](?:ref|aff|aff_?id|affiliate|affiliate_?id|referral|refer|ref_?id|ref_?code|referrer|invite_?code)"
    r"=(?=[\w-]*\d)[\w-]{4,}"
)

#: Free goods from a stranger at a link ("FREE ITunes Gift card http://...", "free CS GO!!!
#: woobox.com/..."): the bait of a scam or a follower farm, never a gift a friend sends.
FREE_BAIT = _r(
    r"\bfree\W+(?:\w+\W+){0,2}?(?:gift ?cards?|robux|v-?bucks|gems|coins|followers|"
    r"subscribers|cs ?go|skins|itunes|psn codes?|xbox codes?)\b"
)


#: A question about what the reader has done or usually does ("Have you ever donated to
#: a charity?", "Do you usually go to the Thursday meetup?", "How do you feel about
#: donating to children's charities?") asks for an answer, not for the thing it names: the
#: question mark alone does not make it a request.
ABOUT_THEIR_HABITS = re.compile(
    r"^(?:\w+[,!.]\s+)*(?:and |so |but )?(?:have you (?:ever|already)(?! (?:considered|thought|wondered|wanted|looked))|did you(?! (?:want|get a chance))|"
    r"do you (?:usually|often|ever|normally|typically|regularly|currently|tend to)|are you one to|"
    r"were you (?:ever|always)|"
    # An opinion question asks for a view, not for the thing it names.
    r"what (?:are|were) your (?:thoughts|feelings|views) (?:on|about)|how do you feel about|"
    r"what (?:kinds?|sorts?|types?) of \w+ do you)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    category: str
    pattern: Pattern
    reason: str
    #: Strong rules seek something that only ever benefits the sender (a price, a
    #: donation, a referral for the sender), so they need no ASK to count.
    strong: bool = False
    #: The pattern is itself the ask ("click below to claim", "here's my card"): an
    #: imperative or a sales offer needs no question mark to be a request.
    is_ask: bool = False


_PRICE = (
    r"(?:[$£€]\s?\d|\b\d[\d,.]*\s?(?:k\b|usd|eur|gbp|sek|kes|chf|pp\b|/month|a month|per month))"
)

_ADVANCE_FEE = (
    "asks the reader's help to move money out (next of kin, a foreign partner): an advance-fee scam"
)

#: How commenters spell "subscribe" (each of these is in the YouTube Spam Collection).
_SUBSCRIBE = r"(?:subscribe|subscribes|subcribe|suscribe|subscibe|subsribe|susbcribe|subscrib|subscrive|sucscribe|subscrbe)"

RULES: tuple[Rule, ...] = (
    Rule(
        "buy_discount",
        _r(
            r"\b\d+\s?(?:%|percent) off\b|\bdiscount|\bpromo(?:tion)? code|\bcoupon|\bwith (?:the )?code\b|"
            r"(?-i:\b[Cc]ode [A-Z0-9]{4,}\b)|\b(?:bulk |a )?quote for\b|\bpre-?order|\bfor sale\b|\bi'?m selling\b|"
            r"\bselling my\b|\bbest offer\b|\b(?:spring|summer|winter|launch|flash) sale\b|\bupgrade to\b|"
            r"\bsubscribe to (?:our|my)\b|\bpaid plan\b|\bfirst order\b|\bdistributor pricing\b|\bat cost\b|"
            r"\bfree (?:month|shipping|sample)s?\b|\bbuy (?:one|a|our|my|from)\b|\bgo-to (?:print shop|supplier|vendor)|"
            r"\bon sale\b|\b(?:normally|instead of|below list|half price|list price)\b|\bwant (?:two|one)\b|"
            r"\bour first (?:office |)accounts?\b|\blicen[cs]e (?:it|our|my)\b|\b(?:membership|subscription) (?:is|for)\b|"
            rf"\b(?:propose|offer|quote)\b.{{0,60}}{_PRICE}|{_PRICE}.{{0,40}}\b(?:if you|for you|want|for your)\b"
        ),
        "offers a price or discount: the real purpose is a sale",
        strong=True,
    ),
    Rule(
        "fundraising_donation",
        _r(
            r"\bdonat(?:e|ion|ing)|\bfundrais\w*|\bsponsor (?:us|me|our|my)\b|\bpledge\b|\bchip in\b|\bgofundme|"
            r"\bindiegogo|\bpatreon|\binvest(?:ing|ment)? in (?:our|my|us)\b|\binvite you to invest\b|"
            r"\b(?:our|my|the) (?:[\w-]+ ){0,2}(?:round|close)\b|"
            r"\bminimum (?:ticket|check|cheque)|"
            r"\b(?:a|any) gift of\b|\bany amount\b|\bback (?:us|our|my)\b|\bcircle of (?:founding )?(?:donors|supporters|friends)|"
            r"\b(?:lead|naming)[- ]gift|\bconsider (?:sponsoring|supporting|becoming a (?:member|donor|patron|backer))|"
            r"\b(?:first|early) backers\b|\bfamily of donors\b|\bfelt like giving\b|\bif you'?d contribute\b|"
            r"\bwould you (?:like to |)contribute\b|\b(?:short|shy) of (?:our|the) (?:match |)(?:target|goal)|\bwefunder|\bcrowdfund|"
            r"\bfriends[- ]and[- ]family round\b|\bseries [a-c]\b.{0,40}\b(?:intro|introduction|invest)|\binvesting starts\b"
            r"|\bgofund\.me|\banything helps\b|\bevery (?:[$£€]\s?\d+|dollar|pound|euro) helps\b"
            r"|\bgive (?:some|a little|a bit of|any|your) (?:money|cash|funds)\b|\bmonetary (?:support|contribution|gift)\b"
            r"|\bkck\.st\b|\bback \w+ here\b"
            r"|\b(?:investor|angel) (?:memo|deck|update|group|round)\b|\bbacking (?:us|me)\b"
            r"|\b(?:silent|equity|business) partner in (?:my|our)\b|\bbuy into (?:my|our)\b|\bdata room\b"
            r"|\bangel checks?\b|\bbuy me a coffee\b|\bko-?fi\b"
            # Chat spellings and the small sum asked for: "donat $1", "spare 50 cents".
            r"|\bdonat\b|\bspare (?:\w+ )?(?:\d+|a few|some|fifty|twenty|ten|a couple of) (?:cents|pennies|bucks|dollars)\b"
            # The small sum the asker says is enough: "every little bit helps".
            r"|\b(?:every|any) (?:little )?bit (?:helps|counts)\b|\bevery (?:penny|cent) (?:helps|counts)\b",
            # "we're not raising" is context, not an ask.
            r"(?<!not )\braising (?:a |our |my |money|funds|\$|£|€)",
        ),
        "asks for money: a donation, sponsorship or investment in the sender's venture",
        strong=True,
    ),
    Rule(
        "referral_hiring",
        _r(
            r"\brefer(?:ral)? (?:me|for me)\b|\b(?:internal |a )?referral\b|\bpass (?:along |on )?my (?:name|cv|resume)|"
            r"\b(?:forward|send) my (?:cv|resume|portfolio)|\bmention(?:ing)? my name\b|\bput in a (?:good )?word\b|"
            r"\bi'?m applying\b|\bapplying (?:for|to)\b|\bhire (?:me|us)\b|\bconsider (?:me|us) for\b|"
            r"\brecommendation (?:for me|on linkedin)|\bwrite me a\b.{0,30}\brecommendation|\bvouch for me\b|"
            r"\bmy (?:cv|resume)\b|\bbring (?:me|us) in (?:as|to)\b|\bour (?:agency|studio|firm|team) (?:could|can) (?:help|take)|"
            r"\bput (?:me|myself) forward\b|\bthrow my hat\b|\bmy (?:reel|portfolio)\b|\bon your roster\b|"
            r"\b(?:put|send|pass) my name\b|\bmy next\b.{0,30}\brole\b|\bhear of any (?:openings|roles)|\brecommend me\b|"
            r"\bconsider hiring me\b|\bhiring me\b|\b(?:i'?d|would) love to take (?:that|it|this) (?:\w+ ){0,2}on\b|\b(?:be )?considered for (?:a|the) (?:[\w-]+ )?(?:position|role|job|post)\b|\bi'?d love to take (?:that|it|this) (?:\w+ ){0,2}on\b|"
            r"\bbetween contracts\b|\b(?:added|add me) to your (?:[\w-]+ ){0,2}(?:list|roster|panel|bench)\b|\bneed a (?:contractor|freelancer)\b.{0,80}\bi'?m (?:free|available)"
        ),
        "asks to be referred or hired: the benefit is the sender's",
        strong=True,
    ),
    Rule(
        "event_tickets",
        _r(
            r"\btickets?\b.{0,40}(?:[$£€]\s?\d|\bon sale|\bleft|\bearly[- ]bird|\bbook|\bbuy|\bgrab)|"
            r"(?:[$£€]\s?\d[\d,.]*k?\b.{0,30}\b(?:a|per) (?:seat|ticket|head|pass))|\bearly[- ]bird\b|"
            r"\b(?:vip|attendee|conference|festival|weekend) pass(?:es)?\b|\bseats? (?:are|is|left|at)\b|"
            r"[$£€]\s?\d+ (?:entry|admission|a head)|\bentry fee\b|\bif you book by\b|"
            r"\bregister here\b|\brsvp here\b|\bpurchase a table\b|\bsaved a seat for you\b|"
            r"\bregistration (?:fee|closes|is open)|\bbooking page\b|\breserve (?:one|a seat|a spot|a pass)"
        ),
        "sells tickets or paid places at the sender's event",
        strong=True,
    ),
    Rule(
        "paid_advice",
        _r(
            r"\bmy (?:\w+[- ])?(?:coaching|programme|program|course|masterclass|cohort|consulting|consultancy|"
            r"retainer|package|services)\b|\b(?:[$£€]\s?\d[\d,.]*k?|\d+k?) (?:an|per|a) (?:hour|day|session)\b|"
            r"\bhourly rate|\bday rate|\bretainer\b|\bpropose a package\b|\bstrategy session\b|\bpaid (?:session|call|"
            r"consultation|engagement)|\bi coach\b|\bspot in (?:my|the) (?:cohort|programme|program)"
            r"|\b(?:flat|fixed)[- ]fee\b|\bstandard rate\b|\b\d+[- ]session package\b|\bsession package\b"
            r"|\bdiscovery call\b|\bsend you a proposal\b|\bmy (?:developmental |)edit is\b"
            r"|\bproposal for (?:a|an|the) \d+[- ](?:week|month|day)\b|\bconsulting clients\b"
            r"|[$£€]\s?\d+\s?/\s?(?:hr|hour|h|session)\b|\bpaid (?:strategy |coaching )?calls?\b"
            r"|\bmy \d+[- ](?:week|month|session) (?:plan|program|programme|package|course)\b"
        ),
        "sells the sender's paid advice, coaching or course",
        strong=True,
    ),
    Rule(
        "review_testimonial",
        _r(
            r"\btestimonial|\bendorse(?:ment)?\b|\bblurb\b|\b(?:short |quick |honest )?review (?:of |on |for )?(?:us|our|my|it|"
            r"the app|capterra|g2|trustpilot|google|amazon|the app store|yelp)|\b(?:on|in) the app store\b|"
            r"\b(?:capterra|trustpilot|g2)\b|\bcase study\b|\bcustomer story\b|\bfeature you as\b|"
            r"\bquote from you\b|\b(?:one-line |short )?quote\b.{0,30}\b(?:our|my) (?:site|website|page|"
            r"landing page|tool|launch)|\brate us\b|\bleave (?:us )?(?:a )?(?:review|rating|stars?)|"
            r"\bleave (?:a few words|a comment|a note|a rating|feedback) (?:on|about)\b|\breviews from\b"
            r"|\bleave (?:\w+ ){0,3}(?:reviews?|ratings?|stars?)\b|⭐|\b(?:five|5)[- ]stars?\b"
            r"|\b(?:few|couple of) (?:words|sentences|lines) about (?:your|the) (?:experience|work|stay|project)"
            r"|\b(?:linkedin )?recommendation from you\b|\bfor (?:my|our) (?:website|site|homepage|landing page)\b"
            r"|\bpick(?:ing)? up a copy\b|\b(?:an? )?(?:honest )?(?:amazon |goodreads )?(?:review|rating|upvote)s? "
            r"(?:would|could) (?:mean|help|make)\b"
        ),
        "asks for a review, endorsement or testimonial of the sender's product",
        strong=True,
    ),
    Rule(
        "intro_buyers_investors",
        _r(
            r"(?:\b(?:introduce|intro|connect|put) me\b|\bpoint me (?:to|at|toward)|\bintroductions? to\b|"
            r"\bforward (?:our|my|the) (?:deck|proposal|one-pager|pitch)|\bwho (?:buys|handles|owns|runs|decides|"
            r"is responsible for|makes)|\bknow any\b|\bloop me in\b|\bin touch with\b)"
            r".{0,80}\b(?:investors?|vcs?|angels?|partners at|fund|lps?|buyers?|purchas\w+|procurement|"
            r"decision[- ]?makers?|cfo|ceo|cto|coo|head of|vp|director|programme officers?|"
            r"contract|budget|tooling|vendor|customers?|clients?|partnerships?|business development|"
            r"your (?:boss|manager|team lead))|\bintro me to\b|\bmaking an intro to someone\b|"
            r"\bintroduce us to\b|\bpitch (?:our|my)\b|\ban intro or two\b|\bintroduction to your\b|"
            r"\bcontact details of\b|\bshow them (?:our|my)\b|\bcorp dev\b|\bsupplier framework\b"
        ),
        "asks for an introduction to buyers, investors or decision makers for the sender",
        strong=True,
    ),
    Rule(
        "hand_over_contacts",
        _r(
            r"\b(?:send|share|export|forward) (?:me )?(?:your|the) (?:contact|email|customer|attendee|member|"
            r"mailing) list|\byour (?:contacts|email list|mailing list) with (?:me|us)"
        ),
        "asks the recipient to hand over contacts",
        strong=True,
    ),
    Rule(
        "share_promote",
        _r(
            r"\bshare (?:it|this|our|my|the (?:post|link|launch|role|thread|report))\b.{0,40}\b(?:network|audience|"
            r"followers|team|list|community|newsletter|linkedin|twitter)|\bretweet|\brepost|\bre-?share|"
            r"\bupvote|\bspread the word|\bsignal[- ]boost|\bshout-?out|\bproduct ?hunt|\bamplify|\ba plug\b|"
            r"\bmention (?:us|it|me|our|my)\b|\bfeature (?:us|it|our|my)\b|\bpost(?:ing)? (?:about )?(?:it|us|our|my) "
            r"(?:on|to|in)|\bgive it a star\b|\bstar (?:it|the repo|our)|\bhave me on\b|\bas a guest\b|"
            r"\blist(?:ing)? (?:it|us|our|my) (?:in|on)|\bforward(?:ing)? (?:our|my|it|this)\b.{0,40}\b(?:network|"
            r"list|team|contacts|community|followers)|\bsign(?:ing)? our (?:open )?(?:letter|petition)|"
            r"\bwith your (?:network|followers|audience|readers|subscribers|list)\b|"
            r"\binclude (?:our|my) .{0,40}\bin (?:the|your)\b|\brecommend(?:ing)? (?:us|it|our|my)\b|"
            r"\bpin (?:our|my|it)\b|\bguest post\b|\bbacklink\b|\badd our\b.{0,30}\b(?:page|list|newsletter)|"
            r"\bin your (?:stories|newsletter|server|feed|channel|video)\b|\bshare (?:my|our) (?:\w+ )?(?:post|trailer|video|report)|"
            r"\ba share from you\b|\bcome on (?:and|to|your)\b|\bpush the episode\b|\bforward this to\b|\bstars? \+|\ba star\b"
            r"|\bshared? (?:the )?(?:replay|recording|video|post) with your (?:colleagues|team|network|followers)"
            r"|\bforward this (?:email|newsletter|note|issue)\b|\bsubscribe link\b"
            r"|\bpromote (?:our|my)\b|\bshar(?:e|ing) (?:our|my) (?:[\w-]+ ){0,2}(?:post|page|video|giveaway)\b"
        ),
        "asks the recipient to share or promote the sender's thing",
    ),
    Rule(
        "call_to_action",
        _r(
            r"\b(?:text|txt|texting|txting|send|reply|sms)\s+(?:\S+\s+){0,4}(?:to|on)\s+(?:no\.?:?\s*)?\+?\d{4,}",
            # A UK premium-rate number (09xx, eleven digits): a paid line, never a friend's
            # or a shop's help desk, so it asks the reader to call even with no verb before
            # it. Whole numbers only: a part list ("096400-0920 096400-0143") is no line.
            r"(?<![\d-])09\d{2}(?:\d{7}|\s\d{3}\s\d{4}|\s\d{7}|\d{3}\s\d{4}|\d\s\d{6})(?![\d-])",
            r"\bcall\s+(?:us\s+|now\s+|today\s+|free\s+)?(?:on\s+)?\+?0\d{3,}",
            # A UK premium-rate or freephone number anywhere after the verb ("Call MobileUpd8
            # on 08000839402"): a business line, never a friend's.
            r"\b(?:call|ring|phone)\b.{0,40}?\b0[89]\d{2}\s?\d",
            # A keyword to text back ("reply GO to this message", "TEXT YES for callback"); an
            # all-capitals text is shouting, not a keyword, and STOP or NO is an opt-out.
            r"(?=(?-i:.*[a-z]))\b(?:reply|rply|text|txt|send|sms)\s+(?:back\s+)?(?:with\s+)?"
            r"(?:the (?:keyword|word)\s+)?(?-i:(?!(?:STOP|END|OK|NO|FREE|ME|PIN|SMS|IT|US|UK)\b)[A-Z][A-Z0-9]{1,})"
            r"(?:\s+(?:to|for|now|and|by|2|4|on|or)\b|[.!,]|$)",
            r"\b(?:click|tap) (?:below|here|(?:the|this|that|my|our) (?:link|button)s?|now|to (?:claim|order|buy|get|subscribe|register|download))\b",
            r"\border (?:today|now|yours|online)\b",
            r"\b(?:claim|redeem|collect) (?:your|a|the) (?:\w+ )?(?:prize|reward|discount|voucher|bonus|gift|offer|code|cash|award)\b",
            r"\b(?:to|2) (?:claim|redeem)\b",
            r"\bsub to (?:my|our|me)\b|\bcheck out (?:my|our)\b|\bfollow (?:me|us) (?:on|at|for)\b",
            r"\bvisit (?:my|our) (?:site|website|shop|store|page|channel)\b",
            # Engagement for the sender's own content, which PRODUCT.md names (subscribe,
            # share, promote): "check my channel out", "watch my videos", "like my post".
            rf"(?<!\bi )(?<!\bto )\b(?:check|watch|listen to|follow|vote for|go to)\s+(?:out\s+)?(?:some of |a few of |all of )?{_MY}\s+(?:[\w-]+\s+){{0,2}}{_CONTENT}\b",
            # The writer as the content: "help me out by checking me out?".
            r"\bcheck(?:ing)? me out\b",
            r"\blike this (?:comment|video|post|song)\b",
            # Engagement asked in a pair: "Like&share this page", "like and subscribe".
            r"\b(?:like|share|comment)\s*(?:&|and|\+|n)\s*(?:share|subscribe|sub|like|comment)\b"
            r"(?:\s+(?:this|my|our|the|us|me|it)\b|\s*(?:please|pls|plz|[!.]|$))",
            r"\bsub(?:scribe)?\s?(?:4|for)\s?sub\b|\bsubscribe (?:back|and (?:like|share|comment)|for more)\b",
            r"\b(?:please|pls|plz)\W+(?:\w+\W+){0,2}(?:subscribe|sub|like|share|follow)\b(?!\s+(?:you|your|up|along|through|suit))",
            r"\b(?:and|&) subscribe\b",
            r"\bfill (?:in|out) (?:the|our|this) (?:short |quick )?form\b",
            r"\bshop (?:now|today|the sale)\b|\bbuy now\b|\bact now\b|\blimited time offer\b",
            r"\bhit (?:subscribe|follow|the (?:subscribe|like|follow|bell)\b)|\ba (?:sub|subscribe|follow|like|share|upvote)\b.{0,20}\b(?:would|means|helps)\b",
            r"\b(?:grab|book|reserve|claim) (?:a|your) (?:slot|spot|place)\b",
            # "subscribe to my channel", in commenters' spellings too: "subscibe to me",
            # "subscribe 2 my channel", "sub my vids".
            rf"\b{_SUBSCRIBE}\s+(?:2\s+|to\s+|too\s+)?(?:my|me|our)\b",
            rf"\bsub\s+(?:2\s+|to\s+)?(?:me\b|my\s+(?:[\w-]+\s+){{0,2}}{_CONTENT}\b)",
            # "Subscribe" told as a clause of its own ("Great song!! subscribe", "pls
            # subscribe guys"); not a lone "Subscribe" line or a "Home | Subscribe" menu (a
            # page's furniture), nor "subscribe: mail x" or "subscribe to <someone else>".
            rf"^(?![\W_]*{_SUBSCRIBE}[\W_]*$)(?!.*\|).*?(?:^|[,;!.?)]\s*|\b(?:and|so|now|pls|plz|please|guys|just|also|then)\s+)"
            rf"{_SUBSCRIBE}\b(?!\s*[:|])(?!\s+to\s+(?!(?:my|me|our|us)\b))",
            r"\bbecome (?:my|our) (?:very )?(?:first |next |\d+(?:st|nd|rd|th) )?(?:subscriber|customer|client|follower|fan|patron|backer)s?\b",
            r"\b(?:take a )?look at (?:my|our) (?:new |youtube |music )?(?:channel|videos?|vids)\b",
            # A like/subscribe pair written with a comma or a space: "like, subscribe".
            rf"\blike\s*,\s*(?:comment\s*,\s*(?:and\s+)?)?(?:{_SUBSCRIBE}|sub|share)\b|\blike\s+{_SUBSCRIBE}\b",
            # A creator's count to grow: "help me reach 100 subscribers", "subscribe for me".
            r"\bhelp (?:me|us) (?:to )?(?:reach|get|hit|get to) (?:\d[\d,.]*k?|a (?:hundred|thousand|million)) "
            r"(?:subscribers|subs|followers|views|likes|plays|streams)\b|\bsubscribe (?:for|4) me\b",
        ),
        "tells the reader to call, text, click, order or claim: a call to action for the sender",
        strong=True,
        is_ask=True,
    ),
    Rule(
        "sales_offer",
        _r(
            # Bulk sales copy: the reader is told to take a cut price or a product now.
            r"\b(?:get|receive|save|enjoy|take|pay)\b(?:\s+[\w-]+){0,3}?\s+(?:up to\s+)?\d+\s?(?:%|percent)\s?(?:off|less|cheaper|discount)",
            r"\b\d+\s?(?:%|percent) cheaper\b|\bcheaper than (?:the prices in )?(?:your local|retail|in stores)",
            r"\bget your (?:[\w-]+ ){0,3}(?:today|now)\b|\bget (?:them|it|yours) (?:at|from) (?:this|our|my)\b",
            r"\bcall us (?:right |now|today|anytime|24)|\bvisit us (?:today|now|and|at)\b",
            # A campaign's headline: "Unique 80% Sale", "-80% Spring-Sale Prices", "50% Off
            # Frozen Turkeys", "Sale Day, save 80%!", "Everything at -79%". A discount handed
            # over as a favour is an OFFER and stays low; one the writer got ("we got 30% off
            # the venue") is news.
            r"^(?!.*\b(?:we|i|they)(?:'ve| have)? (?:just |finally )?(?:got|had|paid|negotiated|bought|tested|saved|scored)\b)"
            r".*?(?:(?:^|\s)-?\d+\s?%\s?(?:off|sale|better price|lower price|cheaper)\b|(?:^|\s)-\d+\s?%\s?(?:\w+[\s-]){0,2}(?:sale|prices?|to all|off|discount)\b"
            r"|(?:^|\s)-\d+\s?%[\s.!]*$|\bsave (?:up to |over )?\d+\s?%|\d+\s?%\s?discount(?:s|ed)\b)",
        ),
        "offers the reader a cut price or product to take now: sales copy for the sender",
        strong=True,
        is_ask=True,
    ),
    Rule(
        "advance_fee",
        _r(
            r"\bnext of kin\b|\bforeign (?:business )?partner\b|\bbeneficiary (?:to|of) (?:his|her|the) (?:will|estate)\b"
            r"|\btransfer (?:of )?(?:the|these|this|said|such) (?:\w+ ){0,2}(?:funds?|sum|money|amount)\b"
        ),
        _ADVANCE_FEE,
        strong=True,
    ),
    Rule(
        "advance_fee",
        _r(
            r"\b(?:seek|seeking|solicit|soliciting|asking for|request(?:ing)? for) your (?:[\w-]+ ){0,2}"
            r"(?:assistance|co-?operation|partnership|consent|confidence)\b"
            # The cut offered for that help: "25% of the total fund for your assistance".
            r"|\b\d+\s?(?:%|percent) of the (?:total |entire )?(?:fund|funds|sum|money|amount)\b"
        ),
        _ADVANCE_FEE,
        strong=True,
        is_ask=True,
    ),
    Rule(
        "recruiting",
        _r(
            r"\bwe(?:'re| are) hiring\b.{0,80}\byou",
            r"\b(?:you'?d|you would) be (?:a )?(?:great|perfect|good|strong|ideal) (?:fit|match|addition|candidate)\b",
            r"\bopen to (?:chatting|talking|hearing|learning|exploring) (?:more )?(?:about )?(?:the|a|this|our|new) (?:role|position|opportunit|job|opening)",
            r"\bjoin (?:our|my) (?:team|company|startup|firm)\b",
        ),
        "recruits the reader for the sender's company: the benefit is the sender's",
    ),
    Rule(
        "sells_own_service",
        _r(
            r"\bhere'?s my (?:business )?(?:card|number|rates|price list)\b",
            r"\bif you (?:ever )?need (?:a|an) (?:\w+ ){1,2}.{0,60}\b(?:i'?d love to (?:help|do|take|handle)|i can (?:help|do|take|handle)|give me a (?:call|shout|ring)|call me|my card|i'?m your)\b",
            # The reader as the sender's customer, at the sender's price.
            r"\b(?:have|take|get|sign) you (?:on )?as (?:a |my |our )?(?:new )?(?:client|customer|patient|student)\b",
            r"\b(?:give|get|offer|find|do) you (?:a )?(?:good|great|better|fair|special|friends?|the best) (?:price|rate|deal)\b"
            r"|\bbeat (?:your|any) (?:current )?(?:rate|price|quote|premium)\b|\bmy rates (?:are|start)\b",
            r"\bi(?:'ve| have)? (?:started|been|am|'m) selling\b|\bship you (?:a|one|some)\b"
            r"|\bget your \w+ from (?:my|our|me|us)\b|\bours are on sale\b",
            r"\bi(?:'m| am) (?:now )?(?:freelancing|consulting|taking (?:on )?(?:new )?clients|available for (?:hire|freelance|new projects))\b",
            r"\bi(?:'m| am) (?:now )?(?:a|an) (?:[\w-]+ ){0,2}(?:consultant|broker|agent|realtor|coach|trainer|planner|"
            r"advisor|adviser|preparer|accountant|photographer|copywriter|tutor|representative|distributor)\b"
            r".{0,60}\b(?:client|customer|rate|price|quote|hire|book|order|available)",
            r"\bdrop off a catalog(?:ue)?\b|\b(?:when|whenever) you(?:'re| are)? (?:ready|planning|looking) to "
            r"(?:buy|sell|refinance|renew|insure|book)\b|\bremember me when you need\b",
        ),
        "offers the sender's own paid service: a sale",
        strong=True,
        is_ask=True,
    ),
    Rule(
        "product_demo",
        _r(
            r"\bdemo\b|\bwalk ?through\b|\bwalk you through\b|\bshow (?:you|it to you|our|my)\b|"
            r"\btry (?:it|our|my|the app|the tool|out)\b|\b(?:free )?trial\b|\b(?:join|into) (?:our|the) (?:beta|waitlist)|"
            r"\bbeta (?:link|invite|access)|\bpilot\b|\bearly access\b|\bsign(?:ing)? up\b|\bsign-?up\b|"
            r"\bfree (?:premium )?account\b|\bfirst customers?\b|\b(?:good|great|natural) fit for (?:you|your)\b|"
            r"\b(?:could|can|might) (?:help|save) (?:you|your)\b|\bthoughts on (?:what we|our|my)\b|"
            r"\bfeedback on (?:what we|our|my)\b|\bwhat you think of (?:our|my|it)\b|\bbook a (?:call|demo|time)\b|"
            r"\bcalendar link|\bcal(?:endly)?\.com\b|\bonboard (?:you|your)\b|\bdemonstration\b|\bscreen-?share\b|"
            r"\bpresent (?:it|our|my)\b|\bwhat we'?ve been building\b|\bour first customer|\bquick look\b.{0,40}\?|"
            r"\bserve as a reference\b|\bsee if (?:we|our|it) (?:could|can)\b"
            r"|\bwalkthrough call\b|\blive demo\b|\ba tour of\b|\btry the beta\b|\binvite code\b"
            r"|\bhonest take on (?:our|my)\b|\b(?:evaluation|vendor|short) ?list\b"
            r"|\bpencil you in for\b|\bschedule you (?:for|in)\b|\bfree (?:consultation|assessment|estimate|quote|"
            r"financial reviews?|first class|session)\b|\bsales call\b|\bpricing options\b|\btest (?:ride|drive)\b"
            r"|\bon the house\b|\bsandbox account\b|\btest it out\b|\bwhitepaper\b"
            # Gated content: the reader's work email is the price.
            r"|\bentering your (?:work )?email\b"
        ),
        "asks for time or attention for the sender's product (a demo, a trial, a sign-up)",
    ),
)


@dataclass(frozen=True)
class SentenceSignal:
    sentence: str
    score: float
    category: str | None
    reason: str
    ask: bool
    ours: bool
    offer: bool
    mutual: bool


@lru_cache(maxsize=8192)
def names_senders_thing(sentence: str) -> bool:
    return bool(OURS.search(sentence))


_TOLD_TO_ACT = Rule(
    "call_to_action",
    IMPERATIVE,
    "tells the reader to act on the sender's own product, service or content",
    is_ask=True,
)

_ACT_ON_LINK = Rule(
    "call_to_action",
    ACT_ON_LINK,
    "tells the reader to go to a link to sign up, buy or join: a call to action for the sender",
    is_ask=True,
)

_REFERRAL_LINK = Rule(
    "call_to_action",
    REFERRAL_LINK,
    "links to a referral or affiliate address: the sender is paid when the reader clicks",
    is_ask=True,
)

_FREE_BAIT = Rule(
    "call_to_action",
    FREE_BAIT,
    "offers free gift cards, coins or followers at a link: bait to make the reader click",
    is_ask=True,
)

#: Asides that open a sentence without changing what it asks ("P.S.", "By the way,").
_OPENER = re.compile(
    r"^\s*(?:p\.?\s?s\.?|by the way|btw|oh|also|incidentally|last thing|one more thing|"
    r"speaking of [^,]+|while i think of it|on another note|anyway)\s*[,:.!-]*\s*",
    re.IGNORECASE,
)


def _strip_opener(sentence: str) -> str:
    return _OPENER.sub("", sentence, count=1)


def score_sentence(sentence: str, after_ours: bool = False) -> SentenceSignal:
    """How strongly this one sentence asks for something that benefits the sender.

    `after_ours`: the sentence before named the sender's own thing ("our platform finds
    dead code. Happy to set you up with a free trial."): the offer is of that thing."""
    body = _strip_opener(sentence)
    imperative = bool(IMPERATIVE.search(body))
    ours = after_ours or bool(OURS.search(sentence))
    # "Have you ever tried our app?" still opens a pitch: the exception is for the reader's
    # habits, not for the sender's own thing.
    habits = None if ours else ABOUT_THEIR_HABITS.match(body)
    # After a habit opener only a real ask form counts ("have you ever donated" asks
    # nothing; "did you get my note, and would you back us?" still asks).
    asked = sentence if habits is None else body[habits.end() :]
    question = sentence.rstrip().endswith("?") and habits is None
    ask = bool(ASK.search(asked)) or question or imperative
    offer = bool(OFFER.search(sentence))
    mutual = bool(MUTUAL.search(sentence))
    link = has_link(sentence)
    best: tuple[float, Rule | None] = (0.0, None)
    if imperative and ours and not (offer or mutual):
        # Told to act on the sender's own thing ("order them from my shop", "enrol in my
        # course"): who gains is plain even where no rule names what is sold.
        best = (0.9, _TOLD_TO_ACT)
    if link and not (offer or mutual) and ACT_ON_LINK.search(body):
        best = (0.9, _ACT_ON_LINK)
    if link and REFERRAL_LINK.search(sentence):
        best = (0.9, _REFERRAL_LINK)
    elif link and FREE_BAIT.search(sentence):
        best = (0.9, _FREE_BAIT)
    for rule in RULES:
        if not rule.pattern.search(sentence):
            continue
        asks = ask or rule.is_ask
        if rule.strong:
            # A price or a donation named without any ask is usually context ("we charge
            # $29 a month"), not a request; with an ask or a link it is a request.
            score = 0.9 if asks else 0.7 if link else 0.45 if ours else 0.35
        else:
            score = (
                0.9 if (asks or link) and ours else 0.7 if (asks or link) else 0.5 if ours else 0.35
            )
        if offer and not (ours or link):
            # An offer to the recipient ("happy to intro you", "it's yours if you want it")
            # is not a pitch, unless the sender's own thing or a link is what is offered.
            score *= 0.35
        if score > best[0]:
            best = (score, rule)
    top_score, top_rule = best
    if top_rule is None:
        return SentenceSignal(sentence, 0.0, None, "", ask, ours, offer, mutual)
    return SentenceSignal(
        sentence, round(top_score, 3), top_rule.category, top_rule.reason, ask, ours, offer, mutual
    )


def rule_features(signals: list[SentenceSignal]) -> dict[str, float]:
    """Message-level summaries of the sentence signals (the combiner's inputs)."""
    top = max((s.score for s in signals), default=0.0)
    return {
        "rules": top,
        "rule_hits": float(sum(s.score >= 0.6 for s in signals)),
        "offer": float(any(s.offer for s in signals)),
        "mutual": float(any(s.mutual for s in signals)),
    }
